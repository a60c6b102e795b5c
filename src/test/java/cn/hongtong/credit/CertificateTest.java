package cn.hongtong.credit;

import static cn.hongtong.credit.CreditFixtures.complete;
import static cn.hongtong.credit.CreditFixtures.course;
import static cn.hongtong.credit.CreditFixtures.learner;
import static cn.hongtong.credit.CreditFixtures.project;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.credit.CreditFixtures.Course;
import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.TestClock;
import cn.hongtong.testsupport.Tokens;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Certificates, transcripts, the public verification page, revocation and the project export. */
@QuarkusTest
class CertificateTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void cleanUp() {
        clock.reset();
        var keys = redis.key().keys("ratelimit:verify:*");
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
    }

    record Granted(String token, Course course, String project, String creditId, String code) {}

    private Granted granted(String name) throws Exception {
        String project = project("national", "I", 10);
        Course course = course(fixtures, project, 1.5);
        String token = learner(name);
        complete(fixtures, clock, token, course);
        fixtures.awaitLong("granted", 1, "SELECT count(*) FROM credit_grant WHERE course_id = $1", course.id());
        Response credits = given().auth().oauth2(token).get("/api/v1/me/credits");
        return new Granted(
                token, course, project, credits.path("credits[0].id"), credits.path("credits[0].verificationCode"));
    }

    private static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    @Test
    void certificateCarriesTheCreditInChineseAndAQrCodeOfItsVerificationPage() throws Exception {
        Granted g = granted("张小明");
        Response response = given().auth().oauth2(g.token()).get("/api/v1/me/credits/" + g.creditId() + "/certificate");
        response.then().statusCode(200).contentType("application/pdf");
        byte[] pdf = response.asByteArray();
        assertTrue(pdf.length < 200_000, "a certificate carries only the glyphs it uses: " + pdf.length + " bytes");
        String text = text(pdf);
        String projectNumber = fixtures.queryString("SELECT number FROM cme_project WHERE id = $1::uuid", g.project());
        String institution =
                fixtures.queryString("SELECT i.name FROM learner l JOIN institution i ON i.id = l.institution_id "
                        + "WHERE l.display_name = '张小明' ORDER BY l.created_at DESC LIMIT 1");
        for (String expected : List.of(
                "继续医学教育学分证书",
                "张小明",
                institution,
                g.course().title(fixtures),
                projectNumber,
                "（国家级）",
                "I类",
                "0.5 学分",
                "1.5 学时",
                CertificateRenderer.grouped(g.code()))) {
            assertTrue(text.contains(expected), "the certificate says " + expected + ":\n" + text);
        }
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            BufferedImage image = new PDFRenderer(doc).renderImageWithDPI(0, 150);
            Path sample = Path.of("target", "certificate-sample.png");
            Files.createDirectories(sample.getParent());
            ImageIO.write(image, "png", sample.toFile());
            int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
            String decoded = new QRCodeReader()
                    .decode(new BinaryBitmap(
                            new HybridBinarizer(new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels))))
                    .getText();
            assertEquals("https://verify.test.hongtong.cn/verify/" + g.code(), decoded);
        }
    }

    @Test
    void verificationShowsWhatAnEmployerNeedsAndSaysRevokedOnceRevoked() throws Exception {
        Granted g = granted("欧阳小明");
        given().accept("text/html")
                .get("/verify/" + g.code())
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header("Cache-Control", "no-store")
                .body(containsString("有效 Valid"))
                .body(containsString("欧**明"))
                .body(not(containsString("欧阳小明")))
                .body(containsString(g.course().title(fixtures)));
        String dashed = CertificateRenderer.grouped(g.code()).toLowerCase();
        given().accept("application/json")
                .get("/verify/" + dashed)
                .then()
                .statusCode(200)
                .body("status", equalTo("valid"))
                .body("name", equalTo("欧**明"))
                .body("credits", equalTo(0.5f))
                .body("creditClass", equalTo("I"));
        given().accept("application/json")
                .get("/verify/0123456789ABCDEF0123")
                .then()
                .statusCode(404)
                .contentType(startsWith("application/problem+json"));
        given().accept("application/json").get("/verify/<script>").then().statusCode(404);

        String admin = Tokens.of("admin");
        given().auth()
                .oauth2(admin)
                .queryParam("code", dashed)
                .get("/api/v1/admin/credits")
                .then()
                .statusCode(200)
                .body("credit.id", equalTo(g.creditId()))
                .body("name", equalTo("欧阳小明"));
        given().auth()
                .oauth2(admin)
                .queryParam("code", "nope")
                .get("/api/v1/admin/credits")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(Tokens.of("editor"))
                .contentType("application/json")
                .body("{\"reason\":\"x\"}")
                .post("/api/v1/admin/credits/" + g.creditId() + "/revoke")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"reason\":\"学习记录存在代学行为\"}")
                .post("/api/v1/admin/credits/" + g.creditId() + "/revoke")
                .then()
                .statusCode(200)
                .body("status", equalTo("revoked"))
                .body("revokeReason", equalTo("学习记录存在代学行为"));
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"reason\":\"另一个理由\"}")
                .post("/api/v1/admin/credits/" + g.creditId() + "/revoke")
                .then()
                .statusCode(200)
                .body("revokeReason", equalTo("学习记录存在代学行为"));
        given().accept("text/html")
                .get("/verify/" + g.code())
                .then()
                .statusCode(200)
                .body(containsString("已撤销 Revoked"))
                .body(not(containsString("代学")));
        given().accept("application/json").get("/verify/" + g.code()).then().body("status", equalTo("revoked"));
        given().auth()
                .oauth2(g.token())
                .get("/api/v1/me/credits/" + g.creditId() + "/certificate")
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:credit-revoked"));
        given().auth()
                .oauth2(g.token())
                .get("/api/v1/me/credits")
                .then()
                .body("credits[0].status", equalTo("revoked"))
                .body("earned.classI", equalTo(0));
        assertEquals(1, fixtures.queryLong("SELECT count(*) FROM credit_grant WHERE id = $1::uuid", g.creditId()));
        assertEquals(
                1,
                fixtures.queryLong(
                        "SELECT count(*) FROM audit_event WHERE action = 'credit.revoked' AND target_id = $1",
                        g.creditId()));
    }

    @Test
    void transcriptListsTheYearsCredits() throws Exception {
        Granted g = granted("陈护士");
        int year = LocalDate.now(ZoneId.of("Asia/Shanghai")).getYear();
        Response response = given().auth().oauth2(g.token()).get("/api/v1/me/transcripts/" + year);
        response.then().statusCode(200).contentType("application/pdf");
        String text = text(response.asByteArray());
        assertTrue(text.contains("继续医学教育学分年度汇总（" + year + "年）"), text);
        assertTrue(text.contains("陈护士"), text);
        assertTrue(text.contains(g.course().title(fixtures).substring(0, 6)), text);
        assertTrue(text.contains("未达标"), text);
        given().auth()
                .oauth2(g.token())
                .get("/api/v1/me/transcripts/1999")
                .then()
                .statusCode(400);
        // No name in the profile: no certificate or transcript that an employer would have to guess about.
        String nameless = cn.hongtong.testsupport.Learning.newLearner();
        given().auth()
                .oauth2(nameless)
                .get("/api/v1/me/transcripts/" + year)
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:profile-name-required"));
    }

    @Test
    void projectExportIsCsvWithABomInTheOfficesColumnsWithoutRevokedCredits() throws Exception {
        Granted g = granted("刘医生");
        given().auth()
                .oauth2(g.token())
                .contentType("application/json")
                .body("{\"cmeId\":\"52012119800101123X\"}")
                .put("/api/v1/me/cme-id")
                .then()
                .statusCode(204);
        String admin = Tokens.of("admin");
        Response csv = given().auth().oauth2(admin).get("/api/v1/admin/cme-projects/" + g.project() + "/credits.csv");
        csv.then()
                .statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", containsString("attachment"));
        String body = new String(csv.asByteArray(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("\uFEFF项目编号,项目名称,姓名,证件号码,学分类别,学分,授予日期,课程,学时\r\n"), body);
        assertTrue(body.contains(",刘医生,52012119800101123X,I类,0.5,"), body);
        assertEquals(2, body.split("\r\n").length, body);
        given().auth()
                .oauth2(Tokens.of("editor"))
                .get("/api/v1/admin/cme-projects/" + g.project() + "/credits.csv")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"reason\":\"重复申报\"}")
                .post("/api/v1/admin/credits/" + g.creditId() + "/revoke")
                .then()
                .statusCode(200);
        String after = new String(
                given().auth()
                        .oauth2(admin)
                        .get("/api/v1/admin/cme-projects/" + g.project() + "/credits.csv")
                        .asByteArray(),
                StandardCharsets.UTF_8);
        assertEquals(1, after.split("\r\n").length, after);
        given().auth()
                .oauth2(admin)
                .queryParam("from", "2026-12-31")
                .queryParam("to", "2026-01-01")
                .get("/api/v1/admin/cme-projects/" + g.project() + "/credits.csv")
                .then()
                .statusCode(400);
    }

    @Test
    void verificationLookupsAreLimitedPerAddress() {
        int refused = 0;
        for (int i = 0; i < 70; i++) {
            int status = given().accept("application/json")
                    .get("/verify/" + String.format("%020X", i))
                    .statusCode();
            assertFalse(status >= 500);
            if (status == 429) {
                refused++;
            }
        }
        assertEquals(10, refused, "the 61st to 70th lookups of the minute are refused");
    }

    @Test
    void exportHoldsTheCreditsAndErasureLeavesThemVerifiableWithoutAName() throws Exception {
        Granted g = granted("马医生");
        given().auth()
                .oauth2(g.token())
                .contentType("application/json")
                .body("{\"cmeId\":\"CME-42\"}")
                .put("/api/v1/me/cme-id")
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(g.token())
                .get("/api/v1/me/export")
                .then()
                .statusCode(200)
                .body("profile.cmeId", equalTo("CME-42"))
                .body("credits[0].verification_code", equalTo(g.code()));
        given().auth().oauth2(g.token()).delete("/api/v1/me").then().statusCode(204);
        assertEquals(0, fixtures.queryLong("SELECT count(*) FROM learner WHERE cme_id = 'CME-42'"));
        given().accept("application/json")
                .get("/verify/" + g.code())
                .then()
                .statusCode(200)
                .body("status", equalTo("valid"))
                .body("name", equalTo("—"));
    }
}
