package cn.hongtong.credit;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.credit.CreditDtos.AssessmentSettings;
import cn.hongtong.credit.CreditDtos.AssessmentStatus;
import cn.hongtong.credit.CreditDtos.Attempt;
import cn.hongtong.credit.CreditDtos.AttemptRef;
import cn.hongtong.credit.CreditDtos.AttemptResult;
import cn.hongtong.credit.CreditDtos.PaperQuestion;
import cn.hongtong.credit.CreditDtos.Submission;
import cn.hongtong.credit.CreditStore.AttemptRow;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.LearnerDirectory;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A learner's side of an assessment. Rules, all on server time: it opens when the course is
 * complete; one attempt open at a time; at most the attempt limit; after a failed attempt the
 * cool-down; an attempt with a time limit takes no answers after its deadline (plus a small grace
 * for the trip) and counts as failed ("expired") from then. Starting and submitting are
 * idempotent by the attempt id the client chose. Passing grants the credit in the same
 * transaction ({@link CreditGrants}).
 */
@ApplicationScoped
class AssessmentService {

    private final CreditStore store;
    private final LearnerDirectory learners;
    private final CreditGrants grants;
    private final CreditConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    AssessmentService(
            CreditStore store, LearnerDirectory learners, CreditGrants grants, CreditConfig config, Clock clock) {
        this.store = store;
        this.learners = learners;
        this.grants = grants;
        this.config = config;
        this.clock = clock;
    }

    /** Where the learner stands: every attempt's state, what is allowed next, the credit if granted. */
    private record Standing(
            List<AttemptRow> attempts, AttemptRow open, boolean passed, Integer bestScore, Instant nextAttemptAt) {}

    private Standing standing(AssessmentSettings settings, List<AttemptRow> attempts, Instant now) {
        AttemptRow open = null;
        boolean passed = false;
        Integer best = null;
        Instant lastFailureEnd = null;
        for (AttemptRow a : attempts) {
            String outcome = outcome(a, now);
            if (outcome == null) {
                open = a;
                continue;
            }
            passed |= outcome.equals("passed");
            int score = a.score() == null ? 0 : a.score();
            best = best == null ? score : Math.max(best, score);
            if (!outcome.equals("passed")) {
                Instant end = a.submittedAt() != null ? a.submittedAt() : a.deadline();
                lastFailureEnd = lastFailureEnd == null || end.isAfter(lastFailureEnd) ? end : lastFailureEnd;
            }
        }
        Instant next =
                lastFailureEnd == null ? null : lastFailureEnd.plus(Duration.ofMinutes(settings.cooldownMinutes()));
        return new Standing(attempts, open, passed, best, next != null && next.isAfter(now) ? next : null);
    }

    /** The attempt's outcome: as submitted, "expired" once past its deadline and grace, null while open. */
    private String outcome(AttemptRow a, Instant now) {
        if (a.outcome() != null) {
            return a.outcome();
        }
        return a.deadline() != null
                        && now.isAfter(a.deadline().plus(config.assessment().submissionGrace()))
                ? "expired"
                : null;
    }

    Uni<AssessmentStatus> status(CurrentUser user, UUID course) {
        Instant now = clock.instant();
        return learners.learnerId(user)
                .chain(learner -> store.pool()
                        .withConnection(conn -> store.requireCourse(conn, course)
                                .chain(() -> Uni.combine()
                                        .all()
                                        .unis(
                                                store.settings(conn, course),
                                                store.complete(conn, learner, course),
                                                store.attempts(conn, learner, course),
                                                store.credit(conn, learner, course),
                                                store.activeQuestions(conn, course))
                                        .asTuple())
                                .map(t -> {
                                    AssessmentSettings s = t.getItem1();
                                    boolean complete = t.getItem2();
                                    if (s == null) {
                                        return new AssessmentStatus(
                                                course,
                                                false,
                                                complete,
                                                null,
                                                null,
                                                null,
                                                0,
                                                null,
                                                null,
                                                null,
                                                null,
                                                false,
                                                null,
                                                false,
                                                t.getItem4());
                                    }
                                    Standing st = standing(s, t.getItem3(), now);
                                    boolean canStart = complete
                                            && !st.passed()
                                            && st.open() == null
                                            && st.attempts().size() < s.attemptLimit()
                                            && st.nextAttemptAt() == null
                                            && t.getItem5() >= s.questionsPerAttempt();
                                    return new AssessmentStatus(
                                            course,
                                            true,
                                            complete,
                                            s.questionsPerAttempt(),
                                            s.passPercent(),
                                            s.attemptLimit(),
                                            st.attempts().size(),
                                            s.cooldownMinutes(),
                                            s.timeLimitSeconds(),
                                            st.nextAttemptAt(),
                                            st.open() == null
                                                    ? null
                                                    : new AttemptRef(
                                                            st.open().id(),
                                                            st.open().startedAt(),
                                                            st.open().deadline()),
                                            st.passed(),
                                            st.bestScore(),
                                            canStart,
                                            t.getItem4());
                                })));
    }

