package cn.hongtong.statistics;

import cn.hongtong.statistics.Group.Count;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The cell-key method that national statistics offices use for flexible table builders (the
 * Australian Bureau of Statistics' TableBuilder, the UK's 2021 census tables), adapted to our
 * measures. Every learner has a secret random record key; a cell's key is the sum of the record
 * keys of the learners in it. Every published value is moved by a noise drawn from a hash of the
 * cell key, the measure, the true value and a deployment secret:
 *
 * <ul>
 * <li><b>consistent</b>: the same cell asked for in any way (a period, the same period as one
 * bucket of a series, a region's row or its own overview) has the same learners and value, so
 * the same answer: asking again, or another way, averages nothing away;
 * <li><b>different sets, independent noise</b>: two cells that differ by one learner (two
 * overlapping periods, a parent and its visible children, one dimension against another) have
 * different keys, so their difference carries two independent noises, never one learner's value
 * alone;
 * <li><b>bounded</b>: counts of learners and completions move by at most {@code maxCountNoise};
 * a count of five or more learners stays five or more; hours move by a quarter to all of
 * {@code hoursNoise} times the cell's mean hours per learner (and by at least 0.0002 h), never by
 * zero, so no answer gives its true hours.
 * </ul>
 *
 * Cells of no learners, and counts of no events, are exact zeros; cells of 1 to 4 learners are
 * not published at all ({@link Suppression}).
 */
final class CellKeyPerturbation {

    /** The smallest move of a published number of hours, in milliseconds (two units of 0.0001 h). */
    static final double MIN_HOURS_NOISE_MS = 720;

    private final boolean enabled;
    private final int maxCountNoise;
    private final double hoursNoise;
    private final byte[] secret;
    private final int minGroupSize;

    CellKeyPerturbation(boolean enabled, int maxCountNoise, double hoursNoise, String secret, int minGroupSize) {
        if (maxCountNoise < 0 || hoursNoise < 0) {
            throw new IllegalArgumentException("noise bounds must not be negative");
        }
        this.enabled = enabled;
        this.maxCountNoise = maxCountNoise;
        this.hoursNoise = hoursNoise;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.minGroupSize = minGroupSize;
    }

    static CellKeyPerturbation of(StatsConfig config) {
        StatsConfig.Perturbation p = config.perturbation();
        return new CellKeyPerturbation(
                p.enabled(), p.maxCountNoise(), p.hoursNoise(), p.secret().orElse(""), config.minGroupSize());
    }

    boolean enabled() {
        return enabled;
    }

    int maxCountNoise() {
        return enabled ? maxCountNoise : 0;
    }

    double hoursNoise() {
        return enabled ? hoursNoise : 0;
    }

    /** A number of distinct learners: never below the smallest published group once at or above it. */
    long learners(Count count, String measure) {
        if (!enabled || count.n() == 0) {
            return count.n();
        }
        long noisy = count.n() + countNoise(count, measure, count.n());
        return count.n() >= minGroupSize ? Math.max(minGroupSize, noisy) : Math.max(0, noisy);
    }

    /** A count of events (completions) of the cell's learners; none stays none. */
    long events(long value, Count learners, String measure) {
        if (!enabled || learners.n() == 0 || value == 0) {
            return value;
        }
        return Math.max(0, value + countNoise(learners, measure, value));
    }

    /** Hours, from milliseconds of the cell's learners, to four decimals. */
    BigDecimal hours(long ms, Count learners, String measure) {
        if (!enabled || learners.n() == 0 || ms == 0) {
            return StatsDtos.hours(ms);
        }
        double mean = (double) ms / learners.n();
        long draw = draw(learners, measure, ms);
        // At least two units of the published precision (0.36 s), so that hours never come out exact.
        double size = Math.max(MIN_HOURS_NOISE_MS, hoursNoise * mean * (0.25 + 0.75 * unit(draw)));
        double noisy = Math.max(0, ms + ((draw & 1) == 0 ? size : -size));
        return StatsDtos.hours(Math.round(noisy));
    }

    /** A count of some of the cell's learners (those who watched a percentile): at most the published whole. */
    long part(long part, Count whole, String measure, long publishedWhole) {
        if (!enabled || whole.n() == 0) {
            return part;
        }
        return Math.min(publishedWhole, Math.max(0, part + countNoise(whole, measure, part)));
    }

    private long countNoise(Count cell, String measure, long value) {
        long draw = draw(cell, measure, value);
        return Math.floorMod(draw >>> 1, 2L * maxCountNoise + 1) - maxCountNoise;
    }

    /** 64 bits from SHA-256 of the secret, the measure, the cell key, its size and the true value. */
    private long draw(Count cell, String measure, long value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(secret);
            sha.update((byte) 0);
            sha.update(measure.getBytes(StandardCharsets.UTF_8));
            sha.update(ByteBuffer.allocate(24)
                    .putLong(cell.keys())
                    .putLong(cell.n())
                    .putLong(value)
                    .array());
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The draw's upper 53 bits as a number in [0, 1). */
    private static double unit(long draw) {
        return (draw >>> 11) * 0x1.0p-53;
    }
}
