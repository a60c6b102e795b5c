package cn.hongtong.learning;

import cn.hongtong.catalog.PlayableLessons;
import cn.hongtong.common.CommonProblems;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.LearnerDirectory;
import cn.hongtong.learning.LearningDtos.HeartbeatRequest;
import cn.hongtong.learning.LearningDtos.StartRequest;
import cn.hongtong.learning.LearningDtos.StartResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Learning sessions. Starting one reads PostgreSQL (the lesson, what the learner covered); every
 * heartbeat after that is one Lua step in Redis, and the flusher carries the results to
 * PostgreSQL. Server time is the truth.
 */
@ApplicationScoped
class SessionService {

    private static final LocalizedText TOO_MANY = LocalizedText.of("心跳过于频繁", "Too many heartbeats");
    /** Lesson of no session: what a session that is not the caller's is looked up with. */
    private static final UUID NO_LESSON = new UUID(0, 0);
    /** Entries of the in-memory lookups before they start again empty. */
    private final HotPath hot;

    private final LearningStore store;
    private final PlayableLessons lessons;
    private final LearnerDirectory learners;
    private final LearningConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final ZoneId zone;

    SessionService(
            HotPath hot,
            LearningStore store,
            PlayableLessons lessons,
            LearnerDirectory learners,
            LearningConfig config,
            Clock clock,
            MeterRegistry metrics) {
        this.hot = hot;
        this.store = store;
        this.lessons = lessons;
        this.learners = learners;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.zone = config.timeZone();
    }

    Uni<StartResponse> start(CurrentUser user, StartRequest request) {
        String subject = user.subject();
        return lessons.requireReady(request.lessonId())
                .chain(ready -> learnerOf(user).chain(learner -> {
                    PlayableLessons.PlayableLesson lesson = ready.lesson();
                    int duration = ready.durationMs();
                    UUID session = UUID.randomUUID();
                    Instant now = clock.instant();
                    LocalDate day = LocalDate.ofInstant(now, zone);
                    return store.insertSession(
                                    session,
                                    learner,
                                    lesson.lessonId(),
                                    lesson.courseId(),
                                    request.deviceId(),
                                    request.client(),
                                    now)
                            .invoke(inserted -> {
                                if (!inserted) {
                                    learnerBySubject.remove(subject);
                                    throw LearnerDirectory.accountErased();
                                }
                            })
                            .chain(() -> openInRedis(
                                    subject,
                                    learner,
                                    session,
                                    lesson.lessonId(),
                                    lesson.courseId(),
                                    duration,
                                    request.deviceId(),
                                    now,
                                    day,
                                    now))
                            .chain(() -> hot.get(HotPath.resumeKey(learner, lesson.lessonId())))
                            .map(resume -> new StartResponse(
                                    session,
                                    (int) config.heartbeatInterval().toSeconds(),
                                    resume == null ? 0 : Long.parseLong(resume) / 1000.0,
                                    duration / 1000.0));
                }));
    }

    /**
     * A session's state in Redis, once its PostgreSQL row exists: the learner's caches warmed for
     * the lesson and the day, then the session itself (started at {@code start}; an offline
     * play's start lies in the past).
     */
    Uni<Void> openInRedis(
            String subject,
            UUID learner,
            UUID session,
            UUID lesson,
            UUID course,
            int durationMs,
            String device,
            Instant start,
            LocalDate day,
            Instant now) {
        return warmCaches(learner, lesson, day, now)
                .chain(() -> hot.createSession(
                        learner,
                        session,
                        HotPath.newSession(
                                session,
                                subject,
                                learner,
                                lesson,
                                course,
                                durationMs,
                                device,
                                start.toEpochMilli(),
                                day.toString())))
                .replaceWithVoid();
    }

    /** Redis keeps coverage, resume position, today's credit and the credit clock; fill them from PostgreSQL when absent. */
    Uni<Void> warmCaches(UUID learner, UUID lesson, LocalDate day, Instant now) {
        String coverage = HotPath.coverageKey(learner, lesson);
        return hot.exists(coverage)
                .chain(present -> present
                        ? Uni.createFrom().voidItem()
                        : store.lessonState(learner, lesson)
                                .chain(progress -> hot.setIfAbsent(
                                                coverage,
                                                progress.covered(),
                                                config.redis().lessonStateTtl())
                                        .chain(() -> progress.positionMs() > 0
                                                ? hot.setIfAbsent(
                                                        HotPath.resumeKey(learner, lesson),
                                                        Integer.toString(progress.positionMs()),
                                                        config.redis().lessonStateTtl())
                                                : Uni.createFrom().voidItem())))
                .chain(() -> warmCreditedOn(learner, day))
                .chain(() -> warmCreditClock(learner, now));
    }

    /** Redis counts a learner's credited time per day for the cap; fill a missing day from the ledger. */
    private Uni<Void> warmCreditedOn(UUID learner, LocalDate day) {
        String key = HotPath.creditedTodayKey(learner, day.toString());
        return hot.exists(key)
                .chain(present -> present
                        ? Uni.createFrom().voidItem()
                        : store.creditedOn(learner, day)
                                .chain(ms -> hot.setIfAbsent(
                                        key, Long.toString(ms), config.redis().dayCounterTtl()))
                                .replaceWithVoid());
    }

