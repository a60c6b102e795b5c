package cn.hongtong.learning;

import cn.hongtong.catalog.PlayableLessons;
import cn.hongtong.common.CommonProblems;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.LearnerDirectory;
import cn.hongtong.learning.LearningDtos.HeartbeatAck;
import cn.hongtong.learning.LearningDtos.HeartbeatRequest;
import cn.hongtong.learning.LearningDtos.StartRequest;
import cn.hongtong.learning.LearningDtos.StartResponse;
import cn.hongtong.media.MediaAssets;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Learning sessions. Starting one reads PostgreSQL (the lesson, what the learner covered); every
 * heartbeat after that is one Lua step in Redis, and the flusher carries the results to
 * PostgreSQL. Server time is the truth.
 */
@ApplicationScoped
class SessionService {

    private static final LocalizedText TOO_MANY = LocalizedText.of("心跳过于频繁", "Too many heartbeats");
    private static final long THIRTY_DAYS = Duration.ofDays(30).toMillis();
    private static final long TWO_DAYS = Duration.ofDays(2).toMillis();

    private final HotPath hot;
    private final LearningStore store;
    private final PlayableLessons lessons;
    private final MediaAssets media;
    private final LearnerDirectory learners;
    private final LearningConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final ZoneId zone;

    SessionService(HotPath hot, LearningStore store, PlayableLessons lessons, MediaAssets media, LearnerDirectory learners,
            LearningConfig config, Clock clock, MeterRegistry metrics) {
        this.hot = hot;
        this.store = store;
        this.lessons = lessons;
        this.media = media;
        this.learners = learners;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.zone = ZoneId.of(config.timeZone());
    }

    Uni<StartResponse> start(CurrentUser user, StartRequest request) {
        String subject = user.subject();
        return lessons.find(request.lessonId())
                .onItem().ifNull().failWith(() -> new ProblemException(LearningProblems.LESSON_NOT_PLAYABLE,
                        LocalizedText.of("课时不存在或视频尚未就绪", "No such lesson, or its video is not ready")))
                .chain(lesson -> media.summaries(List.of(lesson.assetId())).map(assets -> {
                    MediaAssets.Summary asset = assets.get(lesson.assetId());
                    if (asset == null || !asset.ready() || asset.durationMs() == null) {
                        throw new ProblemException(LearningProblems.LESSON_NOT_PLAYABLE,
                                LocalizedText.of("课时视频尚未就绪", "The lesson's video is not ready"));
                    }
                    return Map.entry(lesson, asset.durationMs());
                }))
                .chain(entry -> learners.learnerId(user).chain(learner -> {
                    PlayableLessons.PlayableLesson lesson = entry.getKey();
                    int duration = entry.getValue();
                    UUID session = UUID.randomUUID();
                    Instant now = clock.instant();
                    String day = LocalDate.ofInstant(now, zone).toString();
                    return store.insertSessionIfAbsent(session, learner, lesson.lessonId(), lesson.courseId(), request.deviceId(),
                            request.client(), now)
                            .chain(() -> warmCaches(learner, lesson.lessonId(), LocalDate.ofInstant(now, zone)))
                            .chain(() -> hot.createSession(session, HotPath.newSession(subject, learner, lesson.lessonId(),
                                    lesson.courseId(), duration, request.deviceId(), now.toEpochMilli(), day),
                                    config.sessionIdleTtl().toMillis()))
                            .chain(() -> hot.get(HotPath.resumeKey(learner, lesson.lessonId())))
                            .map(resume -> new StartResponse(session, (int) config.heartbeatInterval().toSeconds(),
                                    resume == null ? 0 : Long.parseLong(resume) / 1000.0, duration / 1000.0));
                }));
    }

    /** Redis keeps coverage, resume position and today's credit; fill them from PostgreSQL when absent. */
    private Uni<Void> warmCaches(UUID learner, UUID lesson, LocalDate day) {
        String coverage = HotPath.coverageKey(learner, lesson);
        return hot.exists(coverage).chain(present -> present ? Uni.createFrom().voidItem()
                : store.progress(learner, lesson).chain(progress -> hot.setIfAbsent(coverage, progress.covered(), THIRTY_DAYS)
                        .chain(() -> progress.positionMs() > 0
                                ? hot.setIfAbsent(HotPath.resumeKey(learner, lesson), Integer.toString(progress.positionMs()), THIRTY_DAYS)
                                : Uni.createFrom().voidItem())))
                .chain(() -> warmCreditedOn(learner, day));
    }