    /** Starts an attempt, or answers the one this id already started. */
    Uni<Attempt> start(CurrentUser user, UUID course, UUID attemptId) {
        return learners.learnerId(user)
                .chain(learner -> store.pool()
                        .withTransaction(conn -> store.settings(conn, course).chain(settings -> {
                            if (settings == null) {
                                throw new ProblemException(CreditProblems.NO_ASSESSMENT);
                            }
                            return store.lockCompletion(conn, learner, course)
                                    .chain(complete -> {
                                        if (!complete) {
                                            throw new ProblemException(CreditProblems.ASSESSMENT_LOCKED);
                                        }
                                        return store.attempt(conn, learner, attemptId, false);
                                    })
                                    .chain(existing -> existing != null
                                            ? Uni.createFrom().item(view(sameCourse(existing, course), settings, null))
                                            : draw(conn, learner, course, attemptId, settings));
                        })));
    }

    private Uni<Attempt> draw(
            SqlConnection conn, UUID learner, UUID course, UUID attemptId, AssessmentSettings settings) {
        Instant now = clock.instant();
        return store.attempts(conn, learner, course)
                .chain(attempts -> {
                    Standing st = standing(settings, attempts, now);
                    if (st.passed()) {
                        throw new ProblemException(CreditProblems.ALREADY_PASSED);
                    }
                    if (st.open() != null) {
                        throw new ProblemException(CreditProblems.ATTEMPT_OPEN);
                    }
                    if (attempts.size() >= settings.attemptLimit()) {
                        throw new ProblemException(CreditProblems.ATTEMPTS_EXHAUSTED);
                    }
                    if (st.nextAttemptAt() != null) {
                        throw ProblemException.retryable(
                                CreditProblems.COOLING_DOWN,
                                LocalizedText.of(
                                        "下次考核开放时间：" + st.nextAttemptAt(),
                                        "the next attempt opens at " + st.nextAttemptAt()),
                                Duration.between(now, st.nextAttemptAt()));
                    }
                    return store.bank(conn, course);
                })
                .chain(bank -> {
                    if (bank.size() < settings.questionsPerAttempt()) {
                        throw new ProblemException(CreditProblems.ASSESSMENT_NOT_READY);
                    }
                    long seed = random.nextLong();
                    List<Papers.Question> paper = Papers.draw(bank, settings.questionsPerAttempt(), seed);
                    Instant deadline =
                            settings.timeLimitSeconds() == null ? null : now.plusSeconds(settings.timeLimitSeconds());
                    return store.insertAttempt(conn, learner, attemptId, course, seed, paper, now, deadline)
                            .chain(() -> store.markDrawn(
                                    conn,
                                    paper.stream().map(Papers.Question::id).toList()))
                            .chain(() -> store.attempt(conn, learner, attemptId, false))
                            .map(row -> view(row, settings, null));
                });
    }

    /**
     * The learner's credit for a course, granted now if earned and not granted before (a course
     * completed before it joined a project, say): the same rules and the same exactly-once as the
     * flusher's and the assessment's grants.
     */
    Uni<CreditDtos.Credit> claim(CurrentUser user, UUID course) {
        return learners.learnerId(user)
                .chain(learner -> store.pool()
                        .withTransaction(conn -> store.requireCourse(conn, course)
                                .chain(() -> grants.issue(conn, List.of(learner), List.of(course)))
                                .chain(() -> store.credit(conn, learner, course))))
                .map(credit -> {
                    if (credit == null) {
                        throw new ProblemException(CreditProblems.NOT_EARNED);
                    }
                    return credit;
                });
    }

    Uni<Attempt> get(CurrentUser user, UUID course, UUID attemptId) {
        return learners.learnerId(user)
                .chain(learner -> store.pool()
                        .withConnection(conn -> store.settings(conn, course)
                                .chain(settings -> store.attempt(conn, learner, attemptId, false)
                                        .chain(row -> {
                                            if (row == null || !row.courseId().equals(course) || settings == null) {
                                                throw new ProblemException(CreditProblems.ATTEMPT_NOT_FOUND);
                                            }
                                            return withCredit(conn, learner, row, settings);
                                        }))));
    }

    /** What a submission came to: a result, or a problem to answer after the transaction commits. */
    private record Submitted(Attempt attempt, ProblemException problem) {}

