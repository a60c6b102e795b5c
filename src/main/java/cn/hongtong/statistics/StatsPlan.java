package cn.hongtong.statistics;

import cn.hongtong.statistics.Rollups.Grain;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a statistics query is and which rollup answers it, decided before any SQL: the grouping,
 * the grain of {@code stats_daily} that can answer (the coarsest), the day, week or month buckets
 * a series has, and which of the exact ways of counting distinct learners applies. Pure, so the
 * rules are tested without PostgreSQL ({@code StatsPlanTest}); {@link StatsStore} runs the SQL.
 */
final class StatsPlan {

    private StatsPlan() {}

    enum Grouping {
        NONE,
        DAY,
        WEEK,
        MONTH,
        COURSE,
        REGION,
        INSTITUTION,
        PROFESSION
    }

    /**
     * A resolved query: dates inclusive, region "" for nationwide, course and category optional;
     * for REGION grouping, the length of the children's codes.
     */
    record Query(
            LocalDate from,
            LocalDate to,
            String region,
            UUID course,
            String category,
            Grouping grouping,
            int childLength) {

        boolean courseDimension() {
            return course != null || category != null || grouping == Grouping.COURSE;
        }

        boolean time() {
            return grouping == Grouping.DAY || grouping == Grouping.WEEK || grouping == Grouping.MONTH;
        }
    }

    static Grain grain(Query q) {
        int regionLength = Math.max(q.region().length(), q.grouping() == Grouping.REGION ? q.childLength() : 0);
        if (q.grouping() == Grouping.INSTITUTION) {
            return Grain.DETAIL;
        }
        if (q.courseDimension()) {
            return regionLength <= Rollups.PROVINCE_DIGITS && q.grouping() != Grouping.PROFESSION
                    ? Grain.COURSE_PROVINCE
                    : Grain.DETAIL;
        }
        return regionLength <= Rollups.COUNTY_DIGITS ? Grain.COUNTY_PROFESSION : Grain.DETAIL;
    }

    static Query whole(Query q) {
        return new Query(q.from(), q.to(), q.region(), q.course(), q.category(), Grouping.NONE, 0);
    }

    /**
     * The first days of the first and the last whole calendar month within [from, to]; null when
     * the period holds no whole month.
     */
    static LocalDate[] wholeMonths(LocalDate from, LocalDate to) {
        LocalDate first = from.getDayOfMonth() == 1 ? from : from.with(TemporalAdjusters.firstDayOfNextMonth());
        LocalDate lastEnd = to.equals(to.with(TemporalAdjusters.lastDayOfMonth()))
                ? to
                : to.withDayOfMonth(1).minusDays(1);
        return first.isAfter(lastEnd) ? null : new LocalDate[] {first, lastEnd.withDayOfMonth(1)};
    }

    static boolean perBucket(Query q) {
        return q.time() && !q.courseDimension() && q.region().length() <= Rollups.COUNTY_DIGITS;
    }

    static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    static List<LocalDate> bucketStarts(Query q) {
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate b = bucketStart(q.grouping(), q.from());
                !b.isAfter(q.to());
                b = bucketEnd(q.grouping(), b).plusDays(1)) {
            out.add(b);
        }
        return out;
    }

    static LocalDate bucketStart(Grouping grouping, LocalDate day) {
        return switch (grouping) {
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            default -> day;
        };
    }

    static LocalDate bucketEnd(Grouping grouping, LocalDate start) {
        return switch (grouping) {
            case WEEK -> start.plusDays(6);
            case MONTH -> start.with(TemporalAdjusters.lastDayOfMonth());
            default -> start;
        };
    }

    /**
     * Whether a query's learners come from {@code category_activity} (migration V19, one row per
     * learner, category and profile): a category asked for without one of its courses and not
     * grouped by course. In {@code course_activity} a learner has a row per course, so a category's
     * learners who learned two of its courses would count twice.
     */
    static boolean categoryRows(Query q) {
        return q.category() != null && q.course() == null && q.grouping() != Grouping.COURSE;
    }

    /**
     * Whether {@code StatsStore.learnersBySpans} can answer: learners per course (or of one course, in all or
     * per province) nationwide or in one province, the grain of {@code course_span}, over a period
     * that ends in a later month than it starts.
     */
    static boolean spans(Query q) {
        return q.courseDimension()
                && !categoryRows(q)
                && q.region().length() <= Rollups.PROVINCE_DIGITS
                && Rollups.monthNumber(q.to()) > Rollups.monthNumber(q.from())
                && (q.grouping() == Grouping.NONE
                        || q.grouping() == Grouping.COURSE
                        || q.grouping() == Grouping.REGION && q.childLength() == Rollups.PROVINCE_DIGITS);
    }
}
