package cn.hongtong.statistics;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * What the rollups mean, defined once for the code that writes them ({@link RollupStore}) and the
 * code that reads them ({@code StatsStore}): the grains of {@code stats_daily} and the day zero
 * of the activity multiranges' day numbers.
 */
public final class Rollups {

    /**
     * Day numbers count days from here. The SQL function {@code stats_day_number} (migration V8,
     * used by its backfill) computes the same numbers; {@code RollupDefinitionsTest} checks they agree.
     */
    public static final LocalDate DAY_ZERO = LocalDate.of(2000, 1, 1);

    /** The first Monday from day zero on: ISO weeks are numbered from it. */
    static final LocalDate FIRST_MONDAY = DAY_ZERO.with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));

    /**
     * The grains of {@code stats_daily}: each additive measure is kept at all three, per day and
     * per month (the monthly rows' day is the month's first day).
     */
    public enum Grain {
        /** Course x the learner's region as stored x institution x profession: the full detail. */
        DETAIL(0, 3),
        /** Course x province (the region's first two digits). */
        COURSE_PROVINCE(1, 4),
        /** All courses (the nil course id) x county (the region's first six digits) x profession; learner counts too. */
        COUNTY_PROFESSION(2, 5);

        /** The code of the daily rows. */
        public final int code;
        /** The code of the monthly rows. */
        public final int monthly;

        Grain(int code, int monthly) {
            this.code = code;
            this.monthly = monthly;
        }
    }

    /** Region code prefixes of the coarser grains. */
    static final int PROVINCE_DIGITS = 2;

    static final int COUNTY_DIGITS = 6;
    /** The course id of grain {@link Grain#COUNTY_PROFESSION}: all courses. */
    static final String ALL_COURSES = "00000000-0000-0000-0000-000000000000";

    private Rollups() {}

    public static int dayNumber(LocalDate day) {
        return (int) ChronoUnit.DAYS.between(DAY_ZERO, day);
    }

    /**
     * Months counted from day zero's month (January 2000 is 0): the SQL function
     * {@code stats_month_number} (migration V18) computes the same from a day number.
     */
    static int monthNumber(LocalDate day) {
        return (int) ChronoUnit.MONTHS.between(DAY_ZERO, day.withDayOfMonth(1));
    }

    /** The day a day number names (an SQL expression over an integer expression). */
    static String dayOfNumberSql(String dayNumber) {
        return "(DATE '" + DAY_ZERO + "' + " + dayNumber + ")";
    }
}