    Uni<Attempt> submit(CurrentUser user, UUID course, UUID attemptId, Submission submission) {
        Instant now = clock.instant();
        return learners.learnerId(user)
                .chain(learner -> store.pool()
                        .withTransaction(conn -> store.settings(conn, course)
                                .chain(settings -> store.attempt(conn, learner, attemptId, true)
                                        .chain(row -> {
                                            if (row == null || !row.courseId().equals(course) || settings == null) {
                                                throw new ProblemException(CreditProblems.ATTEMPT_NOT_FOUND);
                                            }
                                            Map<UUID, List<String>> answers = normalized(submission);
                                            if (row.outcome() != null) {
                                                if (row.outcome().equals("expired")) {
                                                    throw new ProblemException(CreditProblems.TIME_OVER);
                                                }
                                                if (!answers.equals(row.answers())) {
                                                    throw new ProblemException(CreditProblems.ALREADY_SUBMITTED);
                                                }
                                                return withCredit(conn, learner, row, settings)
                                                        .map(a -> new Submitted(a, null));
                                            }
                                            if ("expired".equals(outcome(row, now))) {
                                                // Kept as failed (it counts toward the limit and starts the cool-down),
                                                // then refused.
                                                return store.finishAttempt(
                                                                conn,
                                                                learner,
                                                                attemptId,
                                                                row.deadline(),
                                                                null,
                                                                0,
                                                                0,
                                                                "expired")
                                                        .replaceWith(new Submitted(
                                                                null, new ProblemException(CreditProblems.TIME_OVER)));
                                            }
                                            String misfit = Papers.misfit(row.paper(), submission.answers());
                                            if (misfit != null) {
                                                throw ProblemException.invalidField(
                                                        "answers", LocalizedText.of("答案与试卷不符：" + misfit, misfit));
                                            }
                                            Papers.Graded graded =
                                                    Papers.grade(row.paper(), answers, settings.passPercent());
                                            String outcome = graded.passed() ? "passed" : "failed";
                                            return store.finishAttempt(
                                                            conn,
                                                            learner,
                                                            attemptId,
                                                            now,
                                                            answers,
                                                            graded.correctCount(),
                                                            graded.score(),
                                                            outcome)
                                                    .chain(() -> graded.passed()
                                                            ? grants.issue(conn, List.of(learner), List.of(course))
                                                                    .replaceWithVoid()
                                                            : Uni.createFrom().voidItem())
                                                    .chain(() -> store.attempt(conn, learner, attemptId, false))
                                                    .chain(done -> withCredit(conn, learner, done, settings))
                                                    .map(a -> new Submitted(a, null));
                                        }))))
                .map(s -> {
                    if (s.problem() != null) {
                        throw s.problem();
                    }
                    return s.attempt();
                });
    }

    private Uni<Attempt> withCredit(SqlConnection conn, UUID learner, AttemptRow row, AssessmentSettings settings) {
        Instant now = clock.instant();
        if (row.outcome() == null && "expired".equals(outcome(row, now))) {
            return Uni.createFrom().item(view(expired(row), settings, null));
        }
        if (!"passed".equals(row.outcome())) {
            return Uni.createFrom().item(view(row, settings, null));
        }
        return store.credit(conn, learner, row.courseId()).map(credit -> view(row, settings, credit));
    }

    private static AttemptRow expired(AttemptRow a) {
        return new AttemptRow(
                a.id(),
                a.courseId(),
                a.seed(),
                a.paper(),
                a.startedAt(),
                a.deadline(),
                a.deadline(),
                Map.of(),
                0,
                0,
                "expired");
    }

    /** The learner's view: the paper without answers while open; the graded review (and the credit) once over. */
    private static Attempt view(AttemptRow row, AssessmentSettings settings, CreditDtos.Credit credit) {
        List<PaperQuestion> questions = new ArrayList<>();
        row.paper().forEach(q -> questions.add(new PaperQuestion(q.id(), q.kind(), q.stem(), q.options())));
        AttemptResult result = null;
        if (row.outcome() != null) {
            Papers.Graded graded =
                    Papers.grade(row.paper(), row.answers() == null ? Map.of() : row.answers(), settings.passPercent());
            result = new AttemptResult(
                    row.outcome(),
                    row.score() == null ? 0 : row.score(),
                    row.correctCount() == null ? 0 : row.correctCount(),
                    row.paper().size(),
                    settings.passPercent(),
                    row.submittedAt(),
                    graded.review(),
                    credit);
        }
        Integer limit = row.deadline() == null
                ? null
                : (int) Duration.between(row.startedAt(), row.deadline()).toSeconds();
        return new Attempt(row.id(), row.courseId(), row.startedAt(), row.deadline(), limit, questions, result);
    }

    private static AttemptRow sameCourse(AttemptRow existing, UUID course) {
        if (!existing.courseId().equals(course)) {
            throw new ProblemException(CreditProblems.ATTEMPT_ID_IN_USE);
        }
        return existing;
    }

    /** Answers as stored and compared: question id to its chosen options, sorted; unanswered questions left out. */
    static Map<UUID, List<String>> normalized(Submission submission) {
        Map<UUID, List<String>> out = new TreeMap<>();
        for (CreditDtos.Answer a : submission.answers()) {
            if (!a.choices().isEmpty()) {
                out.put(a.questionId(), a.choices().stream().sorted().distinct().toList());
            }
        }
        return out;
    }
}
