package cn.hongtong.credit;

import cn.hongtong.catalog.CatalogProblems;
import cn.hongtong.common.ProblemException;
import cn.hongtong.credit.CreditDtos.AdminQuestion;
import cn.hongtong.credit.CreditDtos.AssessmentSettings;
import cn.hongtong.credit.CreditDtos.Credit;
import cn.hongtong.credit.CreditDtos.Option;
import cn.hongtong.credit.CreditDtos.Project;
import cn.hongtong.credit.CreditDtos.ProjectInput;
import cn.hongtong.credit.CreditDtos.QuestionInput;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** All the SQL of continuing-education credit, but the granting rules (V20's credit_grant_issue). */
@ApplicationScoped
class CreditStore {

    private static final TypeReference<List<Option>> OPTIONS = new TypeReference<>() {};
    private static final TypeReference<List<Papers.Question>> PAPER = new TypeReference<>() {};
    private static final TypeReference<Map<UUID, List<String>>> ANSWERS = new TypeReference<>() {};

    private final Pool pool;
    private final ObjectMapper mapper;

    CreditStore(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /**
     * Calls {@code credit_grant_issue} (migration V20, where the granting rules live) for the
     * pairs, in the caller's transaction; answers the grants it made.
     * Static: the flusher's writer reaches it through {@link CreditGrants} outside CDI in tests.
     */
    static Uni<List<CreditGrants.Granted>> issueGrants(
            SqlConnection conn,
            List<UUID> learners,
            List<UUID> courses,
            LocalDate today,
            BigDecimal hoursNational,
            BigDecimal hoursProvincial) {
        return conn.preparedQuery(
                        "SELECT id, learner_id, course_id, credits FROM credit_grant_issue($1, $2, $3, $4, $5)")
                .execute(Tuple.of(
                        learners.toArray(UUID[]::new),
                        courses.toArray(UUID[]::new),
                        today,
                        hoursNational,
                        hoursProvincial))
                .map(rows -> {
                    List<CreditGrants.Granted> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new CreditGrants.Granted(
                            r.getUUID("id"),
                            r.getUUID("learner_id"),
                            r.getUUID("course_id"),
                            r.getBigDecimal("credits"))));
                    return out;
                });
    }

    Pool pool() {
        return pool;
    }

    // --- projects

    private static final String PROJECT_COLUMNS =
            "p.id, p.number, p.name, p.level, p.credit_class, p.credits, p.issuer, "
                    + "p.valid_from, p.valid_to, (SELECT count(*) FROM course c WHERE c.cme_project_id = p.id) AS courses";

    Uni<List<Project>> projects() {
        return pool.query("SELECT " + PROJECT_COLUMNS + " FROM cme_project p ORDER BY p.valid_to DESC, p.number")
                .execute()
                .map(rows -> list(rows, CreditStore::project));
    }

    Uni<Project> project(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + PROJECT_COLUMNS + " FROM cme_project p WHERE p.id = $1")
                .execute(Tuple.of(id))
                .map(rows -> first(rows, CreditStore::project));
    }

    Uni<Integer> insertProject(SqlConnection conn, UUID id, ProjectInput in, Instant now) {
        return conn.preparedQuery("INSERT INTO cme_project (id, number, name, level, credit_class, credits, issuer, "
                        + "valid_from, valid_to, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) "
                        + "ON CONFLICT (number) DO NOTHING")
                .execute(projectArgs(id, in, now))
                .map(RowSet::rowCount);
    }

    /** 1 updated, 0 no such project, -1 the number belongs to another project. */
    Uni<Integer> updateProject(SqlConnection conn, UUID id, ProjectInput in, Instant now) {
        return conn.preparedQuery("SELECT id FROM cme_project WHERE number = $1 AND id <> $2")
                .execute(Tuple.of(in.number().strip(), id))
                .chain(taken -> taken.size() > 0
                        ? Uni.createFrom().item(-1)
                        : conn.preparedQuery(
                                        "UPDATE cme_project SET number = $2, name = $3, level = $4, credit_class = $5, "
                                                + "credits = $6, issuer = $7, valid_from = $8, valid_to = $9, updated_at = $10 WHERE id = $1")
                                .execute(projectArgs(id, in, now))
                                .map(RowSet::rowCount));
    }

    /** Moves a course into a project (its class becomes the project's) or out of any; false: no such course. */
    Uni<Boolean> setCourseProject(SqlConnection conn, UUID course, UUID project, Instant now) {
        return conn.preparedQuery("UPDATE course c SET cme_project_id = $2, updated_at = $3, "
                        + "credit_class = coalesce((SELECT p.credit_class FROM cme_project p WHERE p.id = $2), c.credit_class) "
                        + "WHERE c.id = $1")
                .execute(Tuple.of(course, project, utc(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    Uni<UUID> courseProject(SqlClient client, UUID course) {
        return client.preparedQuery("SELECT cme_project_id FROM course WHERE id = $1")
                .execute(Tuple.of(course))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
    }

    /** Fails with course-not-found unless the course exists (any status). */
    Uni<Void> requireCourse(SqlClient client, UUID course) {
        return client.preparedQuery("SELECT 1 FROM course WHERE id = $1")
                .execute(Tuple.of(course))
                .invoke(rows -> {
                    if (rows.size() == 0) {
                        throw new ProblemException(CatalogProblems.COURSE_NOT_FOUND);
                    }
                })
                .replaceWithVoid();
    }

    /** $1 the project's id, $2 to $9 its fields, $10 the time of the change. */
    private static Tuple projectArgs(UUID id, ProjectInput in, Instant now) {
        return Tuple.from(new Object[] {
            id,
            in.number().strip(),
            in.name().strip(),
            in.level(),
            in.creditClass(),
            in.credits(),
            in.issuer().strip(),
            in.validFrom(),
            in.validTo(),
            utc(now)
        });
    }

    private static Project project(Row r) {
        return new Project(
                r.getUUID("id"),
                r.getString("number"),
                r.getString("name"),
                r.getString("level"),
                r.getString("credit_class"),
                r.getBigDecimal("credits"),
                r.getString("issuer"),
                r.getLocalDate("valid_from"),
                r.getLocalDate("valid_to"),
                r.getLong("courses").intValue());
    }

    // --- assessment settings and the question bank

    Uni<AssessmentSettings> settings(SqlClient client, UUID course) {
        return client.preparedQuery("SELECT * FROM assessment WHERE course_id = $1")
                .execute(Tuple.of(course))
                .map(rows -> first(
                        rows,
                        r -> new AssessmentSettings(
                                r.getInteger("questions_per_attempt"),
                                r.getInteger("pass_percent"),
                                r.getInteger("attempt_limit"),
                                r.getInteger("cooldown_minutes"),
                                r.getInteger("time_limit_seconds"))));
    }

    Uni<Void> putSettings(SqlConnection conn, UUID course, AssessmentSettings s, Instant now) {
        return conn.preparedQuery("""
                INSERT INTO assessment (course_id, questions_per_attempt, pass_percent, attempt_limit, cooldown_minutes,
                                        time_limit_seconds, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                ON CONFLICT (course_id) DO UPDATE SET questions_per_attempt = EXCLUDED.questions_per_attempt,
                    pass_percent = EXCLUDED.pass_percent, attempt_limit = EXCLUDED.attempt_limit,
                    cooldown_minutes = EXCLUDED.cooldown_minutes, time_limit_seconds = EXCLUDED.time_limit_seconds,
                    updated_at = EXCLUDED.updated_at""")
                .execute(Tuple.from(new Object[] {
                    course,
                    s.questionsPerAttempt().shortValue(),
                    s.passPercent().shortValue(),
                    s.attemptLimit().shortValue(),
                    s.cooldownMinutes(),
                    s.timeLimitSeconds(),
                    utc(now)
                }))
                .replaceWithVoid();
    }

    Uni<List<AdminQuestion>> questions(SqlClient client, UUID course) {
        return client.preparedQuery("SELECT * FROM assessment_question WHERE course_id = $1 ORDER BY created_at, id")
                .execute(Tuple.of(course))
                .map(rows -> list(rows, this::adminQuestion));
    }

    Uni<AdminQuestion> question(SqlClient client, UUID course, UUID id) {
        return client.preparedQuery("SELECT * FROM assessment_question WHERE course_id = $1 AND id = $2")
                .execute(Tuple.of(course, id))
                .map(rows -> first(rows, this::adminQuestion));
    }

    /** How many questions of a course's bank may be drawn. */
    Uni<Integer> activeQuestions(SqlClient client, UUID course) {
        return client.preparedQuery(
                        "SELECT count(*) FROM assessment_question WHERE course_id = $1 AND retired_at IS NULL")
                .execute(Tuple.of(course))
                .map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    /** The active questions of a course's bank, with their answers. */
    Uni<List<Papers.Question>> bank(SqlClient client, UUID course) {
        return client.preparedQuery("SELECT * FROM assessment_question WHERE course_id = $1 AND retired_at IS NULL")
                .execute(Tuple.of(course))
                .map(rows -> list(
                        rows,
                        r -> new Papers.Question(
                                r.getUUID("id"),
                                r.getString("kind"),
                                r.getString("stem"),
                                read(r.getJsonArray("options").encode(), OPTIONS),
                                List.of(r.getArrayOfStrings("correct")),
                                r.getString("explanation"))));
    }

    /** $1 the question's id, $2 its course, $3 to $7 its fields, $8 the time of the change. */
    private Tuple questionArgs(UUID id, UUID course, QuestionInput in, Instant now) {
        return Tuple.from(new Object[] {
            id,
            course,
            in.kind(),
            in.stem().strip(),
            write(options(in)),
            in.correct().toArray(String[]::new),
            explanation(in),
            utc(now)
        });
    }

    Uni<Void> insertQuestion(SqlConnection conn, UUID course, UUID id, QuestionInput in, Instant now) {
        return conn.preparedQuery(
                        "INSERT INTO assessment_question (id, course_id, kind, stem, options, correct, explanation, "
                                + "created_at, updated_at) VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $8)")
                .execute(questionArgs(id, course, in, now))
                .replaceWithVoid();
    }

    Uni<Boolean> updateQuestion(SqlConnection conn, UUID course, UUID id, QuestionInput in, Instant now) {
        return conn.preparedQuery("UPDATE assessment_question SET kind = $3, stem = $4, options = $5::text::jsonb, "
                        + "correct = $6, explanation = $7, updated_at = $8 WHERE id = $1 AND course_id = $2")
                .execute(questionArgs(id, course, in, now))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Deletes a question no attempt drew, retires one that was drawn: "deleted", "retired", or null (no such question). */
    Uni<String> removeQuestion(SqlConnection conn, UUID course, UUID id, Instant now) {
        return conn.preparedQuery("DELETE FROM assessment_question WHERE course_id = $1 AND id = $2 AND NOT drawn")
                .execute(Tuple.of(course, id))
                .chain(deleted -> deleted.rowCount() == 1
                        ? Uni.createFrom().item("deleted")
                        : conn.preparedQuery("UPDATE assessment_question SET retired_at = coalesce(retired_at, $3), "
                                        + "updated_at = $3 WHERE course_id = $1 AND id = $2")
                                .execute(Tuple.of(course, id, utc(now)))
                                .map(rows -> rows.rowCount() == 1 ? "retired" : null));
    }

    Uni<Void> markDrawn(SqlConnection conn, List<UUID> questions) {
        return conn.preparedQuery("UPDATE assessment_question SET drawn = true WHERE id = ANY($1) AND NOT drawn")
                .execute(Tuple.of(questions.toArray(UUID[]::new)))
                .replaceWithVoid();
    }

    private static List<Option> options(QuestionInput in) {
        return in.options().stream()
                .map(o -> new Option(o.id(), o.text().strip()))
                .toList();
    }

    private static String explanation(QuestionInput in) {
        return in.explanation() == null ? "" : in.explanation().strip();
    }

    private AdminQuestion adminQuestion(Row r) {
        return new AdminQuestion(
                r.getUUID("id"),
                r.getString("kind"),
                r.getString("stem"),
                read(r.getJsonArray("options").encode(), OPTIONS),
                List.of(r.getArrayOfStrings("correct")),
                r.getString("explanation"),
                r.getOffsetDateTime("retired_at") == null ? "active" : "retired",
                r.getBoolean("drawn"),
                r.getOffsetDateTime("updated_at").toInstant());
    }

    // --- attempts

    /** An attempt as stored. */
    record AttemptRow(
            UUID id,
            UUID courseId,
            long seed,
            List<Papers.Question> paper,
            Instant startedAt,
            Instant deadline,
            Instant submittedAt,
            Map<UUID, List<String>> answers,
            Integer correctCount,
            Integer score,
            String outcome) {}

    /** The learner's attempts at a course, oldest first. */
    Uni<List<AttemptRow>> attempts(SqlClient client, UUID learner, UUID course) {
        return client.preparedQuery(
                        "SELECT * FROM assessment_attempt WHERE learner_id = $1 AND course_id = $2 ORDER BY started_at, id")
                .execute(Tuple.of(learner, course))
                .map(rows -> list(rows, this::attempt));
    }

    Uni<AttemptRow> attempt(SqlClient client, UUID learner, UUID id, boolean forUpdate) {
        return client.preparedQuery("SELECT * FROM assessment_attempt WHERE learner_id = $1 AND id = $2"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(learner, id))
                .map(rows -> first(rows, this::attempt));
    }

    Uni<Void> insertAttempt(
            SqlConnection conn,
            UUID learner,
            UUID id,
            UUID course,
            long seed,
            List<Papers.Question> paper,
            Instant startedAt,
            Instant deadline) {
        return conn.preparedQuery("""
                INSERT INTO assessment_attempt (learner_id, id, course_id, seed, paper, started_at, deadline,
                                                region_code, institution_id, profession)
                SELECT l.id, $2, $3, $4, $5::text::jsonb, $6, $7, l.region_code, l.institution_id, l.profession
                FROM learner l WHERE l.id = $1""")
                .execute(Tuple.from(new Object[] {
                    learner, id, course, seed, write(paper), utc(startedAt), deadline == null ? null : utc(deadline)
                }))
                .replaceWithVoid();
    }

    Uni<Void> finishAttempt(
            SqlConnection conn,
            UUID learner,
            UUID id,
            Instant at,
            Map<UUID, List<String>> answers,
            int correct,
            int score,
            String outcome) {
        return conn.preparedQuery(
                        "UPDATE assessment_attempt SET submitted_at = $3, answers = $4::text::jsonb, "
                                + "correct_count = $5, score = $6, outcome = $7 WHERE learner_id = $1 AND id = $2 AND submitted_at IS NULL")
                .execute(Tuple.from(new Object[] {
                    learner,
                    id,
                    utc(at),
                    answers == null ? null : write(answers),
                    (short) correct,
                    (short) score,
                    outcome
                }))
                .replaceWithVoid();
    }

    /** Serialises starts of one learner at one course (their completion row: it exists once the course is complete). */
    Uni<Boolean> lockCompletion(SqlConnection conn, UUID learner, UUID course) {
        return conn.preparedQuery("SELECT 1 FROM course_completion WHERE learner_id = $1 AND course_id = $2 FOR UPDATE")
                .execute(Tuple.of(learner, course))
                .map(rows -> rows.size() > 0);
    }

    Uni<Boolean> complete(SqlClient client, UUID learner, UUID course) {
        return client.preparedQuery("SELECT 1 FROM course_completion WHERE learner_id = $1 AND course_id = $2")
                .execute(Tuple.of(learner, course))
                .map(rows -> rows.size() > 0);
    }

    private AttemptRow attempt(Row r) {
        return new AttemptRow(
                r.getUUID("id"),
                r.getUUID("course_id"),
                r.getLong("seed"),
                read(r.getValue("paper").toString(), PAPER),
                instant(r, "started_at"),
                instant(r, "deadline"),
                instant(r, "submitted_at"),
                r.getValue("answers") == null
                        ? null
                        : read(r.getValue("answers").toString(), ANSWERS),
                r.getInteger("correct_count"),
                r.getInteger("score"),
                r.getString("outcome"));
    }

    // --- grants

    private static final String CREDIT_SELECT = """
            SELECT g.id, g.course_id, c.title, p.number, p.name, g.level, g.credit_class, g.credits, g.hours, g.learned_ms,
                   g.granted_on, g.verification_code, g.revoked_at, g.revoke_reason, g.learner_id
            FROM credit_grant g JOIN course c ON c.id = g.course_id JOIN cme_project p ON p.id = g.project_id
            """;

    Uni<List<Credit>> credits(SqlClient client, UUID learner, LocalDate from, LocalDate to) {
        return client.preparedQuery(CREDIT_SELECT + "WHERE g.learner_id = $1 AND g.granted_on BETWEEN $2 AND $3 "
                        + "ORDER BY g.granted_on, c.title, g.id")
                .execute(Tuple.of(learner, from, to))
                .map(rows -> list(rows, CreditStore::credit));
    }

    Uni<Credit> credit(SqlClient client, UUID learner, UUID course) {
        return client.preparedQuery(CREDIT_SELECT + "WHERE g.learner_id = $1 AND g.course_id = $2")
                .execute(Tuple.of(learner, course))
                .map(rows -> first(rows, CreditStore::credit));
    }

    Uni<Credit> creditById(SqlClient client, UUID id) {
        return client.preparedQuery(CREDIT_SELECT + "WHERE g.id = $1")
                .execute(Tuple.of(id))
                .map(rows -> first(rows, CreditStore::credit));
    }

    /** The owner of a grant, or null. */
    Uni<UUID> creditOwner(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT learner_id FROM credit_grant WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
    }

    /** The latest grant on or before a day (revoked ones do not count). */
    Uni<LocalDate> lastCreditOn(SqlClient client, UUID learner, LocalDate from, LocalDate to) {
        return client.preparedQuery(
                        "SELECT max(granted_on) FROM credit_grant WHERE learner_id = $1 AND revoked_at IS NULL "
                                + "AND granted_on BETWEEN $2 AND $3")
                .execute(Tuple.of(learner, from, to))
                .map(rows -> rows.iterator().next().getLocalDate(0));
    }

    /** Revokes a valid grant: 1 revoked now, 0 already revoked (the first revocation is kept), -1 no such grant. */
    Uni<Integer> revoke(SqlConnection conn, UUID id, String by, String reason, Instant at) {
        return conn.preparedQuery("UPDATE credit_grant SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 "
                        + "WHERE id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(id, utc(at), by, reason))
                .chain(rows -> rows.rowCount() == 1
                        ? Uni.createFrom().item(1)
                        : conn.preparedQuery("SELECT 1 FROM credit_grant WHERE id = $1")
                                .execute(Tuple.of(id))
                                .map(found -> found.size() > 0 ? 0 : -1));
    }

    /** What a certificate prints beyond the credit: the learner's name and institution. */
    record Holder(String name, String institution, String cmeId, String profession) {}

    Uni<Holder> holder(SqlClient client, UUID learner) {
        return client.preparedQuery(
                        "SELECT l.display_name, i.name AS institution, l.cme_id, l.profession FROM learner l "
                                + "LEFT JOIN institution i ON i.id = l.institution_id WHERE l.id = $1")
                .execute(Tuple.of(learner))
                .map(rows -> first(
                        rows,
                        r -> new Holder(
                                r.getString("display_name"),
                                r.getString("institution"),
                                r.getString("cme_id"),
                                r.getString("profession"))));
    }

    /** A grant found by its verification code, with its holder's name (null once the account is erased). */
    record Verified(Credit credit, String name) {}

    Uni<Verified> verify(String code) {
        return pool.preparedQuery(CREDIT_SELECT.replace("SELECT g.id", "SELECT l.display_name, g.id")
                        + "JOIN learner l ON l.id = g.learner_id WHERE g.verification_code = $1")
                .execute(Tuple.of(code))
                .map(rows -> first(rows, r -> new Verified(credit(r), r.getString("display_name"))));
    }

    Uni<Void> setCmeId(UUID learner, String cmeId) {
        return pool.preparedQuery("UPDATE learner SET cme_id = $2, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(learner, cmeId))
                .replaceWithVoid();
    }

    /** One row of a project's export. */
    record ExportRow(
            String projectNumber,
            String projectName,
            String learnerName,
            UUID learnerId,
            String cmeId,
            String creditClass,
            BigDecimal credits,
            LocalDate grantedOn,
            String courseTitle,
            BigDecimal hours) {}

    Uni<List<ExportRow>> export(UUID project, LocalDate from, LocalDate to) {
        return pool.preparedQuery("""
                SELECT p.number, p.name, l.display_name, l.id AS learner_id, l.cme_id, g.credit_class, g.credits,
                       g.granted_on, c.title, g.hours
                FROM credit_grant g JOIN cme_project p ON p.id = g.project_id JOIN learner l ON l.id = g.learner_id
                JOIN course c ON c.id = g.course_id
                WHERE g.project_id = $1 AND g.revoked_at IS NULL AND g.granted_on BETWEEN $2 AND $3
                ORDER BY g.granted_on, l.display_name, g.id""")
                .execute(Tuple.of(project, from, to))
                .map(rows -> list(
                        rows,
                        r -> new ExportRow(
                                r.getString("number"),
                                r.getString("name"),
                                r.getString("display_name"),
                                r.getUUID("learner_id"),
                                r.getString("cme_id"),
                                r.getString("credit_class"),
                                r.getBigDecimal("credits"),
                                r.getLocalDate("granted_on"),
                                r.getString("title"),
                                r.getBigDecimal("hours"))));
    }

    private static Credit credit(Row r) {
        OffsetDateTime revoked = r.getOffsetDateTime("revoked_at");
        return new Credit(
                r.getUUID("id"),
                r.getUUID("course_id"),
                r.getString("title"),
                r.getString("number"),
                r.getString("name"),
                r.getString("level"),
                r.getString("credit_class"),
                r.getBigDecimal("credits"),
                r.getBigDecimal("hours"),
                BigDecimal.valueOf(r.getLong("learned_ms")).divide(BigDecimal.valueOf(3_600_000), 2, RoundingMode.DOWN),
                r.getLocalDate("granted_on"),
                r.getString("verification_code"),
                revoked == null ? "valid" : "revoked",
                revoked == null ? null : revoked.toInstant(),
                r.getString("revoke_reason"));
    }

    // --- helpers

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable", e);
        }
    }

    <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not read back", e);
        }
    }

    static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime at = r.getOffsetDateTime(column);
        return at == null ? null : at.toInstant();
    }

    private static <T> List<T> list(RowSet<Row> rows, Function<Row, T> map) {
        List<T> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(map.apply(r)));
        return out;
    }

    private static <T> T first(RowSet<Row> rows, Function<Row, T> map) {
        return rows.size() == 0 ? null : map.apply(rows.iterator().next());
    }
}
