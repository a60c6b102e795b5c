package cn.hongtong.credit;

import cn.hongtong.audit.AuditLog;
import cn.hongtong.common.Contexts;
import cn.hongtong.common.Csv;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.common.RateLimiter;
import cn.hongtong.credit.CreditDtos.Credit;
import cn.hongtong.credit.CreditDtos.Earned;
import cn.hongtong.credit.CreditDtos.Requirement;
import cn.hongtong.credit.CreditDtos.Training;
import cn.hongtong.credit.CreditDtos.Verification;
import cn.hongtong.credit.CreditDtos.YearCredits;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.LearnerDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** Learners' credits, certificates and transcripts; the public verification; revocation by an admin. */
@ApplicationScoped
class CreditService {

    private final CreditStore store;
    private final LearnerDirectory learners;
    private final CertificateRenderer renderer;
    private final RateLimiter limiter;
    private final AuditLog audit;
    private final CreditConfig config;
    private final Clock clock;

    CreditService(
            CreditStore store,
            LearnerDirectory learners,
            CertificateRenderer renderer,
            RateLimiter limiter,
            AuditLog audit,
            CreditConfig config,
            Clock clock) {
        this.store = store;
        this.learners = learners;
        this.renderer = renderer;
        this.limiter = limiter;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    int currentYear() {
        return LocalDate.now(clock.withZone(config.zone())).getYear();
    }

    Uni<YearCredits> year(CurrentUser user, int year) {
        return learners.learnerId(user).chain(learner -> year(learner, year));
    }

    private Uni<YearCredits> year(UUID learner, int year) {
        LocalDate from = LocalDate.of(year, 1, 1);
        LocalDate to = LocalDate.of(year, 12, 31);
        return store.holder(store.pool(), learner).chain(holder -> {
            CreditConfig.Requirement rule = requirement(holder == null ? null : holder.profession());
            Integer every = rule.trainingEveryYears().orElse(null);
            Uni<LocalDate> lastTrained = every == null
                    ? Uni.createFrom().nullItem()
                    : store.lastCreditOn(store.pool(), learner, LocalDate.of(year - every + 1, 1, 1), to);
            return Uni.combine()
                    .all()
                    .unis(store.credits(store.pool(), learner, from, to), lastTrained)
                    .asTuple()
                    .map(t -> summary(
                            year,
                            holder == null ? null : holder.profession(),
                            rule,
                            t.getItem1(),
                            every,
                            t.getItem2()));
        });
    }

    /** The year's credits against the requirement: each class counts up to its maximum; revoked ones not at all. */
    static YearCredits summary(
            int year,
            String profession,
            CreditConfig.Requirement rule,
            List<Credit> credits,
            Integer everyYears,
            LocalDate lastTrained) {
        BigDecimal classI = BigDecimal.ZERO;
        BigDecimal classIi = BigDecimal.ZERO;
        for (Credit c : credits) {
            if (c.status().equals("valid")) {
                if (c.creditClass().equals("I")) {
                    classI = classI.add(c.credits());
                } else {
                    classIi = classIi.add(c.credits());
                }
            }
        }
        BigDecimal counted = classI.min(rule.classIMax()).add(classIi.min(rule.classIiMax()));
        boolean met = classI.compareTo(rule.classIMin()) >= 0
                && classIi.compareTo(rule.classIiMin()) >= 0
                && counted.compareTo(rule.total()) >= 0;
        Training training = everyYears == null ? null : new Training(everyYears, lastTrained, lastTrained != null);
        return new YearCredits(
                year,
                profession,
                new Requirement(
                        rule.total(),
                        rule.classIMin(),
                        rule.classIMax(),
                        rule.classIiMin(),
                        rule.classIiMax(),
                        everyYears),
                new Earned(classI, classIi, classI.add(classIi), counted),
                met,
                training,
                credits);
    }

    private CreditConfig.Requirement requirement(String profession) {
        return profession == null
                ? config.requirement()
                : config.professions().getOrDefault(profession, config.requirement());
    }

    /** The learner's certificate of one of their credits (another learner's is not found). */
    Uni<byte[]> certificate(CurrentUser user, UUID credit) {
        return learners.learnerId(user)
                .chain(learner -> store.creditOwner(store.pool(), credit).chain(owner -> {
                    if (owner == null || !owner.equals(learner)) {
                        throw new ProblemException(CreditProblems.CREDIT_NOT_FOUND);
                    }
                    return Uni.combine()
                            .all()
                            .unis(store.creditById(store.pool(), credit), store.holder(store.pool(), learner))
                            .asTuple();
                }))
                .chain(t -> {
                    Credit c = t.getItem1();
                    if (c.status().equals("revoked")) {
                        throw new ProblemException(CreditProblems.CREDIT_REVOKED);
                    }
                    if (t.getItem2().name() == null || t.getItem2().name().isBlank()) {
                        throw new ProblemException(CreditProblems.NAME_REQUIRED);
                    }
                    return blocking(() -> renderer.certificate(c, t.getItem2()));
                });
    }

    Uni<byte[]> transcript(CurrentUser user, int year) {
        return learners.learnerId(user)
                .chain(learner -> Uni.combine()
                        .all()
                        .unis(year(learner, year), store.holder(store.pool(), learner))
                        .asTuple())
                .chain(t -> {
                    if (t.getItem2().name() == null || t.getItem2().name().isBlank()) {
                        throw new ProblemException(CreditProblems.NAME_REQUIRED);
                    }
                    return blocking(() -> renderer.transcript(t.getItem1(), t.getItem2()));
                });
    }

    /** PDF work is CPU and file reading: never on an event loop (back on the caller's context after). */
    private static Uni<byte[]> blocking(Callable<byte[]> work) {
        return Contexts.blocking(() -> {
            try {
                return work.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * The public check of a code. Every lookup counts against the caller's address, found or
     * not: 20 hexadecimal digits (80 random bits) at 30 tries a minute cannot be enumerated.
     */
    Uni<Verification> verify(String code, String clientAddress) {
        return limiter.hit(
                        "verify:addr:" + clientAddress,
                        config.verification().perAddressPerMinute(),
                        Duration.ofMinutes(1),
                        CreditProblems.CREDIT_NOT_FOUND.title())
                .chain(() -> {
                    String normal = normalCode(code);
                    return normal == null ? Uni.createFrom().nullItem() : store.verify(normal);
                })
                .map(found -> {
                    if (found == null) {
                        throw new ProblemException(CreditProblems.CREDIT_NOT_FOUND);
                    }
                    Credit c = found.credit();
                    return new Verification(
                            CertificateRenderer.grouped(c.verificationCode()),
                            mask(found.name()),
                            c.courseTitle(),
                            c.projectNumber(),
                            c.creditClass(),
                            c.credits(),
                            c.grantedOn(),
                            c.status(),
                            c.revokedAt() == null ? null : LocalDate.ofInstant(c.revokedAt(), config.zone()));
                });
    }

    /** A code as printed (groups of four, any case) to its stored form; null when it cannot be one. */
    static String normalCode(String code) {
        if (code == null) {
            return null;
        }
        String normal = code.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
        return normal.matches("[0-9A-F]{20}") ? normal : null;
    }

    /** A name with all but its first and last characters hidden: 张小明 to 张*明, 张三 to 张*. */
    static String mask(String name) {
        if (name == null || name.isBlank()) {
            return "—";
        }
        int[] cps = name.strip().codePoints().toArray();
        if (cps.length == 1) {
            return "*";
        }
        StringBuilder out = new StringBuilder().appendCodePoint(cps[0]);
        for (int i = 1; i < cps.length - 1; i++) {
            out.append(Character.isWhitespace(cps[i]) ? " " : "*");
        }
        return (cps.length == 2 ? out.append('*') : out.appendCodePoint(cps[cps.length - 1])).toString();
    }

    Uni<CreditDtos.CreditHolder> find(String code) {
        String normal = normalCode(code);
        return (normal == null ? Uni.createFrom().<CreditStore.Verified>nullItem() : store.verify(normal))
                .map(found -> {
                    if (found == null) {
                        throw new ProblemException(CreditProblems.CREDIT_NOT_FOUND);
                    }
                    return new CreditDtos.CreditHolder(found.credit(), found.name());
                });
    }

    Uni<Credit> revoke(UUID id, String reason, CurrentUser admin) {
        return store.pool()
                .withTransaction(conn -> store.revoke(
                                conn, id, admin.username().orElse(admin.subject()), reason.strip(), clock.instant())
                        .chain(outcome -> {
                            if (outcome < 0) {
                                throw new ProblemException(CreditProblems.CREDIT_NOT_FOUND);
                            }
                            return outcome == 0
                                    ? Uni.createFrom().voidItem()
                                    : audit.record(
                                            conn, "credit.revoked", "credit", id, Map.of("reason", reason.strip()));
                        })
                        .chain(() -> store.creditById(conn, id)));
    }

    /**
     * A project's granted credits (revoked ones left out) in the columns a provincial CME office
     * asks for, as CSV with a byte order mark; the learner's identifier as configured.
     */
    Uni<String> export(UUID project, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "to", LocalizedText.of("结束日期早于开始日期", "ends before it starts")));
        }
        boolean cmeId = config.export().learnerId().equals("cme-id");
        return store.project(store.pool(), project)
                .chain(p -> {
                    if (p == null) {
                        throw new ProblemException(CreditProblems.PROJECT_NOT_FOUND);
                    }
                    return store.export(project, from, to);
                })
                .map(rows -> Csv.write(
                        List.of(
                                "项目编号",
                                "项目名称",
                                "姓名",
                                config.export().learnerIdHeader(),
                                "学分类别",
                                "学分",
                                "授予日期",
                                "课程",
                                "学时"),
                        rows.stream()
                                .map(r -> List.<Object>of(
                                        r.projectNumber(),
                                        r.projectName(),
                                        nullable(r.learnerName()),
                                        nullable(
                                                cmeId
                                                        ? r.cmeId()
                                                        : r.learnerId().toString()),
                                        r.creditClass() + "类",
                                        CertificateRenderer.plain(r.credits()),
                                        r.grantedOn().toString(),
                                        r.courseTitle(),
                                        CertificateRenderer.plain(r.hours())))
                                .toList()));
    }

    private static Object nullable(String value) {
        return value == null ? "" : value;
    }

    Uni<Void> setCmeId(CurrentUser user, String cmeId) {
        String value = cmeId == null || cmeId.isBlank() ? null : cmeId.strip();
        return learners.learnerId(user).chain(learner -> store.setCmeId(learner, value));
    }
}
