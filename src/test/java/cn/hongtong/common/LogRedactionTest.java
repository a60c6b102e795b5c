package cn.hongtong.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Fast;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The console filter masks what a library may put into a message (plain unit test, no stack). */
@Fast
class LogRedactionTest {

    @Test
    void secretsAndIdentifiersInQueriesAreMasked() {
        String uri =
                "GET https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=s3cr3t&js_code=abc&grant_type=authorization_code";
        String out = LogRedaction.redact("The timeout period of 2000ms has been exceeded while executing " + uri);
        assertFalse(out.contains("s3cr3t"), out);
        assertFalse(out.contains("js_code=abc"), out);
        assertTrue(out.contains("appid=wx1"), "what is not secret stays readable: " + out);
        assertTrue(out.contains("grant_type=authorization_code"), out);
    }

    @Test
    void presignedSignaturesTokensAndUriCredentialsAreMasked() {
        String text = "http://minio:9000/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261202&"
                + "X-Amz-Signature=deadbeef; Authorization: Bearer abcdefgh.ijkl; redis://user:pa55@redis:6379; "
                + "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl; {\"unionid\":\"oU123\",\"nickname\":\"x\"}";
        String out = LogRedaction.redact(text);
        for (String secret : new String[] {"AKIA", "deadbeef", "abcdefgh.ijkl", "pa55", "eyJzdWIiOiJ4In0", "oU123"}) {
            assertFalse(out.contains(secret), secret + " in " + out);
        }
        assertTrue(out.contains("X-Amz-Algorithm=AWS4-HMAC-SHA256"), out);
        assertTrue(out.contains("\"nickname\":\"x\""), out);
    }

    @Test
    void errcodeIsNotTakenForACode() {
        assertEquals("errcode=40029 errmsg=invalid", LogRedaction.redact("errcode=40029 errmsg=invalid"));
    }

    @Test
    void theFilterRewritesTheRecordAndItsExceptionChain() {
        LogRecord record = new LogRecord(Level.WARNING, "failed: https://x/y?secret=topsecret&a=1");
        record.setThrown(new RuntimeException("outer", new IllegalStateException("GET /users?idpUserId=oUabc failed")));
        assertTrue(new LogRedaction().isLoggable(record));
        assertFalse(record.getMessage().contains("topsecret"), record.getMessage());
        Throwable cause = record.getThrown().getCause();
        assertFalse(cause.getMessage().contains("oUabc"), cause.getMessage());
        assertTrue(cause.toString().startsWith(IllegalStateException.class.getName()), cause.toString());
        assertEquals(record.getThrown().getStackTrace().length > 0, true);
    }
}
