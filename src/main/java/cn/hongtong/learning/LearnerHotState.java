package cn.hongtong.learning;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Other features' way to a learner's state in Redis. Every key of a learner carries the learner's
 * hash tag, so one DEL removes them together (one slot in a cluster).
 */
@ApplicationScoped
public class LearnerHotState {

    private final HotPath hot;
    private final ZoneId zone;

    LearnerHotState(HotPath hot, LearningConfig config) {
        this.hot = hot;
        this.zone = config.timeZone();
    }

    /**
     * Forgets everything Redis holds about a learner: the given sessions (their hashes hold the
     * subject and the device id), coverage and resume position of the given lessons, the day
     * counters around today, the credit and watch clocks, the lock, the rate counters and the
     * progress stamp (so no replica serves a kept answer of the account any more).
     */
    public Uni<Void> forget(UUID learner, Collection<UUID> sessions, Collection<UUID> lessons, LocalDate today) {
        String tag = HotPath.tag(learner);
        List<String> keys = new ArrayList<>(List.of(
                HotPath.creditClockKey(learner),
                tag + ":watch-clock",
                tag + ":credit-lock",
                tag + ":rate",
                HotPath.progressStampKey(learner)));
        for (UUID session : sessions) {
            keys.add(HotPath.sessionKey(learner, session));
            keys.add(tag + ":rate:" + session);
        }
        for (UUID lesson : lessons) {
            keys.add(HotPath.coverageKey(learner, lesson));
            keys.add(HotPath.resumeKey(learner, lesson));
        }
        for (int d = -2; d <= 1; d++) {
            keys.add(HotPath.creditedTodayKey(learner, today.plusDays(d).toString()));
        }
        return hot.delete(keys);
    }

    /** Today in the learning time zone (the day counters' zone). */
    public LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, zone);
    }
}
