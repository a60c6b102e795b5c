package cn.hongtong.credit;

import cn.hongtong.audit.AuditLog;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.credit.CreditDtos.AdminAssessment;
import cn.hongtong.credit.CreditDtos.AdminQuestion;
import cn.hongtong.credit.CreditDtos.AssessmentSettings;
import cn.hongtong.credit.CreditDtos.QuestionInput;
import cn.hongtong.credit.CreditDtos.QuestionRemoval;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** Course admins' side of an assessment: its settings and its question bank. */
@ApplicationScoped
class QuestionBank {

    private final CreditStore store;
    private final AuditLog audit;
    private final Clock clock;

    QuestionBank(CreditStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    Uni<AdminAssessment> get(UUID course) {
        return view(store.pool(), course);
    }

    Uni<AdminAssessment> putSettings(UUID course, AssessmentSettings settings) {
        return store.pool()
                .withTransaction(conn -> store.requireCourse(conn, course)
                        .chain(() -> store.putSettings(conn, course, settings, clock.instant()))
                        .chain(() -> audit.record(
                                conn,
                                "assessment.settings-set",
                                "course",
                                course,
                                Map.of(
                                        "questionsPerAttempt",
                                        settings.questionsPerAttempt(),
                                        "passPercent",
                                        settings.passPercent(),
                                        "attemptLimit",
                                        settings.attemptLimit())))
                        .chain(() -> view(conn, course)));
    }

    Uni<AdminQuestion> add(UUID course, QuestionInput input) {
        check(input);
        UUID id = UUID.randomUUID();
        return store.pool()
                .withTransaction(conn -> store.requireCourse(conn, course)
                        .chain(() -> store.insertQuestion(conn, course, id, input, clock.instant()))
                        .chain(() -> audit.record(
                                conn, "question.created", "question", id, Map.of("course", course.toString())))
                        .chain(() -> store.question(conn, course, id)));
    }

    /** Edits a question; attempts already drawn keep the paper they were given. */
    Uni<AdminQuestion> edit(UUID course, UUID id, QuestionInput input) {
        check(input);
        return store.pool()
                .withTransaction(conn -> store.updateQuestion(conn, course, id, input, clock.instant())
                        .chain(updated -> {
                            if (!updated) {
                                throw new ProblemException(CreditProblems.QUESTION_NOT_FOUND);
                            }
                            return audit.record(
                                    conn, "question.updated", "question", id, Map.of("course", course.toString()));
                        })
                        .chain(() -> store.question(conn, course, id)));
    }

    Uni<QuestionRemoval> remove(UUID course, UUID id) {
        return store.pool()
                .withTransaction(conn -> store.removeQuestion(conn, course, id, clock.instant())
                        .chain(outcome -> {
                            if (outcome == null) {
                                throw new ProblemException(CreditProblems.QUESTION_NOT_FOUND);
                            }
                            return audit.record(
                                            conn,
                                            "question." + outcome,
                                            "question",
                                            id,
                                            Map.of("course", course.toString()))
                                    .replaceWith(new QuestionRemoval(id, outcome));
                        }));
    }

    private Uni<AdminAssessment> view(SqlClient client, UUID course) {
        return store.requireCourse(client, course)
                .chain(() -> store.settings(client, course))
                .chain(settings -> store.questions(client, course)
                        .map(questions -> new AdminAssessment(
                                course,
                                settings,
                                (int) questions.stream()
                                        .filter(q -> q.status().equals("active"))
                                        .count(),
                                questions)));
    }

    private static void check(QuestionInput input) {
        String why = Papers.invalid(input);
        if (why != null) {
            throw ProblemException.invalidField("correct", LocalizedText.of("试题无效：" + why, "invalid question: " + why));
        }
    }
}
