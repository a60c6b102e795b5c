package cn.hongtong.learning;

import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/**
 * One entry of the event stream: a session's cumulative totals after a heartbeat (or at its
 * end), the coverage it added, and where playback stood. Cumulative values make applying it
 * idempotent.
 */
record LearningEvent(
        String id,
        String type,
        UUID session,
        UUID learner,
        UUID lesson,
        UUID course,
        int durationMs,
        int seq,
        long at,
        LocalDate day,
        int positionMs,
        long watchMs,
        long creditedMs,
        long dayWatchMs,
        long dayCreditedMs,
        String segments,
        String clock) {

    /** Reads a stream entry; throws for a malformed one (it goes to the dead-letter stream). */
    static LearningEvent of(String id, Map<String, String> f) {
        return new LearningEvent(
                id,
                f.get("type"),
                UUID.fromString(f.get("session")),
                UUID.fromString(f.get("learner")),
                UUID.fromString(f.get("lesson")),
                UUID.fromString(f.get("course")),
                Integer.parseInt(f.get("duration")),
                Integer.parseInt(f.get("seq")),
                Long.parseLong(f.get("at")),
                LocalDate.parse(f.get("day")),
                Integer.parseInt(f.get("position")),
                Long.parseLong(f.get("watch")),
                Long.parseLong(f.get("credited")),
                Long.parseLong(f.get("dwatch")),
                Long.parseLong(f.get("dcredited")),
                f.getOrDefault("segments", ""),
                f.getOrDefault("clock", ""));
    }

    boolean ended() {
        return "end".equals(type);
    }
}
