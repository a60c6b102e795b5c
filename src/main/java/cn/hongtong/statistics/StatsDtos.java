package cn.hongtong.statistics;

import cn.hongtong.common.Language;
import cn.hongtong.common.LocalizedText;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** What the statistics endpoints answer: JSON as these records, CSV as their {@link Table}. */
final class StatsDtos {

    private StatsDtos() {}

    record Period(LocalDate from, LocalDate to) {}

    /** The region a query covers: {@code all} with the name of the nation when nationwide. */
    record RegionRef(String code, String name) {}

    record Filters(RegionRef region, String category, UUID course) {}

    /**
     * How answers protect individuals; the same for every answer. {@code method} "cell-key": groups
     * of 1 to {@code minLearners - 1} learners are hidden, and every other published value is
     * perturbed (consistently: the same learners give the same value): counts by at most
     * {@code maxCountNoise}, hours by at most {@code hoursNoise} times the cell's mean hours per
     * learner. "exact" (tests only): small groups hidden, values exact.
     */
    record SuppressionRule(String method, int minLearners, int maxCountNoise, BigDecimal hoursNoise) {}

    /**
     * A group's measures; all null when the group is suppressed. Hours to four decimals (0.36 s);
     * {@code registeredLearners} is null where it does not apply (courses, lessons).
     */
    record Measures(
            Long registeredLearners,
            Long activeLearners,
            BigDecimal watchHours,
            BigDecimal creditedHours,
            Long lessonCompletions,
            Long courseCompletions) {

        static final Measures HIDDEN = new Measures(null, null, null, null, null, null);

        /** A group's published measures: hidden when suppressed, perturbed otherwise. */
        static Measures of(Group g, boolean suppressed, CellKeyPerturbation noise) {
            if (suppressed) {
                return HIDDEN;
            }
            return new Measures(
                    g.registered() == null ? null : noise.learners(g.registered(), "registered"),
                    // One purpose for both kinds of hours: equal true hours stay equal when published.
                    noise.learners(g.learners(), "learners"),
                    noise.hours(g.watchMs(), g.learners(), "hours"),
                    noise.hours(g.creditedMs(), g.learners(), "hours"),
                    noise.events(g.lessonCompletions(), g.learners(), "lesson-completions"),
                    noise.events(g.courseCompletions(), g.learners(), "course-completions"));
        }

        List<Object> cells() {
            return List.of(
                    nullable(registeredLearners),
                    nullable(activeLearners),
                    nullable(watchHours),
                    nullable(creditedHours),
                    nullable(lessonCompletions),
                    nullable(courseCompletions));
        }
    }

    static BigDecimal hours(long ms) {
        return BigDecimal.valueOf(ms).divide(BigDecimal.valueOf(3_600_000), 4, RoundingMode.HALF_UP);
    }

    private static Object nullable(Object value) {
        return value == null ? "" : value;
    }

    record Total(@JsonUnwrapped Measures measures, boolean suppressed) {}

    // ------------------------------------------------------------------ answers

    record Overview(
            Period period,
            Filters filters,
            @JsonUnwrapped Measures measures,
            boolean suppressed,
            SuppressionRule suppression)
            implements Tabular {

        /** The CSV of an overview: one row, the period, the region and the measures. */
        @Override
        public Table table() {
            return new Table(
                    "overview",
                    Stream.concat(
                                    Stream.of(Column.FROM, Column.TO, Column.REGION_CODE, Column.REGION_NAME),
                                    Column.MEASURES.stream())
                            .toList(),
                    List.of(row(
                            List.of(
                                    period.from(),
                                    period.to(),
                                    filters.region().code(),
                                    filters.region().name()),
                            measures,
                            suppressed)));
        }
    }

    record SeriesPoint(
            LocalDate start, LocalDate end, @JsonUnwrapped Measures measures, boolean suppressed) {}

    record Series(
            Period period,
            Filters filters,
            String granularity,
            List<SeriesPoint> points,
            Total total,
            SuppressionRule suppression)
            implements Tabular {

        /** The CSV of a series: a row per day, week or month, then the total. */
        @Override
        public Table table() {
            return new Table(
                    "series-" + granularity,
                    Stream.concat(Stream.of(Column.START, Column.END), Column.MEASURES.stream())
                            .toList(),
                    points.stream()
                            .map(p -> row(List.of(p.start(), p.end()), p.measures(), p.suppressed()))
                            .toList());
        }
    }

    record CourseRow(
            UUID courseId,
            String title,
            String category,
            Long learners,
            Long courseCompletions,
            BigDecimal completionRate,
            BigDecimal creditedHours,
            BigDecimal avgCreditedMinutes,
            BigDecimal watchHours,
            Long lessonCompletions,
            boolean suppressed) {}

