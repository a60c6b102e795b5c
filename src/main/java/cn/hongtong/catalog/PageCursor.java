package cn.hongtong.catalog;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** An opaque keyset position: a timestamp and an id, base64url-encoded. */
record PageCursor(Instant at, UUID id) {

    String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((at.toString() + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The decoded cursor; null for null; a 400 problem for anything malformed. */
    static PageCursor decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            return new PageCursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw ProblemException.invalidField("cursor", LocalizedText.of("分页游标无效", "invalid cursor"));
        }
    }
}
