package cn.hongtong.credit;

import cn.hongtong.catalog.CatalogVersion;
import cn.hongtong.credit.CreditDtos.AssessmentSettings;
import cn.hongtong.credit.CreditDtos.OptionInput;
import cn.hongtong.credit.CreditDtos.ProjectInput;
import cn.hongtong.credit.CreditDtos.QuestionInput;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Dev mode only. Once the demo catalog is published, gives it continuing-education credit a
 * newcomer can earn after {@code bin/run}: a national class I demo project with a short course
 * (one lesson, the shortest demo video) whose assessment has five questions on hypertension in
 * primary care, and a provincial class II demo project holding "心肺复苏与AED使用", credited on
 * completion. Once per database (the project numbers mark it).
 */
@IfBuildProfile("dev")
@ApplicationScoped
class DemoCreditSeeder {

    static final String NATIONAL = "演示-2026-01-001";
    static final String PROVINCIAL = "演示-2026-52-001";
    static final String COURSE_TITLE = "继续教育演示：高血压规范管理考核";

    private final Pool pool;
    private final Vertx vertx;
    private final ProjectService projects;
    private final QuestionBank bank;
    private final CatalogVersion catalog;
    private final Clock clock;

    DemoCreditSeeder(
            Pool pool, Vertx vertx, ProjectService projects, QuestionBank bank, CatalogVersion catalog, Clock clock) {
        this.pool = pool;
        this.vertx = vertx;
        this.projects = projects;
        this.bank = bank;
        this.catalog = catalog;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        vertx.setTimer(5_000, id -> check());
    }

    private void check() {
        pool.preparedQuery("""
                SELECT EXISTS (SELECT 1 FROM cme_project WHERE number = $1) AS seeded,
                       (SELECT id FROM course WHERE title = '心肺复苏与AED使用' AND status = 'published' LIMIT 1) AS cpr,
                       (SELECT a.id FROM media_asset a WHERE a.created_by = 'demo-seeder' AND a.status = 'ready'
                        ORDER BY a.duration_ms, a.id LIMIT 1) AS video""")
                .execute(Tuple.of(NATIONAL))
                .subscribe()
                .with(
                        rows -> {
                            Row r = rows.iterator().next();
                            if (r.getBoolean("seeded")) {
                                return;
                            }
                            if (r.getUUID("cpr") == null || r.getUUID("video") == null) {
                                vertx.setTimer(5_000, id -> check());
                                return;
                            }
                            seed(r.getUUID("cpr"), r.getUUID("video"))
                                    .subscribe()
                                    .with(
                                            course -> Log.infof(
                                                    "demo credit ready: course %s (%s) has an assessment; see docs/api.md, "
                                                            + "\"Continuing-education credit\"",
                                                    COURSE_TITLE, course),
                                            failure -> Log.warnf("demo credit not made: %s", failure.getMessage()));
                        },
                        failure -> vertx.setTimer(5_000, id -> check()));
    }

