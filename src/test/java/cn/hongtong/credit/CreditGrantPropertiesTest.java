package cn.hongtong.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.TestDatabase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The invariant of credit, on the real database, under concurrency: whatever transactions ask
 * credit_grant_issue (V20) to grant whatever courses of one project to one learner, at once and
 * in any order, and however often (the flusher's retries, replays, a second replica, retried
 * submissions), a learner holds at most one grant per course; only courses that are complete and
 * whose assessment, if any, was passed are granted; each grant has more than nothing and at most
 * the course's hours over the hours per credit of its level; and the learner's credits from the
 * project are min(the project's credits, the sum of what each eligible course asked for is worth),
 * whichever order the transactions ran in. Asking again changes nothing.
 */
class CreditGrantPropertiesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static Vertx vertx;
    private static PgPool pool;
    private static CreditGrants grants;

    @BeforeContainer
    static void connect() {
        vertx = Vertx.vertx();
        pool = TestDatabase.migratedPool(vertx, 8);
        grants = new CreditGrants(
                BigDecimal.valueOf(3), BigDecimal.valueOf(6), ZoneId.of("Asia/Shanghai"), Clock.systemUTC());
    }

    @AfterContainer
    static void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }

    /** A course of the project: its hours (tenths), complete or not, with an assessment or not, passed or not. */
    record CourseCase(int tenthsOfHours, boolean complete, boolean assessed, boolean passed) {}

    record Scenario(String level, int capTenths, List<CourseCase> courses, List<List<Integer>> calls) {}

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<CourseCase> course = Combinators.combine(
                        Arbitraries.integers().between(0, 150),
                        Arbitraries.of(true, true, false),
                        Arbitraries.of(false, false, true),
                        Arbitraries.of(true, false))
                .as(CourseCase::new);
        return Combinators.combine(
                        Arbitraries.of("national", "provincial"),
                        Arbitraries.integers().between(1, 100),
                        course.list().ofMinSize(1).ofMaxSize(5),
                        Arbitraries.integers()
                                .between(0, 4)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(6)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(8))
                .as(Scenario::new);
    }

    @Property(tries = 60)
    void concurrentGrantsKeepTheInvariant(@ForAll("scenarios") Scenario s) {
        UUID learner = UUID.randomUUID();
        UUID project = UUID.randomUUID();
        List<UUID> courses = new ArrayList<>();
        try {
            setUp(s, learner, project, courses);
            List<Uni<List<CreditGrants.Granted>>> calls = new ArrayList<>();
            for (List<Integer> call : s.calls()) {
                List<UUID> asked = call.stream()
                        .filter(i -> i < courses.size())
                        .map(courses::get)
                        .toList();
                calls.add(pool.withTransaction(conn ->
                        grants.issue(conn, asked.stream().map(c -> learner).toList(), asked)));
            }
            Uni.join().all(calls).andCollectFailures().await().atMost(TIMEOUT);
            Map<UUID, BigDecimal> first = held(learner);
            check(s, courses, first);
            // Replayed, one after the other: nothing more.
            for (List<Integer> call : s.calls()) {
                List<UUID> asked = call.stream()
                        .filter(i -> i < courses.size())
                        .map(courses::get)
                        .toList();
                pool.withTransaction(conn -> grants.issue(
                                conn, asked.stream().map(c -> learner).toList(), asked))
                        .await()
                        .atMost(TIMEOUT);
            }
            assertEquals(first, held(learner), "asking again granted something more");
        } finally {
            tearDown(learner, project, courses);
        }
    }

    private void check(Scenario s, List<UUID> courses, Map<UUID, BigDecimal> held) {
        BigDecimal rate = BigDecimal.valueOf(s.level().equals("national") ? 3 : 6);
        Set<Integer> asked = new HashSet<>();
        s.calls().forEach(call -> call.stream().filter(i -> i < courses.size()).forEach(asked::add));
        BigDecimal worth = BigDecimal.ZERO;
        for (int i = 0; i < courses.size(); i++) {
            CourseCase c = s.courses().get(i);
            boolean eligible = asked.contains(i) && c.complete() && (!c.assessed() || c.passed());
            BigDecimal value = BigDecimal.valueOf(c.tenthsOfHours(), 1).divide(rate, 1, RoundingMode.DOWN);
            BigDecimal got = held.get(courses.get(i));
            if (!eligible) {
                assertEquals(null, got, "course " + i + " is not creditable: " + c);
                continue;
            }
            worth = worth.add(value);
            if (got != null) {
                assertTrue(
                        got.signum() > 0 && got.compareTo(value) <= 0,
                        "course " + i + " granted " + got + " of " + value);
            }
        }
        BigDecimal total = held.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(
                0,
                worth.min(BigDecimal.valueOf(s.capTenths(), 1)).compareTo(total),
                "total " + total + ", worth " + worth + ", project credits " + BigDecimal.valueOf(s.capTenths(), 1));
    }

    /** The learner's grants, course to credits (the unique key makes a second row impossible; the count says so too). */
    private Map<UUID, BigDecimal> held(UUID learner) {
        Map<UUID, BigDecimal> out = new HashMap<>();
        for (Row r : pool.preparedQuery("SELECT course_id, credits FROM credit_grant WHERE learner_id = $1")
                .execute(Tuple.of(learner))
                .await()
                .atMost(TIMEOUT)) {
            BigDecimal previous = out.put(r.getUUID("course_id"), r.getBigDecimal("credits"));
            assertEquals(null, previous, "two grants of one course");
        }
        return out;
    }

    private void setUp(Scenario s, UUID learner, UUID project, List<UUID> courses) {
        execute("INSERT INTO learner (id, subject) VALUES ($1, $2)", learner, "property-" + learner);
        execute(
                "INSERT INTO cme_project (id, number, name, level, credit_class, credits, issuer, valid_from, valid_to, "
                        + "created_at, updated_at) VALUES ($1, $2, 'property', $3, 'I', $4, 'property', current_date - 400, "
                        + "current_date + 400, now(), now())",
                project,
                "P-" + project,
                s.level(),
                BigDecimal.valueOf(s.capTenths(), 1));
        for (CourseCase c : s.courses()) {
            UUID course = UUID.randomUUID();
            courses.add(course);
            execute(
                    "INSERT INTO course (id, title, category_code, credit_class, credit_hours, status, published_at, created_at, "
                            + "updated_at, cme_project_id) SELECT $1, 'property', min(code), 'I', $2, 'published', now(), now(), now(), $3 "
                            + "FROM category",
                    course,
                    BigDecimal.valueOf(c.tenthsOfHours(), 1),
                    project);
            if (c.complete()) {
                execute(
                        "INSERT INTO course_completion (learner_id, course_id, day, completed_at) VALUES ($1, $2, current_date, now())",
                        learner,
                        course);
            }
            if (c.assessed()) {
                execute(
                        "INSERT INTO assessment (course_id, questions_per_attempt, pass_percent, attempt_limit, cooldown_minutes, "
                                + "created_at, updated_at) VALUES ($1, 1, 50, 3, 0, now(), now())",
                        course);
                if (c.passed()) {
                    execute(
                            "INSERT INTO assessment_attempt (learner_id, id, course_id, seed, paper, started_at, submitted_at, "
                                    + "score, outcome) VALUES ($1, $2, $3, 1, '[]', now(), now(), 100, 'passed')",
                            learner,
                            UUID.randomUUID(),
                            course);
                }
            }
        }
    }

    private void tearDown(UUID learner, UUID project, List<UUID> courses) {
        UUID[] ids = courses.toArray(UUID[]::new);
        execute("DELETE FROM credit_grant WHERE learner_id = $1", learner);
        execute("DELETE FROM assessment_attempt WHERE learner_id = $1", learner);
        execute("DELETE FROM assessment WHERE course_id = ANY($1)", (Object) ids);
        execute("DELETE FROM course_completion WHERE learner_id = $1", learner);
        execute("DELETE FROM course WHERE id = ANY($1)", (Object) ids);
        execute("DELETE FROM cme_project WHERE id = $1", project);
        execute("DELETE FROM learner WHERE id = $1", learner);
    }

    private static void execute(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(TIMEOUT);
    }
}
