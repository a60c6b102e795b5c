package cn.hongtong.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.Fast;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which rungs a source gets: none above its own height, the lowest always. Plain, no stack. */
@Fast
class LadderTest {

    private static List<String> names(Integer height) {
        return Transcoder.ladderFor(height).stream().map(rung -> rung.name()).toList();
    }

    @Test
    void noRungAboveTheSourceButTheLowestAlways() {
        assertEquals(List.of("160p"), names(90));
        assertEquals(List.of("160p"), names(239));
        assertEquals(List.of("160p", "240p"), names(240));
        assertEquals(List.of("160p", "240p", "360p"), names(360));
        assertEquals(List.of("160p", "240p", "360p"), names(479));
        assertEquals(List.of("160p", "240p", "360p", "480p"), names(480));
        assertEquals(List.of("160p", "240p", "360p", "480p"), names(1080));
    }

    @Test
    void anUnknownHeightGetsTheWholeLadder() {
        assertEquals(List.of("160p", "240p", "360p", "480p"), names(null));
    }
}
