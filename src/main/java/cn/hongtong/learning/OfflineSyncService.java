package cn.hongtong.learning;

import cn.hongtong.catalog.CatalogProblems;
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
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Offline plays: checked for plausibility (a grant for this learner and lesson, valid over the
 * play; ended by server time; not older than the credit clock remembers), then credited by the same Lua step as online heartbeats: only the parts of the
 * play's wall-clock span, cut at server time, that the learner's credit clock has not already
 * spent online or offline, within the same daily cap.
 */
@ApplicationScoped
class OfflineSyncService {

    private final DownloadGrants grants;
    private final PlayableLessons lessons;
    private final MediaAssets media;
    private final LearnerDirectory learners;
    private final HotPath hot;
    private final SessionService sessions;
    private final LearningStore store;
    private final LearningConfig config;
    private final Clock clock;
    private final ObjectMapper mapper;

    OfflineSyncService(
            DownloadGrants grants,
            PlayableLessons lessons,
            MediaAssets media,
            LearnerDirectory learners,
            HotPath hot,
            SessionService sessions,
            LearningStore store,
            LearningConfig config,
            Clock clock,
            ObjectMapper mapper) {
        this.grants = grants;
        this.lessons = lessons;
        this.media = media;
        this.learners = learners;
        this.hot = hot;
        this.sessions = sessions;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.mapper = mapper;
    }

    Uni<SyncResponse> sync(CurrentUser user, SyncRequest request) {
        String subject = user.subject();
        return learners.learnerId(user).chain(learner -> {
            String lock = HotPath.tag(learner) + ":offline-sync";
            return hot.setIfAbsent(lock, "1", config.offline().syncLock()).chain(taken -> {
                if (!taken) {
                    return Uni.createFrom()
                            .failure(ProblemException.retryable(
                                    CommonProblems.CONFLICT,
                                    LocalizedText.of("另一次同步正在进行，请稍后重试", "Another sync is in progress; retry shortly"),
                                    Duration.ofSeconds(2)));
                }
                return Multi.createFrom()
                        .iterable(request.plays())
                        .onItem()
                        .<PlayResult>transformToUniAndConcatenate(play -> one(subject, learner, play))
                        .collect()
                        .asList()
                        .map(SyncResponse::new)
                        .eventually(() -> hot.delete(lock));
            });
        });
    }

    private Uni<PlayResult> one(String subject, UUID learner, OfflinePlay play) {
        return store.offlinePlay(learner, play.playId()).chain(known -> {
            if (known != null) {
                return Uni.createFrom().item(known);
            }
            Instant now = clock.instant();
            if (play.endedAt().isAfter(now)) {
                // Never credit time that has not passed. Not kept: a device whose clock runs ahead
                // sends the same play again later, and it is judged again then.
                return Uni.createFrom()
                        .item(new PlayResult(play.playId(), "rejected", "in-the-future", 0, 0, List.of()));
            }
            return judge(learner, play, now)
                    .chain(rejection -> rejection != null
                            ? record(learner, play, null, "rejected", rejection, 0, 0, List.of())
                            : credit(subject, learner, play, now));
        });
    }

    /** Null when the play is plausible; otherwise why not. */
    private Uni<String> judge(UUID learner, OfflinePlay play, Instant now) {
        if (!play.endedAt().isAfter(play.startedAt())) {
            return Uni.createFrom().item("ends-before-it-starts");
        }
        if (Duration.between(play.startedAt(), play.endedAt())
                        .compareTo(config.offline().longestPlay())
                > 0) {
            return Uni.createFrom().item("too-long");
        }
        if (play.startedAt().isBefore(now.minus(config.creditClockRetention()))) {
            // The credit clock no longer remembers that far back: the time may have been credited.
            return Uni.createFrom().item("too-old");
        }
        var grant = grants.verify(play.grant()).orElse(null);
        if (grant == null
                || !grant.learnerId().equals(learner)
                || !grant.lessonId().equals(play.lessonId())) {
            return Uni.createFrom().item("grant-invalid");
        }
        if (play.startedAt().isBefore(grant.validFrom()) || play.endedAt().isAfter(grant.validUntil())) {
            return Uni.createFrom().item("outside-grant");
        }
        return Uni.createFrom().nullItem();
    }

