package cn.hongtong.testsupport;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The application's clock in tests: real time, until a test fixes it and moves it by hand, so
 * that time-dependent rules can be checked to the millisecond. Tests put it back when done.
 */
@ApplicationScoped
public class TestClock extends Clock {

    private volatile Instant fixed;

    /** Stops the clock at the current real time. */
    public void fix() {
        fixed = Instant.now();
    }

    /** Stops the clock at a given instant. */
    public void fixAt(Instant at) {
        fixed = at;
    }

    public void advance(Duration by) {
        if (fixed == null) {
            throw new IllegalStateException("fix() the clock first");
        }
        fixed = fixed.plus(by);
    }

    public void advanceSeconds(double seconds) {
        advance(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    /** Back to real time. */
    public void reset() {
        fixed = null;
    }

    @Override
    public Instant instant() {
        Instant at = fixed;
        return at != null ? at : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(instant(), zone);
    }
}
