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

/** Request and response bodies of learning sessions. Times and positions are seconds. */
final class LearningDtos {

    private LearningDtos() {
    }

    record StartRequest(
            @NotNull UUID lessonId,
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.:-]+", message = "must be a device id") String deviceId,
            @NotNull @Pattern(regexp = "mini-program|app", message = "must be mini-program or app") String client) {
    }

    record StartResponse(UUID sessionId, int heartbeatIntervalSeconds, double resumePositionSeconds,
            double durationSeconds) {
    }

    /**
     * {@code played}: the intervals [from, to] of the video played since the last acknowledged
     * heartbeat (resend them until acknowledged).
     */
    record HeartbeatRequest(
            @NotNull @Min(1) @Max(Integer.MAX_VALUE) Integer seq,
            @NotNull @DecimalMin("0") @DecimalMax("86400") Double position,
            @NotNull @DecimalMin("0.1") @DecimalMax("16") Double rate,
            @NotNull @Pattern(regexp = "playing|paused|ended", message = "must be playing, paused or ended") String state,
            @NotNull @Size(max = 64) List<@NotNull @Size(min = 2, max = 2) List<@NotNull @DecimalMin("0") @DecimalMax("86400") Double>> played) {
    }

    /** The server's answer to a heartbeat; the same answer again for a resent seq. */
    record HeartbeatAck(int ackSeq, double creditedSeconds, double watchSeconds, double coveredSeconds,
            double coverage, boolean complete, boolean credited, List<String> warnings) {
    }
}