    /**
     * Credits the play in one call of the hot path: only the parts of its wall-clock span (cut at
     * server time) not already credited online or offline, within the daily cap.
     */
    private Uni<PlayResult> credit(String subject, UUID learner, OfflinePlay play, Instant now) {
        UUID session =
                UUID.nameUUIDFromBytes(("offline:" + learner + ":" + play.playId()).getBytes(StandardCharsets.UTF_8));
        return lessons.find(play.lessonId())
                .chain(lesson -> lesson == null
                        ? Uni.createFrom().nullItem()
                        : media.summaries(List.of(lesson.assetId()))
                                .map(assets -> assets.get(lesson.assetId()) == null
                                                || assets.get(lesson.assetId()).durationMs() == null
                                        ? null
                                        : Map.entry(
                                                lesson,
                                                assets.get(lesson.assetId()).durationMs())))
                .chain(entry -> {
                    if (entry == null) {
                        return record(
                                learner,
                                play,
                                null,
                                "rejected",
                                CatalogProblems.LESSON_NOT_PLAYABLE.slug(),
                                0,
                                0,
                                List.of());
                    }
                    UUID course = entry.getKey().courseId();
                    LocalDate day = LocalDate.ofInstant(play.endedAt(), config.timeZone());
                    String played = SessionService.intervals(play.played());
                    long position = play.played().isEmpty()
                            ? 0
                            : SessionService.millis(
                                    play.played().get(play.played().size() - 1).get(1));
                    return store.insertSession(
                                    session,
                                    learner,
                                    play.lessonId(),
                                    course,
                                    play.deviceId(),
                                    "offline",
                                    play.startedAt())
                            .chain(() -> sessions.openInRedis(
                                    subject,
                                    learner,
                                    session,
                                    play.lessonId(),
                                    course,
                                    entry.getValue(),
                                    play.deviceId(),
                                    play.startedAt(),
                                    day,
                                    now))
                            .chain(() -> hot.call(
                                    hot.keys(learner, session, play.lessonId(), day.toString()),
                                    hot.offline(
                                            subject,
                                            now,
                                            play.startedAt(),
                                            play.endedAt(),
                                            day.toString(),
                                            position,
                                            play.rate() == null ? 1.0 : play.rate(),
                                            played)))
                            .chain(reply -> {
                                JsonNode ack = answer(reply);
                                long credited =
                                        Math.round(ack.path("creditedNow").asDouble() * 1000);
                                long refused =
                                        Math.round(ack.path("refusedSeconds").asDouble() * 1000);
                                List<String> reasons = new ArrayList<>();
                                ack.path("refused")
                                        .forEach(r ->
                                                reasons.add(r.path("reason").asText()));
                                return record(learner, play, session, "accepted", null, credited, refused, reasons);
                            });
                });
    }

    /** The script's answer to an offline play (also when a resend finds the play already credited). */
    private JsonNode answer(HotPath.Reply reply) {
        if (!"ok".equals(reply.status()) && !"ended".equals(reply.status())) {
            throw new IllegalStateException("offline play answered " + reply.status());
        }
        try {
            return mapper.readTree(reply.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable answer of the hot path", e);
        }
    }

    private Uni<PlayResult> record(
            UUID learner,
            OfflinePlay play,
            UUID session,
            String status,
            String reason,
            long creditedMs,
            long refusedMs,
            List<String> reasons) {
        return store.recordOfflinePlay(new LearningStore.OfflineVerdict(
                learner,
                play.playId(),
                play.lessonId(),
                session,
                play.startedAt(),
                play.endedAt(),
                status,
                reason,
                creditedMs,
                refusedMs,
                reasons));
    }
}
