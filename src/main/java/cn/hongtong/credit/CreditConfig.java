package cn.hongtong.credit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * Continuing-education credit. The defaults are the national rules as commonly quoted (docs/api.md,
 * "The credit model and the rules it follows", says where each comes from); a deployment confirms them with its provincial
 * CME office and sets what differs here.
 */
@ConfigMapping(prefix = "hongtong.credit")
public interface CreditConfig {

    /** The zone whose calendar dates a grant (and the year of a requirement). */
    @WithDefault("Asia/Shanghai")
    ZoneId zone();

    /** Study hours per credit, by the project's level. */
    HoursPerCredit hoursPerCredit();

    /** The yearly requirement of a profession without an entry in {@link #professions()}. */
    Requirement requirement();

    /** Requirements that differ by profession (key: the profile's profession code). */
    Map<String, Requirement> professions();

    Assessment assessment();

    Verification verification();

    Certificate certificate();

    Export export();

    interface HoursPerCredit {

        /** National projects: 3 hours = 1 credit. */
        @WithDefault("3")
        BigDecimal national();

        /** Provincial projects: 6 hours = 1 credit. */
        @WithDefault("6")
        BigDecimal provincial();
    }

    /** Credits a year, and how many of each class count toward them. */
    interface Requirement {

        /** At least this many credits a year. */
        @WithDefault("25")
        BigDecimal total();

        /** Class I credits: at least this many... */
        @WithDefault("5")
        BigDecimal classIMin();

        /** ...and at most this many count toward the total. */
        @WithDefault("10")
        BigDecimal classIMax();

        @WithDefault("15")
        BigDecimal classIiMin();

        @WithDefault("20")
        BigDecimal classIiMax();

        /**
         * Training at least once in this many years (village doctors: every two years under the
         * 2003 regulation); empty when the profession has no such rule.
         */
        Optional<Integer> trainingEveryYears();
    }

    interface Assessment {

        /** Slack after an attempt's time limit for the submission's trip over a poor network. */
        @WithDefault("10s")
        Duration submissionGrace();

        /** Most answers one submission may carry. */
        @WithDefault("100")
        int maxAnswers();
    }

    interface Verification {

        /** The public address the QR code on a certificate points to, ending before {@code /verify/}. */
        @WithDefault("http://localhost:8080")
        String publicBaseUrl();

        /** Verification lookups per client address per minute (a 20-character code cannot be enumerated). */
        @WithDefault("30")
        int perAddressPerMinute();
    }

    interface Certificate {

        /** A CJK font collection (Debian's fonts-noto-cjk). */
        @WithDefault("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
        String fontFile();

        /** The face in that collection: simplified Chinese. */
        @WithDefault("NotoSansCJKsc-Regular")
        String fontName();

        /** The platform's name as printed on certificates. */
        @WithDefault("红通通学习平台")
        String issuerZh();
    }

    interface Export {

        /**
         * Which identifier of the learner the per-project export carries: {@code cme-id} (the
         * number the learner entered, as the provincial office asks for it) or {@code platform-id}.
         */
        @WithDefault("cme-id")
        String learnerId();

        /** Its column heading, as the provincial office names it. */
        @WithDefault("证件号码")
        String learnerIdHeader();
    }
}