    record Courses(
            Period period,
            Filters filters,
            String sort,
            String order,
            List<CourseRow> courses,
            Total total,
            SuppressionRule suppression)
            implements Tabular {

        /** The CSV of the courses: a row per course, then the total. */
        @Override
        public Table table() {
            List<Column> columns = List.of(
                    Column.COURSE_ID,
                    Column.COURSE_TITLE,
                    Column.CATEGORY,
                    Column.ACTIVE,
                    Column.COURSE_COMPLETIONS,
                    Column.COMPLETION_RATE,
                    Column.CREDITED,
                    Column.AVG_MINUTES,
                    Column.WATCH,
                    Column.LESSON_COMPLETIONS,
                    Column.SUPPRESSED);
            return new Table(
                    "courses",
                    columns,
                    courses.stream()
                            .map(c -> List.<Object>of(
                                    c.courseId(),
                                    c.title(),
                                    c.category(),
                                    nullable(c.learners()),
                                    nullable(c.courseCompletions()),
                                    nullable(c.completionRate()),
                                    nullable(c.creditedHours()),
                                    nullable(c.avgCreditedMinutes()),
                                    nullable(c.watchHours()),
                                    nullable(c.lessonCompletions()),
                                    c.suppressed()))
                            .toList());
        }
    }

    record RegionRow(
            String code,
            String name,
            Integer level,
            @JsonUnwrapped Measures measures,
            boolean suppressed) {}

    record Regions(Period period, Filters filters, List<RegionRow> regions, Total total, SuppressionRule suppression)
            implements Tabular {

        /** The CSV of the regions: a row per child region, then the total. */
        @Override
        public Table table() {
            return new Table(
                    "regions",
                    Stream.concat(
                                    Stream.of(Column.REGION_CODE, Column.REGION_NAME, Column.LEVEL),
                                    Column.MEASURES.stream())
                            .toList(),
                    regions.stream()
                            .map(r ->
                                    row(List.of(r.code(), r.name(), nullable(r.level())), r.measures(), r.suppressed()))
                            .toList());
        }
    }

    record InstitutionRow(
            long id,
            String name,
            String kind,
            String regionCode,
            @JsonUnwrapped Measures measures,
            boolean suppressed) {}

    record Institutions(
            Period period,
            Filters filters,
            List<InstitutionRow> institutions,
            boolean truncated,
            Total total,
            SuppressionRule suppression)
            implements Tabular {

        /** The CSV of the institutions: a row per institution, then the total. */
        @Override
        public Table table() {
            return new Table(
                    "institutions",
                    Stream.concat(
                                    Stream.of(
                                            Column.INSTITUTION_ID,
                                            Column.INSTITUTION_NAME,
                                            Column.INSTITUTION_KIND,
                                            Column.REGION_CODE),
                                    Column.MEASURES.stream())
                            .toList(),
                    institutions.stream()
                            .map(i -> row(
                                    List.of(i.id(), i.name(), i.kind(), i.regionCode()), i.measures(), i.suppressed()))
                            .toList());
        }
    }

    record ProfessionRow(
            String code, String name, @JsonUnwrapped Measures measures, boolean suppressed) {}

    record Professions(
            Period period, Filters filters, List<ProfessionRow> professions, Total total, SuppressionRule suppression)
            implements Tabular {

        /** The CSV of the professions: a row per profession, then the total. */
        @Override
        public Table table() {
            return new Table(
                    "professions",
                    Stream.concat(Stream.of(Column.PROFESSION, Column.PROFESSION_NAME), Column.MEASURES.stream())
                            .toList(),
                    professions.stream()
                            .map(p -> row(List.of(p.code(), p.name()), p.measures(), p.suppressed()))
                            .toList());
        }
    }

    /** The share of viewers (0..1, four decimals) who watched the middle of each percentile. */
    record RetentionPoint(int percentile, BigDecimal share) {}

    record Retention(
            UUID lessonId,
            String lessonTitle,
            UUID courseId,
            Filters filters,
            Long viewers,
            boolean suppressed,
            List<RetentionPoint> points,
            SuppressionRule suppression)
            implements Tabular {

        /** The CSV of a retention curve: a row per percentile of the lesson. */
        @Override
        public Table table() {
            return new Table(
                    "retention",
                    List.of(Column.PERCENTILE, Column.SHARE),
                    points.stream()
                            .map(p -> List.<Object>of(p.percentile(), nullable(p.share())))
                            .toList());
        }
    }

    private static List<Object> row(List<Object> keys, Measures measures, boolean suppressed) {
        List<Object> cells = new ArrayList<>(keys);
        cells.addAll(measures.cells());
        cells.add(suppressed);
        return cells;
    }

    // ------------------------------------------------------------------ CSV