    /**
     * The credit clock lives in Redis; the flusher keeps a copy in PostgreSQL. When Redis has lost
     * it (or it expired with nothing in it to keep), it is filled again from the copy, so spent
     * wall-clock time stays spent.
     */
    private Uni<Void> warmCreditClock(UUID learner, Instant now) {
        String key = HotPath.creditClockKey(learner);
        Duration retention = config.creditClockRetention();
        return hot.exists(key)
                .chain(present -> present
                        ? Uni.createFrom().voidItem()
                        : store.creditClock(
                                        learner,
                                        LocalDate.ofInstant(now.minus(retention), zone)
                                                .minusDays(1))
                                .chain(spans -> hot.setIfAbsent(key, spans, hot.clockTtl()))
                                .replaceWithVoid());
    }

    Uni<String> heartbeat(CurrentUser user, UUID session, HeartbeatRequest request) {
        String played = intervals(request.played());
        Instant now = clock.instant();
        String day = LocalDate.ofInstant(now, zone).toString();
        return learnerOf(user)
                .chain(learner -> lessonOf(learner, session)
                        .chain(lesson -> hot.call(
                                hot.keys(learner, session, lesson, day),
                                hot.online(
                                        user.subject(),
                                        now,
                                        day,
                                        request.seq(),
                                        millis(request.position()),
                                        request.rate(),
                                        request.state(),
                                        played))))
                .map(reply -> answer(reply, "heartbeat"));
    }

    Uni<String> end(CurrentUser user, UUID session) {
        Instant now = clock.instant();
        return learnerOf(user)
                .chain(learner -> lessonOf(learner, session)
                        .chain(lesson -> hot.call(
                                hot.keys(
                                        learner,
                                        session,
                                        lesson,
                                        LocalDate.ofInstant(now, zone).toString()),
                                hot.end(user.subject(), now))))
                .map(reply -> answer(reply, "end"));
    }

    /** A token's subject always names the same learner: after the first call it comes from memory. */
    private final Map<String, UUID> learnerBySubject = new ConcurrentHashMap<>();

    private Uni<UUID> learnerOf(CurrentUser user) {
        UUID known = learnerBySubject.get(user.subject());
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return learners.learnerId(user).invoke(id -> {
            if (learnerBySubject.size() >= config.memoSize()) {
                learnerBySubject.clear();
            }
            learnerBySubject.put(user.subject(), id);
        });
    }

    /** A session's lesson, read from its hash under the caller's own learner tag. */
    private record Owned(UUID learner, UUID lesson) {}

    private final Map<UUID, Owned> lessonBySession = new ConcurrentHashMap<>();

    /**
     * The lesson of the caller's session; for a session that is not the caller's (or does not
     * exist) a lesson no key names, so the script still counts the caller's rate limit and then
     * answers "missing" without touching anyone else's keys.
     */
    private Uni<UUID> lessonOf(UUID learner, UUID session) {
        Owned known = lessonBySession.get(session);
        if (known != null && known.learner().equals(learner)) {
            return Uni.createFrom().item(known.lesson());
        }
        return hot.field(HotPath.sessionKey(learner, session), "lesson").map(lesson -> {
            if (lesson == null) {
                return NO_LESSON;
            }
            UUID id = UUID.fromString(lesson);
            if (lessonBySession.size() >= config.memoSize()) {
                lessonBySession.clear();
            }
            lessonBySession.put(session, new Owned(learner, id));
            return id;
        });
    }

    private String answer(HotPath.Reply reply, String kind) {
        metrics.counter("hongtong.heartbeats", "kind", kind, "outcome", reply.status())
                .increment();
        switch (reply.status()) {
            case "limited" ->
                throw ProblemException.retryable(
                        CommonProblems.RATE_LIMITED, TOO_MANY, Duration.ofMillis(Math.max(1, reply.waitMillis())));
            case "missing" ->
                throw new ProblemException(
                        LearningProblems.SESSION_NOT_FOUND, LocalizedText.of("学习会话不存在", "No such learning session"));
            case "ended" -> {
                if ("end".equals(kind) && !reply.json().isEmpty()) {
                    return reply.json();
                }
                throw new ProblemException(
                        LearningProblems.SESSION_ENDED,
                        LocalizedText.of("学习会话已结束，请开始新的会话", "The session has ended; start a new one"));
            }
            default -> {
                reply.reasons()
                        .forEach(r -> metrics.counter("hongtong.heartbeat.rejected", "reason", r)
                                .increment());
                return reply.json();
            }
        }
    }

    /** [[from, to], ...] in seconds to "s,e,s,e" in milliseconds; a reversed interval is refused. */
    static String intervals(List<List<Double>> played) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < played.size(); i++) {
            long from = millis(played.get(i).get(0));
            long to = millis(played.get(i).get(1));
            if (to < from) {
                throw ProblemException.invalidField(
                        "played[" + i + "]", LocalizedText.of("区间的终点早于起点", "the interval ends before it starts"));
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(from).append(',').append(to);
        }
        return out.toString();
    }

    static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }
}
