package cn.hongtong.learning;

import cn.hongtong.catalog.PlayableLessons;
import cn.hongtong.common.CommonProblems;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.LearnerDirectory;
import cn.hongtong.learning.OfflineDtos.OfflinePlay;
import cn.hongtong.learning.OfflineDtos.PlayResult;
import cn.hongtong.learning.OfflineDtos.SyncRequest;
import cn.hongtong.learning.OfflineDtos.SyncResponse;
import cn.hongtong.media.DownloadGrants;
import cn.hongtong.media.MediaAssets;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Offline plays: checked for plausibility (a grant for this learner and lesson, valid over the
 * play; not in the future; no overlap in wall-clock time with the learner's other plays), then
 * credited by the same Lua step as online heartbeats, with the play's own span as the time
 * budget and the same daily cap.
 */
@ApplicationScoped
class OfflineSyncService {

    private static final Duration SKEW = Duration.ofMinutes(1);
    private static final Duration LONGEST_PLAY = Duration.ofHours(6);

    private final DownloadGrants grants;
    private final PlayableLessons lessons;
    private final MediaAssets media;
    private final LearnerDirectory learners;
    private final HotPath hot;
    private final SessionService sessions;
    private final LearningStore store;
    private final Pool pool;
    private final LearningConfig config;
    private final Clock clock;
    private final ZoneId zone;

    OfflineSyncService(DownloadGrants grants, PlayableLessons lessons, MediaAssets media, LearnerDirectory learners,
            HotPath hot, SessionService sessions, LearningStore store, Pool pool, LearningConfig config, Clock clock) {
        this.grants = grants;
        this.lessons = lessons;
        this.media = media;
        this.learners = learners;
        this.hot = hot;
        this.sessions = sessions;
        this.store = store;
        this.pool = pool;
        this.config = config;
        this.clock = clock;
        this.zone = ZoneId.of(config.timeZone());
    }

    Uni<SyncResponse> sync(CurrentUser user, SyncRequest request) {
        String subject = user.subject();
        return learners.learnerId(user).chain(learner -> {
            String lock = "offline-sync:" + learner;
            return hot.setIfAbsentReporting(lock, "1", 60_000).chain(taken -> {
                if (!taken) {
                    return Uni.createFrom().failure(ProblemException.retryable(CommonProblems.CONFLICT,
                            LocalizedText.of("另一次同步正在进行，请稍后重试", "Another sync is in progress; retry shortly"),
                            Duration.ofSeconds(2)));
                }
                return Multi.createFrom().iterable(request.plays())
                        .onItem().<PlayResult>transformToUniAndConcatenate(play -> one(subject, learner, play))
                        .collect().asList()
                        .map(SyncResponse::new)
                        .eventually(() -> hot.delete(lock));
            });
        });
    }

    private Uni<PlayResult> one(String subject, UUID learner, OfflinePlay play) {
        return previous(learner, play.playId()).chain(known -> known != null ? Uni.createFrom().item(known)
                : judge(learner, play).chain(rejection -> rejection != null
                        ? record(learner, play, null, "rejected", rejection, 0)
                        : credit(subject, learner, play)));
    }

    private Uni<PlayResult> previous(UUID learner, UUID playId) {
        return pool.preparedQuery("SELECT status, reason, credited_ms FROM offline_play WHERE learner_id = $1 AND play_id = $2")
                .execute(Tuple.of(learner, playId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new PlayResult(playId, r.getString("status"), r.getString("reason"), r.getLong("credited_ms") / 1000.0);
                });
    }

    /** Null when the play is plausible; otherwise why not. */
    private Uni<String> judge(UUID learner, OfflinePlay play) {
        Instant now = clock.instant();
        if (!play.endedAt().isAfter(play.startedAt())) {
            return Uni.createFrom().item("ends-before-it-starts");
        }
        if (play.endedAt().isAfter(now.plus(SKEW))) {
            return Uni.createFrom().item("in-the-future");
        }
        if (Duration.between(play.startedAt(), play.endedAt()).compareTo(LONGEST_PLAY) > 0) {
            return Uni.createFrom().item("too-long");
        }
        var grant = grants.verify(play.grant()).orElse(null);
        if (grant == null || !grant.learnerId().equals(learner) || !grant.lessonId().equals(play.lessonId())) {
            return Uni.createFrom().item("grant-invalid");
        }
        if (play.startedAt().isBefore(grant.validFrom()) || play.endedAt().isAfter(grant.validUntil())) {
            return Uni.createFrom().item("outside-grant");
        }
        return pool.preparedQuery("""
                SELECT (SELECT count(*) FROM offline_play
                        WHERE learner_id = $1 AND status = 'accepted'
                          AND tstzrange(started_at, ended_at) && tstzrange($2, $3))
                     + (SELECT count(*) FROM learning_session
                        WHERE learner_id = $1 AND client <> 'offline'
                          AND tstzrange(started_at, greatest(started_at, coalesce(ended_at, last_heartbeat_at, started_at)), '[]')
                              && tstzrange($2, $3)
                          AND watch_ms > 0) AS overlaps""")
                .execute(Tuple.of(learner, play.startedAt().atOffset(ZoneOffset.UTC), play.endedAt().atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong("overlaps") > 0 ? "overlaps-another-play" : null);
    }

    private Uni<PlayResult> credit(String subject, UUID learner, OfflinePlay play) {
        UUID session = UUID.nameUUIDFromBytes(("offline:" + learner + ":" + play.playId()).getBytes(StandardCharsets.UTF_8));
        return lessons.find(play.lessonId())
                .chain(lesson -> lesson == null ? Uni.createFrom().nullItem() : media.summaries(List.of(lesson.assetId()))
                        .map(assets -> assets.get(lesson.assetId()) == null || assets.get(lesson.assetId()).durationMs() == null
                                ? null : Map.entry(lesson, assets.get(lesson.assetId()).durationMs())))
                .chain(entry -> {
                    if (entry == null) {
                        return record(learner, play, null, "rejected", "lesson-not-playable", 0);
                    }
                    long start = play.startedAt().toEpochMilli();
                    String day = LocalDate.ofInstant(play.endedAt(), zone).toString();
                    Map<String, String> fields = HotPath.newSession(subject, learner, play.lessonId(),
                            entry.getKey().courseId(), entry.getValue(), play.deviceId(), start, day);
                    return store.insertSessionIfAbsent(session, learner, play.lessonId(), entry.getKey().courseId(),
                                    play.deviceId(), "offline", play.startedAt())
                            .chain(() -> hot.createSessionIfAbsent(session, fields, config.sessionIdleTtl().toMillis()))
                            .chain(() -> sessions.warmCreditedOn(learner, LocalDate.parse(day)))
                            // Offline plays never contend for the online credit lock (overlap was checked)
                            // and are limited by their own checks, not per minute.
                            .chain(() -> hot.heartbeat(new HotPath.Heartbeat(session, learner, play.lessonId(), subject,
                                    play.endedAt().toEpochMilli(), 1, 0, play.rate() == null ? 1.0 : play.rate(), "ended",
                                    SessionService.intervals(play.played()), day, "credit-lock:offline:" + session, 1000,
                                    "ratelimit:offline:" + session, "ratelimit:offline:" + session,
                                    Integer.MAX_VALUE, Integer.MAX_VALUE)))
                            .chain(outcome -> hot.end(List.of(HotPath.sessionKey(session), "credit-lock:offline:" + session,
                                            HotPath.STREAM), List.of(subject, Long.toString(play.endedAt().toEpochMilli()),
                                            session.toString()))
                                    .replaceWith(outcome))
                            .chain(outcome -> {
                                long credited = outcome.ack() == null ? 0 : Math.round(outcome.ack().creditedSeconds() * 1000);
                                return record(learner, play, session, "accepted", null, credited);
                            });
                });
    }

    private Uni<PlayResult> record(UUID learner, OfflinePlay play, UUID session, String status, String reason, long creditedMs) {
        return pool.preparedQuery("INSERT INTO offline_play (learner_id, play_id, lesson_id, session_id, started_at, ended_at, "
                + "status, reason, credited_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now()) "
                + "ON CONFLICT (learner_id, play_id) DO NOTHING")
                .execute(Tuple.from(new Object[] { learner, play.playId(), play.lessonId(), session,
                        play.startedAt().atOffset(ZoneOffset.UTC), play.endedAt().atOffset(ZoneOffset.UTC), status, reason,
                        creditedMs }))
                .chain(() -> previous(learner, play.playId()));
    }
}
