package cn.hongtong.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Redis fixed-window limiter against the real Redis. */
@QuarkusTest
class RateLimiterTest {

    private static final LocalizedText DETAIL = LocalizedText.of("太快了", "too fast");

    @Inject
    RateLimiter limiter;

    @Test
    void allowsTheLimitThenRefusesWithRetryAfter() {
        String key = "test:" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            limiter.hit(key, 3, Duration.ofSeconds(30), DETAIL).await().atMost(Duration.ofSeconds(5));
        }
        ProblemException refused = assertThrows(
                ProblemException.class,
                () -> limiter.hit(key, 3, Duration.ofSeconds(30), DETAIL)
                        .await()
                        .atMost(Duration.ofSeconds(5)));
        assertEquals(CommonProblems.RATE_LIMITED, refused.type());
        assertTrue(refused.retryAfter().compareTo(Duration.ZERO) > 0);
        assertTrue(refused.retryAfter().compareTo(Duration.ofSeconds(30)) <= 0);
    }

    @Test
    void aNewWindowStartsAfterTheOldOneEnds() throws InterruptedException {
        String key = "test:" + UUID.randomUUID();
        limiter.hit(key, 1, Duration.ofMillis(300), DETAIL).await().atMost(Duration.ofSeconds(5));
        assertThrows(
                ProblemException.class,
                () -> limiter.hit(key, 1, Duration.ofMillis(300), DETAIL)
                        .await()
                        .atMost(Duration.ofSeconds(5)));
        Thread.sleep(400);
        limiter.hit(key, 1, Duration.ofMillis(300), DETAIL).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void keysAreCountedApart() {
        String a = "test:" + UUID.randomUUID();
        String b = "test:" + UUID.randomUUID();
        limiter.hit(a, 1, Duration.ofSeconds(30), DETAIL).await().atMost(Duration.ofSeconds(5));
        limiter.hit(b, 1, Duration.ofSeconds(30), DETAIL).await().atMost(Duration.ofSeconds(5));
    }
}