    private Uni<UUID> seed(UUID cpr, UUID video) {
        int year = LocalDate.now(clock).getYear();
        UUID course = UUID.randomUUID();
        return projects.create(new ProjectInput(
                        NATIONAL,
                        "基层高血压规范化管理（演示项目）",
                        "national",
                        "I",
                        new BigDecimal("5"),
                        "演示发证机构 Demo issuer",
                        LocalDate.of(year - 1, 1, 1),
                        LocalDate.of(year + 1, 12, 31)))
                .chain(national -> projects.create(new ProjectInput(
                                PROVINCIAL,
                                "基层急救技能（演示项目）",
                                "provincial",
                                "II",
                                new BigDecimal("10"),
                                "演示发证机构 Demo issuer",
                                LocalDate.of(year - 1, 1, 1),
                                LocalDate.of(year + 1, 12, 31)))
                        .chain(provincial -> pool.withTransaction(conn -> conn.preparedQuery("""
                                INSERT INTO course (id, title, summary, category_code, credit_class, credit_hours, status,
                                                    published_at, created_at, updated_at)
                                VALUES ($1, $2, $3, 'chronic-disease', 'I', 1.5, 'published', now(), now(), now())""")
                                        .execute(Tuple.of(course, COURSE_TITLE, "看完一节短课，通过5选3的考核，即获国家级I类学分（演示）。"))
                                        .chain(() -> conn.preparedQuery(
                                                        "INSERT INTO lesson (id, course_id, position, title, media_asset_id, "
                                                                + "created_at, updated_at) VALUES ($1, $2, 1, '高血压的诊断与随访', $3, now(), now())")
                                                .execute(Tuple.of(UUID.randomUUID(), course, video))))
                                .call(catalog::bump)
                                .chain(() -> projects.assign(course, national.id()))
                                .chain(() -> projects.assign(cpr, provincial.id()))))
                .chain(() -> bank.putSettings(course, new AssessmentSettings(3, 60, 3, 5, 600)))
                .chain(() -> Multi.createFrom()
                        .iterable(questions())
                        .onItem()
                        .transformToUniAndConcatenate(q -> bank.add(course, q))
                        .collect()
                        .asList())
                .replaceWith(course);
    }

    private static List<QuestionInput> questions() {
        List<QuestionInput> out = new ArrayList<>();
        out.add(question(
                "single",
                "成人诊室血压诊断高血压的标准是？",
                new String[] {
                    "收缩压≥130 mmHg和/或舒张压≥80 mmHg",
                    "非同日3次测量，收缩压≥140 mmHg和/或舒张压≥90 mmHg",
                    "收缩压≥160 mmHg和/或舒张压≥100 mmHg",
                    "一次测量收缩压≥120 mmHg"
                },
                List.of("b"),
                "未使用降压药物时，非同日3次诊室血压收缩压≥140 mmHg和/或舒张压≥90 mmHg，可诊断高血压。"));
        out.add(question(
                "single",
                "测量血压前，受测者应至少安静休息多久？",
                new String[] {"1分钟", "5分钟", "30分钟", "不需要休息"},
                List.of("b"),
                "测量前安静休息至少5分钟，30分钟内不吸烟、不饮咖啡或茶，排空膀胱。"));
        out.add(question(
                "single",
                "按照基本公共卫生服务规范，对血压控制满意的高血压患者，面对面随访至少多久一次？",
                new String[] {"每周一次", "每月一次", "每季度一次（每年至少4次）", "每年一次"},
                List.of("c"),
                "原发性高血压患者每年至少提供4次面对面随访。"));
        out.add(question(
                "multiple",
                "下列哪些属于高血压患者的生活方式干预？",
                new String[] {"减少钠盐摄入", "戒烟限酒", "规律的中等强度运动", "大量饮用浓茶提神"},
                List.of("a", "b", "c"),
                "减盐、戒烟限酒、规律运动、控制体重都能降低血压；浓茶不能替代治疗。"));
        out.add(question(
                "multiple",
                "出现下列哪些情况，应及时将高血压患者转诊上级医院？",
                new String[] {"血压≥180/110 mmHg，伴剧烈头痛、胸痛等症状", "调整用药后连续两次随访血压仍不达标", "血压控制平稳，无不适", "出现新的靶器官损害表现"},
                List.of("a", "b", "d"),
                "危急情况、连续两次控制不满意、出现新的并发症或靶器官损害时应转诊。"));
        return out;
    }

    private static QuestionInput question(
            String kind, String stem, String[] options, List<String> correct, String why) {
        List<OptionInput> list = new ArrayList<>();
        for (int i = 0; i < options.length; i++) {
            list.add(new OptionInput(String.valueOf((char) ('a' + i)), options[i]));
        }
        return new QuestionInput(kind, stem, list, correct, why);
    }
}