    /** Redis counts a learner's credited time per day for the cap; fill a missing day from the ledger. */
    Uni<Void> warmCreditedOn(UUID learner, LocalDate day) {
        String key = HotPath.creditedTodayKey(learner, day.toString());
        return hot.exists(key).chain(present -> present ? Uni.createFrom().voidItem()
                : store.creditedOn(learner, day).chain(ms -> hot.setIfAbsent(key, Long.toString(ms), TWO_DAYS)));
    }

    Uni<HeartbeatAck> heartbeat(CurrentUser user, UUID session, HeartbeatRequest request) {
        String subject = user.subject();
        String played = intervals(request.played());
        Instant now = clock.instant();
        String day = LocalDate.ofInstant(now, zone).toString();
        return learnerOf(session)
                .chain(learner -> learner == null ? Uni.createFrom().item(new HotPath.Outcome("missing", null))
                        : hot.heartbeat(new HotPath.Heartbeat(session, learner.learner(), learner.lesson(), subject,
                                now.toEpochMilli(), request.seq(), millis(request.position()), request.rate(),
                                request.state(), played, day, HotPath.lockKey(learner.learner()),
                                config.heartbeatInterval().toMillis() * 3, "ratelimit:hb:session:" + session,
                                "ratelimit:hb:subject:" + subject, config.heartbeatsPerSessionPerMinute(),
                                config.heartbeatsPerLearnerPerMinute())))
                .map(outcome -> answer(outcome, "heartbeat"));
    }

    Uni<HeartbeatAck> end(CurrentUser user, UUID session) {
        return learnerOf(session).chain(learner -> learner == null ? Uni.createFrom().item(new HotPath.Outcome("missing", null))
                : hot.end(List.of(HotPath.sessionKey(session), HotPath.lockKey(learner.learner()), HotPath.STREAM),
                        List.of(user.subject(), Long.toString(clock.millis()), session.toString())))
                .map(outcome -> answer(outcome, "end"));
    }

    /** The learner and lesson of a session, from its Redis hash (the script checks the owner). */
    private record Owner(UUID learner, UUID lesson) {
    }

    /** A session's learner and lesson never change: after the first heartbeat they come from memory. */
    private final Map<UUID, Owner> owners = new java.util.concurrent.ConcurrentHashMap<>();

    private Uni<Owner> learnerOf(UUID session) {
        Owner known = owners.get(session);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return hot.fields(HotPath.sessionKey(session), "learner", "lesson").map(values -> {
            if (values == null) {
                return null;
            }
            Owner owner = new Owner(UUID.fromString(values.get(0)), UUID.fromString(values.get(1)));
            if (owners.size() >= 200_000) {
                owners.clear();
            }
            owners.put(session, owner);
            return owner;
        });
    }

    private HeartbeatAck answer(HotPath.Outcome outcome, String kind) {
        metrics.counter("hongtong.heartbeats", "kind", kind, "outcome", outcome.status()).increment();
        switch (outcome.status()) {
            case "limited" -> throw ProblemException.retryable(CommonProblems.RATE_LIMITED, TOO_MANY,
                    Duration.ofMillis(Math.max(1, outcome.waitMillis())));
            case "missing" -> throw new ProblemException(LearningProblems.SESSION_NOT_FOUND,
                    LocalizedText.of("学习会话不存在", "No such learning session"));
            case "ended" -> {
                if ("end".equals(kind) && outcome.ack() != null) {
                    return outcome.ack();
                }
                throw new ProblemException(LearningProblems.SESSION_ENDED,
                        LocalizedText.of("学习会话已结束，请开始新的会话", "The session has ended; start a new one"));
            }
            case "stale" -> {
                HeartbeatAck ack = outcome.ack();
                List<String> warnings = new ArrayList<>(ack.warnings());
                warnings.add("stale-seq");
                return new HeartbeatAck(ack.ackSeq(), ack.creditedSeconds(), ack.watchSeconds(), ack.coveredSeconds(),
                        ack.coverage(), ack.complete(), ack.credited(), warnings);
            }
            default -> {
                HeartbeatAck ack = outcome.ack();
                if (ack != null && "ok".equals(outcome.status())) {
                    ack.warnings().forEach(w -> metrics.counter("hongtong.heartbeat.rejected", "reason", w).increment());
                }
                return ack;
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
                throw ProblemException.invalidField("played[" + i + "]",
                        LocalizedText.of("区间的终点早于起点", "the interval ends before it starts"));
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(from).append(',').append(to);
        }
        return out.toString();
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }
}
