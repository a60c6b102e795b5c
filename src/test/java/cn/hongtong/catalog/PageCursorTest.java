package cn.hongtong.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cn.hongtong.common.CommonProblems;
import cn.hongtong.common.ProblemException;
import cn.hongtong.testsupport.Fast;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The catalog's keyset cursor: what a client gets back is where it was; anything else is a 400. */
@Fast
class PageCursorTest {

    @Property
    void aCursorDecodesToWhereItWas(
            @ForAll @LongRange(min = -62_135_596_800L, max = 253_402_300_799L) long seconds,
            @ForAll @LongRange(min = 0, max = 999_999_999) long nanos,
            @ForAll long most,
            @ForAll long least) {
        PageCursor cursor = new PageCursor(Instant.ofEpochSecond(seconds, nanos), new UUID(most, least));
        String text = cursor.encode();
        assertEquals(cursor, PageCursor.decode(text));
        // Opaque and safe in a query string: base64url without padding.
        assertEquals(-1, text.indexOf('='));
        assertEquals(-1, text.indexOf('+'));
        assertEquals(-1, text.indexOf('/'));
    }

    @Property
    void anythingElseIsAValidationProblem(@ForAll String garbage) {
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(garbage.getBytes(StandardCharsets.UTF_8));
        for (String candidate : new String[] {garbage, text}) {
            try {
                PageCursor decoded = PageCursor.decode(candidate);
                // A string that happens to be a cursor must be one exactly.
                assertEquals(candidate, decoded.encode());
            } catch (ProblemException e) {
                assertEquals(CommonProblems.VALIDATION_FAILED, e.type());
                assertEquals("cursor", e.errors().get(0).field());
            }
        }
    }

    @Test
    void noCursorIsTheFirstPage() {
        assertNull(PageCursor.decode(null));
        assertThrows(ProblemException.class, () -> PageCursor.decode(""));
        assertThrows(ProblemException.class, () -> PageCursor.decode("%%%"));
    }
}