    /** An answer that can be exported as CSV: one row per group. */
    /**
     * Continuing-education credit of a group, protected like the learning measures: hidden when
     * either learner count is 1 to 4, perturbed otherwise; the pass rate from the published values.
     */
    record CreditMeasures(
            Long creditedLearners,
            Long creditsGranted,
            BigDecimal credits,
            Long assessedLearners,
            Long attempts,
            Long passedAttempts,
            BigDecimal passRate) {

        static final CreditMeasures HIDDEN = new CreditMeasures(null, null, null, null, null, null, null);

        List<Object> cells() {
            return List.of(
                    nullable(creditedLearners),
                    nullable(creditsGranted),
                    nullable(credits),
                    nullable(assessedLearners),
                    nullable(attempts),
                    nullable(passedAttempts),
                    nullable(passRate));
        }
    }

    /** A group of the credit statistics: its key (course id, region code, institution id or profession) and name. */
    record CreditRow(String key, String name, @JsonUnwrapped CreditMeasures measures, boolean suppressed) {}

    record CreditTotal(@JsonUnwrapped CreditMeasures measures, boolean suppressed) {}

    record CreditStats(
            Period period,
            Filters filters,
            String by,
            List<CreditRow> groups,
            CreditTotal total,
            SuppressionRule suppression)
            implements Tabular {

        @Override
        public Table table() {
            List<Column> columns =
                    new ArrayList<>(List.of(Column.of("key", "分组代码", "Group"), Column.of("name", "名称", "Name")));
            columns.addAll(List.of(
                    Column.of("credited_learners", "获学分人数", "Learners credited"),
                    Column.of("credits_granted", "授予学分次数", "Credits granted"),
                    Column.of("credits", "学分合计", "Credits"),
                    Column.of("assessed_learners", "参加考核人数", "Learners assessed"),
                    Column.of("attempts", "考核次数", "Attempts"),
                    Column.of("passed_attempts", "通过次数", "Passed attempts"),
                    Column.of("pass_rate", "通过率", "Pass rate"),
                    Column.SUPPRESSED));
            List<List<Object>> rows = new ArrayList<>();
            for (CreditRow g : groups) {
                List<Object> row = new ArrayList<>(List.of(g.key(), g.name()));
                row.addAll(g.measures().cells());
                row.add(g.suppressed());
                rows.add(row);
            }
            return new Table("credits-by-" + by, columns, rows);
        }
    }

    interface Tabular {
        Table table();
    }

    record Table(String name, List<Column> columns, List<List<Object>> rows) {}

    /** A CSV column: a stable key and headers in the two languages. */
    record Column(String key, LocalizedText label) {

        static final Column FROM = of("from", "开始日期", "From");
        static final Column TO = of("to", "结束日期", "To");
        static final Column START = of("start", "起始日", "Start");
        static final Column END = of("end", "截止日", "End");
        static final Column REGION_CODE = of("region_code", "地区代码", "Region code");
        static final Column REGION_NAME = of("region_name", "地区", "Region");
        static final Column LEVEL = of("level", "层级", "Level");
        static final Column REGISTERED = of("registered_learners", "注册学员", "Registered learners");
        static final Column ACTIVE = of("active_learners", "学习学员", "Active learners");
        static final Column WATCH = of("watch_hours", "观看时长（小时）", "Watch hours");
        static final Column CREDITED = of("credited_hours", "认定学时（小时）", "Credited hours");
        static final Column LESSON_COMPLETIONS = of("lesson_completions", "完成课时", "Lesson completions");
        static final Column COURSE_COMPLETIONS = of("course_completions", "完成课程", "Course completions");
        static final Column SUPPRESSED = of("suppressed", "人数少于阈值已隐藏", "Suppressed (too few learners)");
        static final Column COURSE_ID = of("course_id", "课程编号", "Course id");
        static final Column COURSE_TITLE = of("course_title", "课程", "Course");
        static final Column CATEGORY = of("category", "专业类别", "Category");
        static final Column COMPLETION_RATE = of("completion_rate", "完成率", "Completion rate");
        static final Column AVG_MINUTES = of("avg_credited_minutes", "人均认定分钟", "Average credited minutes per learner");
        static final Column INSTITUTION_ID = of("institution_id", "机构编号", "Institution id");
        static final Column INSTITUTION_NAME = of("institution_name", "机构", "Institution");
        static final Column INSTITUTION_KIND = of("institution_kind", "机构类型", "Institution kind");
        static final Column PROFESSION = of("profession", "职业代码", "Profession code");
        static final Column PROFESSION_NAME = of("profession_name", "职业", "Profession");
        static final Column PERCENTILE = of("percentile", "进度百分位", "Percentile");
        static final Column SHARE = of("share_of_viewers", "观看占比", "Share of viewers");
        static final List<Column> MEASURES =
                List.of(REGISTERED, ACTIVE, WATCH, CREDITED, LESSON_COMPLETIONS, COURSE_COMPLETIONS, SUPPRESSED);

        static Column of(String key, String zh, String en) {
            return new Column(key, LocalizedText.of(zh, en));
        }

        String header(Language language) {
            return label.in(language);
        }
    }
}
