package cn.hongtong.learning;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Syncing plays recorded offline. */
final class OfflineDtos {

    private OfflineDtos() {}

    /**
     * One offline play: {@code playId} is the client's own id (a resend is answered the same);
     * {@code grant} the download grant of the lesson; {@code played} the intervals played, in seconds.
     */
    record OfflinePlay(
            @NotNull UUID playId,
            @NotBlank @Size(max = 1024) String grant,
            @NotNull UUID lessonId,

            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.:-]+")
            String deviceId,

            @NotNull Instant startedAt,
            @NotNull Instant endedAt,
            @DecimalMin("0.1") @DecimalMax("16") Double rate,

            @NotNull @Size(max = 256)
            List<@NotNull @Size(min = 2, max = 2) List<@NotNull @DecimalMin("0") @DecimalMax("86400") Double>>
                    played) {}

    record SyncRequest(@NotEmpty @Size(max = 50) List<@Valid @NotNull OfflinePlay> plays) {}

    /**
     * What became of a play: accepted (with what it earned, and what of its claim was not credited
     * and why: {@code refused} lists the reasons) or rejected (with the reason).
     */
    record PlayResult(
            UUID playId,
            String status,
            String reason,
            double creditedSeconds,
            double refusedSeconds,
            List<String> refused) {}

    record SyncResponse(List<PlayResult> results) {}
}
