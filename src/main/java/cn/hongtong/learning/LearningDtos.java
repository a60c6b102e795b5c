package cn.hongtong.learning;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of learning sessions. Times and positions are seconds. */
final class LearningDtos {

    private LearningDtos() {}

    record StartRequest(
            @NotNull UUID lessonId,

            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.:-]+", message = "must be a device id")
            String deviceId,

            @NotNull @Pattern(regexp = "mini-program|app", message = "must be mini-program or app")
            String client) {}

    record StartResponse(
            UUID sessionId, int heartbeatIntervalSeconds, double resumePositionSeconds, double durationSeconds) {}

    /**
     * {@code played}: the intervals [from, to] of the video played since the last acknowledged
     * heartbeat (resend them until acknowledged).
     */
    record HeartbeatRequest(
            @NotNull @Min(1) @Max(Integer.MAX_VALUE) Integer seq,
            @NotNull @DecimalMin("0") @DecimalMax("86400") Double position,
            @NotNull @DecimalMin("0.1") @DecimalMax("16") Double rate,

            @NotNull @Pattern(regexp = "playing|paused|ended", message = "must be playing, paused or ended")
            String state,

            @NotNull @Size(max = 64)
            List<@NotNull @Size(min = 2, max = 2) List<@NotNull @DecimalMin("0") @DecimalMax("86400") Double>>
                    played) {}

    /**
     * The server's answer to a heartbeat (the same answer again for a resent seq), as the hot
     * path writes it: documented here, passed through as it is. Seconds, to the millisecond.
     */
    @Schema(name = "HeartbeatAnswer")
    record HeartbeatAnswer(
            @Schema(description = "The newest seq applied") int ackSeq,

            @Schema(description = "Learning time credited by this heartbeat")
            double creditedNow,

            @Schema(description = "Watch time counted by this heartbeat")
            double watchedNow,

            @Schema(description = "Video in this heartbeat that the learner had covered before (watch time, no credit)")
            double rewatchedNow,

            @Schema(description = "Video in this heartbeat that was not credited, over all reasons")
            double refusedSeconds,

            @Schema(
                    description =
                            "Why: outside-video, duplicate-interval, concurrent-playback, faster-than-real-time, daily-cap")
            List<Refusal> refused,

            @Schema(description = "Whether this session holds the learner's credit (one crediting playback at a time)")
            boolean creditHolder,

            SessionTotals session,
            LessonProgress lesson,

            @Schema(description = "The reasons of refused, and stale-seq for a seq older than the newest")
            List<String> warnings) {}

    record Refusal(String reason, double seconds) {}

    /** This session's totals. */
    record SessionTotals(double creditedSeconds, double watchSeconds) {}

    /** The learner's progress in the session's lesson, over every session and device. */
    record LessonProgress(double coveredSeconds, double durationSeconds, double coverage, boolean complete) {}
}
