package cn.hongtong.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.common.ProblemException;
import cn.hongtong.testsupport.Fast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The played intervals of a heartbeat, as the hot path receives them ("s,e,s,e" in milliseconds),
 * and the stream's coverage as PostgreSQL multiranges: pure conversions, checked without Redis.
 */
@Fast
class PlayedIntervalsTest {

    @Test
    void secondsBecomeMillisecondsRounded() {
        assertEquals(
                "0,10000,12345,12346",
                SessionService.intervals(List.of(List.of(0.0, 10.0), List.of(12.3454, 12.3456))));
        assertEquals("", SessionService.intervals(List.of()));
    }

    @Test
    void aReversedIntervalIsRefusedNamingIt() {
        ProblemException e = assertThrows(
                ProblemException.class, () -> SessionService.intervals(List.of(List.of(0.0, 1.0), List.of(5.0, 4.0))));
        assertEquals("played[1]", e.errors().get(0).field());
    }

    @Property
    void everyIntervalKeepsItsOrderAndPlace(
            @ForAll @Size(max = 64) List<@DoubleRange(min = 0, max = 7200) Double> starts,
            @ForAll @DoubleRange(min = 0, max = 600) double length) {
        List<List<Double>> played = new ArrayList<>();
        for (double s : starts) {
            played.add(List.of(s, s + length));
        }
        String text = SessionService.intervals(played);
        String[] n = text.isEmpty() ? new String[0] : text.split(",");
        assertEquals(2 * played.size(), n.length);
        for (int i = 0; i < played.size(); i++) {
            long from = Long.parseLong(n[2 * i]);
            long to = Long.parseLong(n[2 * i + 1]);
            assertTrue(from <= to);
            assertEquals(Math.round(played.get(i).get(0) * 1000), from);
        }
    }

    @Property
    void aMultirangeHasEveryPairAsAHalfOpenRange(
            @ForAll @Size(max = 20) List<@DoubleRange(min = 0, max = 1e6) Double> starts) {
        StringBuilder pairs = new StringBuilder();
        for (double s : starts) {
            long from = (long) s;
            long to = from + 1000;
            pairs.append(pairs.isEmpty() ? "" : ",").append(from).append(',').append(to);
        }
        // The multirange the flusher writes holds every pair of every event as a half-open range,
        // once, in order, the empty ones dropped.
        List<Long> sorted =
                starts.stream().map(Double::longValue).distinct().sorted().toList();
        assertEquals(
                "{"
                        + String.join(
                                ",",
                                sorted.stream()
                                        .map(f -> "[" + f + "," + (f + 1000) + ")")
                                        .toList()) + "}",
                FlushBatch.union(List.of("", pairs.toString(), "")));
    }

    @Test
    void aStreamEntryDecodesAndABrokenOneThrows() {
        Map<String, String> fields = new HashMap<>(Map.ofEntries(
                Map.entry("type", "heartbeat"),
                Map.entry("session", "00000000-0000-4000-8000-000000000001"),
                Map.entry("learner", "00000000-0000-4000-8000-000000000002"),
                Map.entry("lesson", "00000000-0000-4000-8000-000000000003"),
                Map.entry("course", "00000000-0000-4000-8000-000000000004"),
                Map.entry("duration", "60000"),
                Map.entry("seq", "3"),
                Map.entry("at", "1796306548215"),
                Map.entry("day", "2026-12-03"),
                Map.entry("position", "30000"),
                Map.entry("watch", "30000"),
                Map.entry("credited", "29000"),
                Map.entry("dwatch", "30000"),
                Map.entry("dcredited", "29000"),
                Map.entry("segments", "0,30000"),
                Map.entry("clock", "")));
        LearningEvent e = LearningEvent.of("1-0", fields);
        assertEquals(29_000, e.creditedMs());
        assertEquals("0,30000", e.segments());
        assertEquals("{[0,30000)}", FlushBatch.union(List.of(e.segments())));
        assertEquals("{}", FlushBatch.union(List.of(e.clock())));
        fields.put("credited", "lots");
        assertThrows(NumberFormatException.class, () -> LearningEvent.of("1-0", fields));
        fields.remove("credited");
        assertThrows(RuntimeException.class, () -> LearningEvent.of("1-0", fields));
    }
}
