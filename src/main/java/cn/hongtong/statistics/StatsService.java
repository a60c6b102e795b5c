package cn.hongtong.statistics;

import cn.hongtong.catalog.CatalogProblems;
import cn.hongtong.common.Language;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.Roles;
import cn.hongtong.statistics.StatsDtos.CourseRow;
import cn.hongtong.statistics.StatsDtos.Courses;
import cn.hongtong.statistics.StatsDtos.CreditMeasures;
import cn.hongtong.statistics.StatsDtos.CreditRow;
import cn.hongtong.statistics.StatsDtos.CreditStats;
import cn.hongtong.statistics.StatsDtos.CreditTotal;
import cn.hongtong.statistics.StatsDtos.Filters;
import cn.hongtong.statistics.StatsDtos.InstitutionRow;
import cn.hongtong.statistics.StatsDtos.Institutions;
import cn.hongtong.statistics.StatsDtos.Measures;
import cn.hongtong.statistics.StatsDtos.Overview;
import cn.hongtong.statistics.StatsDtos.Period;
import cn.hongtong.statistics.StatsDtos.ProfessionRow;
import cn.hongtong.statistics.StatsDtos.Professions;
import cn.hongtong.statistics.StatsDtos.RegionRef;
import cn.hongtong.statistics.StatsDtos.RegionRow;
import cn.hongtong.statistics.StatsDtos.Regions;
import cn.hongtong.statistics.StatsDtos.Retention;
import cn.hongtong.statistics.StatsDtos.RetentionPoint;
import cn.hongtong.statistics.StatsDtos.Series;
import cn.hongtong.statistics.StatsDtos.SeriesPoint;
import cn.hongtong.statistics.StatsDtos.SuppressionRule;
import cn.hongtong.statistics.StatsDtos.Total;
import cn.hongtong.statistics.StatsPlan.Grouping;
import cn.hongtong.statistics.StatsPlan.Query;
import cn.hongtong.statistics.StatsStore.CreditGroup;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The analysts' use cases: resolves the period, the region within the caller's scope and the
 * filters, runs the rollup queries and hides small groups.
 */
@ApplicationScoped
class StatsService {

    /** The filters common to every endpoint, as the caller gave them (all optional). */
    record Params(LocalDate from, LocalDate to, String region, String category, UUID course) {}

    static final String NATIONWIDE = "all";
    static final LocalizedText NATION = LocalizedText.of("全国", "Nationwide");
    static final Map<String, LocalizedText> PROFESSIONS = professions();

    private static Map<String, LocalizedText> professions() {
        Map<String, LocalizedText> m = new LinkedHashMap<>();
        m.put("village-doctor", LocalizedText.of("乡村医生", "Village doctor"));
        m.put("general-practitioner", LocalizedText.of("全科医生", "General practitioner"));
        m.put("nurse", LocalizedText.of("护士", "Nurse"));
        m.put("public-health-worker", LocalizedText.of("公共卫生人员", "Public health worker"));
        m.put("pharmacist", LocalizedText.of("药师", "Pharmacist"));
        m.put("social-worker", LocalizedText.of("社会工作者", "Social worker"));
        m.put("other", LocalizedText.of("其他", "Other"));
        m.put("", LocalizedText.of("未填写职业", "Profession not given"));
        return m;
    }

    private final StatsStore queries;
    private final StatsConfig config;
    private final Clock clock;
    private final SuppressionRule rule;
    private final CellKeyPerturbation noise;

    StatsService(StatsStore queries, StatsConfig config, Clock clock) {
        this.queries = queries;
        this.config = config;
        this.clock = clock;
        this.noise = CellKeyPerturbation.of(config);
        if (!noise.enabled() && LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException("hongtong.statistics.perturbation.enabled=false is for tests only: "
                    + "without it, differences of answers reveal individuals");
        }
        this.rule = new SuppressionRule(
                noise.enabled() ? "cell-key" : "exact",
                config.minGroupSize(),
                noise.maxCountNoise(),
                BigDecimal.valueOf(noise.hoursNoise()));
    }

    /** A query's resolved scope: the query itself and what the answer says it covered. */
    private record Resolved(Query query, Period period, Filters filters) {}

    private Uni<Resolved> resolve(CurrentUser user, Params p, Grouping grouping) {
        LocalDate today = LocalDate.now(clock.withZone(config.zone()));
        LocalDate to = p.to() != null ? p.to() : today;
        LocalDate from = p.from() != null ? p.from() : to.minusDays(config.defaultPeriodDays() - 1L);
        if (from.isBefore(Rollups.DAY_ZERO) || to.isAfter(LocalDate.of(2099, 12, 31))) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            p.from() != null && from.isBefore(Rollups.DAY_ZERO) ? "from" : "to",
                            LocalizedText.of("日期须在 2000 年至 2099 年之间", "dates must lie in 2000 to 2099")));
        }
        if (to.isBefore(from)) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "to", LocalizedText.of("结束日期早于开始日期", "ends before it starts")));
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > config.maxPeriodDays()) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "from",
                            LocalizedText.of(
                                    "一次最多查询 " + config.maxPeriodDays() + " 天",
                                    "at most " + config.maxPeriodDays() + " days at a time")));
        }
        if (grouping == Grouping.DAY && days > config.maxDailySeriesDays()) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "granularity",
                            LocalizedText.of(
                                    "按日统计最多 " + config.maxDailySeriesDays() + " 天，请按周或按月",
                                    "a daily series covers at most " + config.maxDailySeriesDays()
                                            + " days; use week or month")));
        }
        return region(user, p.region())
                .chain(region -> checkCourse(p.course())
                        .chain(() -> checkCategory(p.category()))
                        .map(ignored -> {
                            int childLength = grouping == Grouping.REGION
                                    ? childLength(region.code().equals(NATIONWIDE) ? "" : region.code())
                                    : 0;
                            String prefix = region.code().equals(NATIONWIDE) ? "" : region.code();
                            return new Resolved(
                                    new Query(from, to, prefix, p.course(), p.category(), grouping, childLength),
                                    new Period(from, to),
                                    new Filters(region, p.category(), p.course()));
                        }));
    }

    /**
     * The region a query covers: the one asked for if the caller's scope contains it (403 if not),
     * else the scope. "all" is the nation, for nationwide callers only.
     */
    private Uni<RegionRef> region(CurrentUser user, String requested) {
        if (!user.hasRole(Roles.ADMIN) && user.regionPrefix().isEmpty()) {
            return Uni.createFrom()
                    .failure(
                            new ProblemException(
                                    StatsProblems.REGION_SCOPE_MISSING,
                                    LocalizedText.of(
                                            "您的账号没有地区范围（region_scope），请联系管理员设置：地区代码前缀，或 all 表示全国",
                                            "Your account has no region scope (region_scope); ask an admin to set a region-code prefix, or all for nationwide")));
        }
        String scope = user.hasRole(Roles.ADMIN) ? "" : user.regionPrefix().orElseThrow();
        String code = requested == null ? scope : requested.equals(NATIONWIDE) ? "" : requested;
        if (!code.startsWith(scope)) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            StatsProblems.OUT_OF_SCOPE,
                            LocalizedText.of(
                                    "您只能查看地区代码以 " + scope + " 开头的统计",
                                    "You may only see regions whose code starts with " + scope)));
        }
        if (code.isEmpty()) {
            return Uni.createFrom().item(new RegionRef(NATIONWIDE, NATION.zh()));
        }
        return queries.region(code).map(info -> {
            if (info == null) {
                throw ProblemException.invalidField("region", LocalizedText.of("没有这个地区代码", "no such region code"));
            }
            return new RegionRef(info.code(), info.name());
        });
    }

    private Uni<Void> checkCourse(UUID course) {
        return course == null
                ? Uni.createFrom().voidItem()
                : queries.courseExists(course).map(exists -> {
                    if (!exists) {
                        throw ProblemException.invalidField("course", LocalizedText.of("没有这门课程", "no such course"));
                    }
                    return null;
                });
    }

    private Uni<Void> checkCategory(String category) {
        return category == null
                ? Uni.createFrom().voidItem()
                : queries.categoryExists(category).map(exists -> {
                    if (!exists) {
                        throw ProblemException.invalidField(
                                "category", LocalizedText.of("没有这个专业类别", "no such category"));
                    }
                    return null;
                });
    }

    /** Province to cities, city to counties, county to townships, township to villages. */
    static int childLength(String code) {
        return switch (code.length()) {
            case 0 -> 2;
            case 2 -> 4;
            case 4 -> 6;
            case 6 -> 9;
            default -> 12;
        };
    }

    /** A query's groups and its total (the same filters, ungrouped), fetched at once. */
    private record Grouped(Map<String, Group> groups, Group total) {}

    /**
     * The groups and their total. The groups partition the total's rows (every row has one course,
     * region prefix, institution, profession or bucket; every learner one present profile), so the
     * total's additive measures and registered learners are the groups' sums, and only its distinct
     * active learners are counted again (a learner may be active in several groups).
     */
    private Uni<Grouped> grouped(Query q, boolean registered) {
        Query whole = StatsPlan.whole(q);
        return Uni.combine()
                .all()
                .unis(
                        queries.groups(q, registered),
                        queries.activeLearners(whole),
                        registered ? Uni.createFrom().item(Group.Count.ZERO) : queries.registeredLearners(whole))
                .with((groups, learners, reg) -> new Grouped(
                        groups, sum(groups.values(), learners, registered ? sumRegistered(groups.values()) : reg)));
    }

    /** The total of groups that partition it, with its own distinct and registered learners. */
    private static Group sum(Iterable<Group> groups, Group.Count learners, Group.Count registered) {
        long watch = 0;
        long credited = 0;
        long lessons = 0;
        long courses = 0;
        for (Group g : groups) {
            watch += g.watchMs();
            credited += g.creditedMs();
            lessons += g.lessonCompletions();
            courses += g.courseCompletions();
        }
        return new Group("", learners, registered, watch, credited, lessons, courses);
    }

    private static Group.Count sumRegistered(Iterable<Group> groups) {
        long n = 0;
        long keys = 0;
        for (Group g : groups) {
            if (g.registered() != null) {
                n += g.registered().n();
                keys += g.registered().keys();
            }
        }
        return new Group.Count(n, keys);
    }

    private Uni<Group> total(Query q) {
        return queries.groups(StatsPlan.whole(q), true)
                .map(groups -> groups.getOrDefault("", Group.empty("", Group.Count.ZERO)));
    }

    private Total total(Group total, Suppression.Outcome outcome) {
        return new Total(Measures.of(total, outcome.totalHidden(), noise), outcome.totalHidden());
    }

    // ------------------------------------------------------------------ endpoints

    Uni<Overview> overview(CurrentUser user, Params p) {
        return resolve(user, p, Grouping.NONE)
                .chain(r -> total(r.query()).map(total -> {
                    boolean hidden = Suppression.sensitive(total, config.minGroupSize());
                    return new Overview(r.period(), r.filters(), Measures.of(total, hidden, noise), hidden, rule);
                }));
    }

    Uni<Series> series(CurrentUser user, Params p, Grouping granularity) {
        return resolve(user, p, granularity).chain(r -> {
            Query q = r.query();
            List<LocalDate> starts = StatsPlan.bucketStarts(q);
            return Uni.combine()
                    .all()
                    .unis(queries.series(q), queries.registeredSeries(q, starts))
                    .with((series, registered) -> {
                        Map<String, Group> groups = series.groups();
                        // The buckets partition the period; registered at its end is the last bucket's.
                        Group total = sum(
                                groups.values(),
                                series.learners(),
                                registered.get(starts.get(starts.size() - 1).toString()));
                        List<Group> all = new ArrayList<>();
                        for (LocalDate start : starts) {
                            String key = start.toString();
                            Group g = groups.getOrDefault(key, Group.empty(key, null));
                            all.add(g.withRegistered(registered.get(key)));
                        }
                        Suppression.Outcome outcome = Suppression.apply(all, total, config.minGroupSize());
                        List<SeriesPoint> points = new ArrayList<>();
                        for (Group g : all) {
                            LocalDate start = LocalDate.parse(g.key());
                            LocalDate end = StatsPlan.bucketEnd(granularity, start);
                            boolean hidden = outcome.hidden().contains(g.key());
                            points.add(new SeriesPoint(
                                    start.isBefore(q.from()) ? q.from() : start,
                                    end.isAfter(q.to()) ? q.to() : end,
                                    Measures.of(g, hidden, noise),
                                    hidden));
                        }
                        return new Series(
                                r.period(),
                                r.filters(),
                                granularity.name().toLowerCase(),
                                points,
                                total(total, outcome),
                                rule);
                    });
        });
    }

    /** How per-course rows sort; suppressed rows always come last, by title. */
    enum CourseSort {
        LEARNERS(c -> c.learners() == null ? null : BigDecimal.valueOf(c.learners())),
        COMPLETIONS(c -> c.courseCompletions() == null ? null : BigDecimal.valueOf(c.courseCompletions())),
        COMPLETION_RATE(CourseRow::completionRate),
        CREDITED_HOURS(CourseRow::creditedHours),
        AVG_CREDITED_MINUTES(CourseRow::avgCreditedMinutes),
        WATCH_HOURS(CourseRow::watchHours),
        TITLE(c -> null);

        final Function<CourseRow, BigDecimal> value;

        CourseSort(Function<CourseRow, BigDecimal> value) {
            this.value = value;
        }
    }

    Uni<Courses> courses(CurrentUser user, Params p, CourseSort sort, boolean descending, int limit) {
        return resolve(user, p, Grouping.COURSE)
                .chain(r -> grouped(r.query(), false)
                        .chain(g -> queries.courses(g.groups().keySet().stream()
                                        .map(UUID::fromString)
                                        .toList())
                                .map(info -> courses(r, g, info, sort, descending, limit))));
    }

    private Courses courses(
            Resolved r,
            Grouped g,
            Map<UUID, StatsStore.CourseInfo> info,
            CourseSort sort,
            boolean descending,
            int limit) {
        List<Group> all = new ArrayList<>(g.groups().values());
        Suppression.Outcome outcome = Suppression.apply(all, g.total(), config.minGroupSize());
        List<CourseRow> rows = new ArrayList<>();
        for (Group group : all) {
            UUID id = UUID.fromString(group.key());
            StatsStore.CourseInfo course = info.get(id);
            if (outcome.hidden().contains(group.key())) {
                rows.add(new CourseRow(
                        id, course.title(), course.category(), null, null, null, null, null, null, null, true));
                continue;
            }
            // The rate and the average are computed from the published (perturbed) values.
            Measures m = Measures.of(group, false, noise);
            rows.add(new CourseRow(
                    id,
                    course.title(),
                    course.category(),
                    m.activeLearners(),
                    m.courseCompletions(),
                    ratio(m.courseCompletions(), m.activeLearners()),
                    m.creditedHours(),
                    minutesPer(m.creditedHours(), m.activeLearners()),
                    m.watchHours(),
                    m.lessonCompletions(),
                    false));
        }
        Comparator<CourseRow> byValue = Comparator.comparing(
                sort.value,
                Comparator.nullsLast(
                        descending ? Comparator.<BigDecimal>reverseOrder() : Comparator.<BigDecimal>naturalOrder()));
        Comparator<CourseRow> byTitle = Comparator.comparing(CourseRow::title).thenComparing(CourseRow::courseId);
        if (sort == CourseSort.TITLE && descending) {
            byTitle = byTitle.reversed();
        }
        rows.sort(Comparator.comparing(CourseRow::suppressed)
                .thenComparing(byValue)
                .thenComparing(byTitle));
        return new Courses(
                r.period(),
                r.filters(),
                sort.name().toLowerCase().replace('_', '-'),
                descending ? "desc" : "asc",
                rows.subList(0, Math.min(limit, rows.size())),
                total(g.total(), outcome),
                rule);
    }

    private static BigDecimal ratio(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    private static BigDecimal minutesPer(BigDecimal hours, long learners) {
        return learners == 0
                ? null
                : hours.multiply(BigDecimal.valueOf(60)).divide(BigDecimal.valueOf(learners), 2, RoundingMode.HALF_UP);
    }

    Uni<Regions> regions(CurrentUser user, Params p, Language language) {
        return resolve(user, p, Grouping.REGION).chain(r -> {
            Query q = r.query();
            return Uni.combine()
                    .all()
                    .unis(grouped(q, true), queries.children(q.region()))
                    .with((both, children) -> {
                        Map<String, Group> groups = both.groups();
                        Group total = both.total();
                        Map<String, Group> all = new LinkedHashMap<>();
                        Map<String, RegionRow> shape = new LinkedHashMap<>();
                        for (StatsStore.RegionInfo child : children) {
                            all.put(
                                    child.code(),
                                    groups.getOrDefault(child.code(), Group.empty(child.code(), Group.Count.ZERO)));
                            shape.put(
                                    child.code(),
                                    new RegionRow(child.code(), child.name(), child.level(), null, false));
                        }
                        // Learners registered at the region itself (a county hospital's staff under a county),
                        // or nowhere (nationwide): a group of their own, so totals add up.
                        groups.forEach((key, g) -> {
                            if (!all.containsKey(key)) {
                                all.put(key, g);
                                shape.put(
                                        key,
                                        new RegionRow(
                                                key,
                                                key.isEmpty()
                                                        ? LocalizedText.of("未填写地区", "Region not given")
                                                                .in(language)
                                                        : r.filters().region().name()
                                                                + LocalizedText.of("（本级）", " (itself)")
                                                                        .in(language),
                                                null,
                                                null,
                                                false));
                            }
                        });
                        Suppression.Outcome outcome =
                                Suppression.apply(new ArrayList<>(all.values()), total, config.minGroupSize());
                        List<RegionRow> rows = new ArrayList<>();
                        all.forEach((key, g) -> {
                            RegionRow s = shape.get(key);
                            boolean hidden = outcome.hidden().contains(key);
                            rows.add(new RegionRow(
                                    s.code(), s.name(), s.level(), Measures.of(g, hidden, noise), hidden));
                        });
                        return new Regions(r.period(), r.filters(), rows, total(total, outcome), rule);
                    });
        });
    }

    Uni<Institutions> institutions(CurrentUser user, Params p, int limit, Language language) {
        return resolve(user, p, Grouping.INSTITUTION)
                .chain(r -> grouped(r.query(), true)
                        .chain(g -> queries.institutions(g.groups().keySet().stream()
                                        .map(Long::parseLong)
                                        .filter(id -> id != 0)
                                        .toList())
                                .map(info -> institutions(r, g, info, limit, language))));
    }

    private Institutions institutions(
            Resolved r, Grouped g, Map<Long, StatsStore.InstitutionInfo> info, int limit, Language language) {
        List<Group> all = new ArrayList<>(g.groups().values());
        Suppression.Outcome outcome = Suppression.apply(all, g.total(), config.minGroupSize());
        List<InstitutionRow> rows = new ArrayList<>();
        for (Group group : all) {
            long id = Long.parseLong(group.key());
            StatsStore.InstitutionInfo i = info.get(id);
            boolean hidden = outcome.hidden().contains(group.key());
            rows.add(new InstitutionRow(
                    id,
                    i == null
                            ? LocalizedText.of("未填写机构", "Institution not given").in(language)
                            : i.name(),
                    i == null ? null : i.kind(),
                    i == null ? null : i.regionCode(),
                    Measures.of(group, hidden, noise),
                    hidden));
        }
        rows.sort(Comparator.comparing(InstitutionRow::suppressed)
                .thenComparing(
                        row -> row.measures().creditedHours(),
                        Comparator.nullsLast(Comparator.<BigDecimal>reverseOrder()))
                .thenComparing(InstitutionRow::id));
        return new Institutions(
                r.period(),
                r.filters(),
                rows.subList(0, Math.min(limit, rows.size())),
                rows.size() > limit,
                total(g.total(), outcome),
                rule);
    }

    Uni<Professions> professions(CurrentUser user, Params p, Language language) {
        return resolve(user, p, Grouping.PROFESSION)
                .chain(r -> grouped(r.query(), true).map(g -> {
                    // Every profession is listed, with or without learners.
                    Map<String, Group> all = new LinkedHashMap<>();
                    PROFESSIONS.keySet().stream()
                            .filter(k -> !k.isEmpty())
                            .forEach(k -> all.put(k, g.groups().getOrDefault(k, Group.empty(k, Group.Count.ZERO))));
                    g.groups().forEach(all::putIfAbsent);
                    Suppression.Outcome outcome =
                            Suppression.apply(new ArrayList<>(all.values()), g.total(), config.minGroupSize());
                    List<ProfessionRow> rows = new ArrayList<>();
                    all.forEach((key, group) -> {
                        boolean hidden = outcome.hidden().contains(key);
                        LocalizedText name = PROFESSIONS.getOrDefault(key, LocalizedText.of(key, key));
                        rows.add(new ProfessionRow(key, name.in(language), Measures.of(group, hidden, noise), hidden));
                    });
                    return new Professions(r.period(), r.filters(), rows, total(g.total(), outcome), rule);
                }));
    }

    Uni<Retention> retention(CurrentUser user, UUID lesson, String requestedRegion) {
        return queries.lesson(lesson).chain(info -> {
            if (info == null) {
                return Uni.createFrom().failure(new ProblemException(CatalogProblems.LESSON_NOT_FOUND));
            }
            return region(user, requestedRegion)
                    .chain(region -> queries.retention(lesson, region.code().equals(NATIONWIDE) ? "" : region.code())
                            .map(counts -> {
                                long viewers = counts.viewers().n();
                                boolean hidden = viewers > 0 && viewers < config.minGroupSize();
                                long published = noise.learners(counts.viewers(), "viewers");
                                List<RetentionPoint> points = new ArrayList<>();
                                for (int pct = 1; pct <= 100; pct++) {
                                    points.add(new RetentionPoint(
                                            pct,
                                            hidden
                                                    ? null
                                                    : viewers == 0
                                                            ? BigDecimal.ZERO.setScale(4)
                                                            : ratio(
                                                                    noise.part(
                                                                            counts.watched()[pct],
                                                                            counts.viewers(),
                                                                            "percentile-" + pct,
                                                                            published),
                                                                    published)));
                                }
                                return new Retention(
                                        lesson,
                                        info.title(),
                                        info.course(),
                                        new Filters(region, null, info.course()),
                                        hidden ? null : published,
                                        hidden,
                                        points,
                                        rule);
                            }));
        });
    }

    // ------------------------------------------------------------------ continuing-education credit

    Uni<CreditStats> credits(CurrentUser user, Params p, Grouping by, Language language) {
        return resolve(user, p, by).chain(r -> {
            Query q = r.query();
            Uni<List<StatsStore.RegionInfo>> children = by == Grouping.REGION
                    ? queries.children(q.region())
                    : Uni.createFrom().item(List.of());
            return Uni.combine()
                    .all()
                    .unis(queries.creditGroups(q), queries.creditGroups(StatsPlan.whole(q)), children)
                    .asTuple()
                    .chain(t -> names(by, r, t.getItem1(), t.getItem3(), language)
                            .map(names -> {
                                Map<String, CreditGroup> groups = new LinkedHashMap<>();
                                if (by == Grouping.REGION) {
                                    t.getItem3().forEach(c -> groups.put(c.code(), CreditGroup.empty(c.code())));
                                } else if (by == Grouping.PROFESSION) {
                                    PROFESSIONS.keySet().stream()
                                            .filter(k -> !k.isEmpty())
                                            .forEach(k -> groups.put(k, CreditGroup.empty(k)));
                                }
                                groups.putAll(t.getItem1());
                                List<CreditRow> rows = new ArrayList<>();
                                groups.forEach((key, g) -> {
                                    boolean hidden = creditSensitive(g);
                                    rows.add(new CreditRow(
                                            key,
                                            names.getOrDefault(key, key),
                                            hidden ? CreditMeasures.HIDDEN : creditMeasures(g),
                                            hidden));
                                });
                                rows.sort(Comparator.comparing(CreditRow::suppressed)
                                        .thenComparing(
                                                row -> row.measures().credits(),
                                                Comparator.nullsLast(Comparator.<BigDecimal>reverseOrder()))
                                        .thenComparing(CreditRow::key));
                                CreditGroup whole = t.getItem2().getOrDefault("", CreditGroup.empty(""));
                                boolean totalHidden = creditSensitive(whole);
                                return new CreditStats(
                                        r.period(),
                                        r.filters(),
                                        by.name().toLowerCase(Locale.ROOT),
                                        rows,
                                        new CreditTotal(
                                                totalHidden ? CreditMeasures.HIDDEN : creditMeasures(whole),
                                                totalHidden),
                                        rule);
                            }));
        });
    }

    private boolean creditSensitive(CreditGroup g) {
        int min = config.minGroupSize();
        return (g.credited().n() > 0 && g.credited().n() < min)
                || (g.assessed().n() > 0 && g.assessed().n() < min);
    }

    private CreditMeasures creditMeasures(CreditGroup g) {
        long attempts = noise.events(g.attempts(), g.assessed(), "attempts");
        long passed = noise.part(g.passed(), g.assessed(), "passed-attempts", attempts);
        long tenths = g.credits().movePointRight(1).longValueExact();
        return new CreditMeasures(
                noise.learners(g.credited(), "credited-learners"),
                noise.events(g.grants(), g.credited(), "credits-granted"),
                BigDecimal.valueOf(noise.events(tenths, g.credited(), "credits"), 1),
                noise.learners(g.assessed(), "assessed-learners"),
                attempts,
                passed,
                attempts == 0 ? null : ratio(passed, attempts));
    }

    /** Display names of the groups' keys. */
    private Uni<Map<String, String>> names(
            Grouping by,
            Resolved r,
            Map<String, CreditGroup> groups,
            List<StatsStore.RegionInfo> children,
            Language language) {
        Map<String, String> names = new LinkedHashMap<>();
        switch (by) {
            case COURSE -> {
                return queries.courses(
                                groups.keySet().stream().map(UUID::fromString).toList())
                        .map(info -> {
                            info.forEach((id, c) -> names.put(id.toString(), c.title()));
                            return names;
                        });
            }
            case INSTITUTION -> {
                return queries.institutions(groups.keySet().stream()
                                .map(Long::parseLong)
                                .filter(id -> id != 0)
                                .toList())
                        .map(info -> {
                            info.forEach((id, i) -> names.put(Long.toString(id), i.name()));
                            names.put(
                                    "0",
                                    LocalizedText.of("未填写机构", "Institution not given")
                                            .in(language));
                            return names;
                        });
            }
            case REGION -> {
                children.forEach(c -> names.put(c.code(), c.name()));
                groups.keySet().stream()
                        .filter(k -> !names.containsKey(k))
                        .forEach(k -> names.put(
                                k,
                                k.isEmpty()
                                        ? LocalizedText.of("未填写地区", "Region not given")
                                                .in(language)
                                        : r.filters().region().name()
                                                + LocalizedText.of("（本级）", " (itself)")
                                                        .in(language)));
                return Uni.createFrom().item(names);
            }
            case PROFESSION -> {
                PROFESSIONS.forEach((k, v) -> names.put(k, v.in(language)));
                return Uni.createFrom().item(names);
            }
            default -> {
                return Uni.createFrom().item(names);
            }
        }
    }
}
