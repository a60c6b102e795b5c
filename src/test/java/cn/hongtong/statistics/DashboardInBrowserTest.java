package cn.hongtong.statistics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Chromium;
import cn.hongtong.testsupport.Tokens;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: the dashboard in Debian's headless Chromium, logged in through Keycloak's real login
 * page (authorization code with PKCE), on the hand-made population of {@link HandMadeFixture}.
 * Every number on screen equals the statistics API's answer for the same view, a suppressed group
 * shows "<5" with the footnote, the CSV download is the table on screen, and an analyst scoped to
 * Guizhou can neither see nor request Heilongjiang. Screenshots go to
 * {@code target/dashboard-screenshots}.
 */
@QuarkusTest
class DashboardInBrowserTest extends HandMadePopulationTest {

    private static final Path SHOTS = Path.of("target/dashboard-screenshots");
    private static final List<String> MEASURES = List.of(
            "registeredLearners",
            "activeLearners",
            "watchHours",
            "creditedHours",
            "lessonCompletions",
            "courseCompletions");
    private static final String PERIOD = "from=" + HandMadeFixture.D1 + "&to=" + HandMadeFixture.D2;

    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void launch() throws IOException {
        Files.createDirectories(SHOTS);
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void close() {
        Chromium.close(browser, playwright);
    }

    @Test
    void anAnalystSeesEveryViewWithTheApiNumbers() throws IOException {
        try (BrowserContext context = newContext()) {
            String region = "region=" + HandMadeFixture.COUNTY;
            Page page = login(context, "analyst", "#/overview?" + PERIOD + "&" + region);
            assertTrue(page.textContent("#who").contains("analyst"));

            // Overview: each card is the API's measure.
            JsonPath overview = api("/api/v1/stats/overview?" + PERIOD + "&" + region);
            for (String m : MEASURES) {
                assertEquals(
                        shown(m, overview.getString(m)), page.textContent(".card[data-measure=" + m + "] .value"), m);
            }
            shot(page, "overview");

            // Trends: the table under the chart is the series, point by point.
            show(page, "#/trends?" + PERIOD + "&" + region + "&granularity=day");
            JsonPath series = api("/api/v1/stats/series?" + PERIOD + "&" + region + "&granularity=day");
            List<Map<String, String>> rows = rows(page);
            assertEquals(series.getList("points").size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(
                        series.getString("points[" + i + "].start"), rows.get(i).get("start"));
                assertMeasures(series, "points[" + i + "]", rows.get(i));
            }
            assertChartDrawn(page);
            shot(page, "trends");

            // Regions: every child of the county, the small township suppressed as "<5".
            show(page, "#/regions?" + PERIOD + "&" + region);
            JsonPath regions = api("/api/v1/stats/regions?" + PERIOD + "&" + region);
            Map<String, Map<String, String>> byCode = byRow(page);
            List<Map<String, Object>> answer = regions.getList("regions");
            for (int i = 0; i < answer.size(); i++) {
                String code = regions.getString("regions[" + i + "].code");
                assertMeasures(regions, "regions[" + i + "]", byCode.get(code));
            }
            assertChartDrawn(page);
            assertEquals("<5", byCode.get(HandMadeFixture.TOWN_S).get("activeLearners"), "two learners: suppressed");
            assertTrue(regions.getBoolean("regions.find { it.code == '" + HandMadeFixture.TOWN_S + "' }.suppressed"));
            assertTrue(page.textContent("#note-suppressed").contains("<5"), "the footnote says why");
            assertTrue(page.textContent("#note-perturbed").contains("±2"), "and how every number is protected");
            assertEquals(rows(page).size(), answer.size() + 1, "every child and the total");
            shot(page, "regions");

            // The CSV download is the table on screen, cell for cell.
            Download download = page.waitForDownload(() -> page.click("#csv"));
            List<List<String>> csv = parseCsv(Files.readString(download.path(), StandardCharsets.UTF_8));
            assertEquals(tableTexts(page), csv);

            // Drill down into a township: the page asks for it and shows the API's answer.
            page.click("#data tr[data-row='" + HandMadeFixture.TOWN_A + "'] td[data-key=name] a");
            waitReady(page);
            assertTrue(page.url().contains("region=" + HandMadeFixture.TOWN_A), page.url());
            JsonPath town = api("/api/v1/stats/regions?" + PERIOD + "&region=" + HandMadeFixture.TOWN_A);
            Map<String, Map<String, String>> villages = byRow(page);
            for (int i = 0; i < town.getList("regions").size(); i++) {
                assertMeasures(town, "regions[" + i + "]", villages.get(town.getString("regions[" + i + "].code")));
            }
            assertTrue(page.textContent("#crumbs").contains("呼玛县"), "the way back up");

            // Courses: the API's rows in the API's order; a header click sorts on the server.
            show(page, "#/courses?" + PERIOD + "&" + region);
            assertCourses(page, api("/api/v1/stats/courses?" + PERIOD + "&" + region));
            shot(page, "courses");
            page.click("th[data-key=learners]");
            waitReady(page);
            assertTrue(page.url().contains("sort=learners"), page.url());
            assertCourses(page, api("/api/v1/stats/courses?" + PERIOD + "&" + region + "&sort=learners&order=desc"));

            // A course's page: its lessons' retention curves; one lesson seen by one learner only.
            page.click("#data tr[data-row='" + HandMadeFixture.courseA + "'] td[data-key=title] a");
            waitReady(page);
            JsonPath a1 = api("/api/v1/stats/lessons/" + HandMadeFixture.lessonA1 + "/retention?" + region);
            JsonPath a2 = api("/api/v1/stats/lessons/" + HandMadeFixture.lessonA2 + "/retention?" + region);
            Map<String, Map<String, String>> retention = byRow(page);
            assertEquals(a1.getString("viewers"), retention.get("viewers").get("lesson-0"));
            assertTrue(a2.getBoolean("suppressed"));
            assertEquals("<5", retention.get("viewers").get("lesson-1"));
            assertEquals("<5", retention.get("50").get("lesson-1"));
            for (int p = 1; p <= 100; p += 7) {
                BigDecimal share = new BigDecimal(a1.getString("points[" + (p - 1) + "].share"));
                assertEquals(
                        share.movePointRight(2)
                                        .setScale(1, RoundingMode.HALF_UP)
                                        .toPlainString() + "%",
                        retention.get(Integer.toString(p)).get("lesson-0"),
                        "percentile " + p);
            }
            shot(page, "course");

            show(page, "#/institutions?" + PERIOD + "&" + region);
            JsonPath institutions = api("/api/v1/stats/institutions?" + PERIOD + "&" + region + "&limit=200");
            Map<String, Map<String, String>> inst = byRow(page);
            for (int i = 0; i < institutions.getList("institutions").size(); i++) {
                assertMeasures(
                        institutions,
                        "institutions[" + i + "]",
                        inst.get(institutions.getString("institutions[" + i + "].id")));
            }
            shot(page, "institutions");

            show(page, "#/professions?" + PERIOD + "&" + region);
            JsonPath professions = api("/api/v1/stats/professions?" + PERIOD + "&" + region);
            Map<String, Map<String, String>> prof = byRow(page);
            for (int i = 0; i < professions.getList("professions").size(); i++) {
                assertMeasures(
                        professions,
                        "professions[" + i + "]",
                        prof.get(professions.getString("professions[" + i + "].code")));
            }
            shot(page, "professions");

            // English on request; the same numbers.
            page.click("#language");
            waitReady(page);
            assertTrue(page.textContent("#nav").contains("Overview"));
            assertEquals(
                    prof.get("nurse").get("activeLearners"),
                    byRow(page).get("nurse").get("activeLearners"));
            shot(page, "professions-en");
            page.click("#language");
        }
    }

    @Test
    void aGuizhouAnalystNeitherSeesNorRequestsHeilongjiang() {
        try (BrowserContext context = newContext()) {
            List<String> requested = new CopyOnWriteArrayList<>();
            Page page = login(context, "analyst-gz", "#/regions?" + PERIOD);
            page.onRequest(r -> requested.add(r.url()));
            assertTrue(page.textContent("#scope-line").contains("贵州省"), "the scope is where it starts");
            assertFalse(page.textContent("#crumbs").contains("全国"), "no way up out of the scope");

            for (String outside : List.of("region=" + HandMadeFixture.COUNTY, "region=23", "region=all")) {
                show(page, "#/overview?" + PERIOD + "&" + outside);
                assertTrue(page.textContent("#error").contains("52"), outside + ": " + page.textContent("#error"));
                assertEquals(0, page.locator(".card").count());
                show(page, "#/regions?" + PERIOD + "&" + outside);
                assertTrue(page.isVisible("#error"));
            }
            assertTrue(
                    requested.stream()
                            .noneMatch(u -> u.contains("/api/v1/stats/")
                                    && (u.contains("region=23") || u.contains("region=all"))),
                    "asked for nothing outside the scope: " + requested);

            // And if the page were changed to ask anyway, the API refuses the page's own token.
            String token =
                    (String) page.evaluate("JSON.parse(sessionStorage.getItem('hongtong.dashboard.tokens')).access");
            given().auth()
                    .oauth2(token)
                    .get("/api/v1/stats/overview?" + PERIOD + "&region=" + HandMadeFixture.COUNTY)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            given().auth()
                    .oauth2(token)
                    .get("/api/v1/stats/overview?" + PERIOD)
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void anAccountWithoutAnalystRoleIsToldSo() {
        try (BrowserContext context = newContext()) {
            Page page = login(context, "editor", "#/overview");
            assertTrue(page.textContent("#error").contains("analyst"), page.textContent("#error"));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static BrowserContext newContext() {
        return browser.newContext(new Browser.NewContextOptions()
                .setAcceptDownloads(true)
                .setLocale("zh-CN")
                .setViewportSize(1400, 1000));
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port + "/dashboard/";
    }

    /** Opens the dashboard, logs in on Keycloak's own page, and waits for the view to be drawn. */
    private static Page login(BrowserContext context, String username, String hash) {
        Page page = context.newPage();
        page.navigate(base() + hash);
        page.waitForSelector("#username");
        assertTrue(
                page.url().contains("/protocol/openid-connect/auth")
                        && page.url().contains("code_challenge_method=S256"),
                "Keycloak's login page, with PKCE: " + page.url());
        page.fill("#username", username);
        page.fill("#password", Tokens.DEV_PASSWORD);
        page.click("#kc-login");
        page.waitForURL(url -> url.startsWith(base()));
        waitReady(page);
        assertEquals(hash, page.evaluate("location.hash"), "back to the view asked for");
        assertFalse(page.url().contains("code="), "the one-time code is not left in the address bar");
        return page;
    }

    private static void show(Page page, String hash) {
        page.navigate(base() + hash);
        waitReady(page);
    }

    private static void waitReady(Page page) {
        page.waitForFunction("() => document.querySelector('#view').getAttribute('data-ready') === location.hash");
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }

    private static JsonPath api(String path) {
        return given().auth()
                .oauth2(Tokens.of("analyst"))
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** What the page shows for a measure's value: "<5" when hidden, hours to two decimals, counts grouped. */
    private static String shown(String measure, String value) {
        if (value == null) {
            return "<5";
        }
        if (measure.endsWith("Hours")) {
            return String.format(Locale.ROOT, "%,.2f", new BigDecimal(value).setScale(2, RoundingMode.HALF_UP));
        }
        return String.format(Locale.ROOT, "%,d", Long.parseLong(value));
    }

    /** A chart with a canvas of real size that is not blank. */
    private static void assertChartDrawn(Page page) {
        Object drawn = page.evaluate(
                "() => { const c = document.querySelector('.chart canvas'); if (!c || c.width < 100) return false;"
                        + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + " for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; } return false; }");
        assertEquals(Boolean.TRUE, drawn, "the chart is drawn");
    }

    private static void assertMeasures(JsonPath answer, String at, Map<String, String> row) {
        assertNotNull(row, at + " is on screen");
        boolean suppressed = answer.getBoolean(at + ".suppressed");
        for (String m : MEASURES) {
            String value = answer.getString(at + "." + m);
            if (m.equals("registeredLearners") && value == null && !suppressed) {
                assertEquals("", row.get(m), at + "." + m);
            } else {
                assertEquals(suppressed ? "<5" : shown(m, value), row.get(m), at + "." + m);
            }
        }
    }

    private static void assertCourses(Page page, JsonPath answer) {
        List<Map<String, String>> rows = rows(page);
        List<Map<String, Object>> courses = answer.getList("courses");
        assertEquals(courses.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String at = "courses[" + i + "]";
            Map<String, String> row = rows.get(i);
            assertEquals(answer.getString(at + ".title"), row.get("title"));
            boolean hidden = answer.getBoolean(at + ".suppressed");
            assertEquals(hidden ? "<5" : shown("learners", answer.getString(at + ".learners")), row.get("learners"));
            assertEquals(
                    hidden ? "<5" : shown("creditedHours", answer.getString(at + ".creditedHours")),
                    row.get("creditedHours"));
            assertEquals(
                    hidden ? "<5" : shown("completions", answer.getString(at + ".courseCompletions")),
                    row.get("courseCompletions"));
        }
    }

    /** The data table's body rows, each as column key to the text shown. */
    private static List<Map<String, String>> rows(Page page) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Locator tr : page.locator("#data tbody tr").all()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (Locator td : tr.locator("td").all()) {
                row.put(td.getAttribute("data-key"), td.textContent());
            }
            row.put("@row", tr.getAttribute("data-row"));
            out.add(row);
        }
        return out;
    }

    private static Map<String, Map<String, String>> byRow(Page page) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        rows(page).forEach(r -> out.put(r.get("@row"), r));
        return out;
    }

    /** The table as text: the header row, then every body row. */
    private static List<List<String>> tableTexts(Page page) {
        List<List<String>> out = new ArrayList<>();
        out.add(page.locator("#data thead th").allTextContents());
        for (Locator tr : page.locator("#data tbody tr").all()) {
            out.add(tr.locator("td").allTextContents());
        }
        return out;
    }

    /** RFC 4180 CSV (quoted fields, doubled quotes, CRLF), after a UTF-8 byte order mark. */
    static List<List<String>> parseCsv(String text) {
        assertTrue(text.startsWith("\uFEFF"), "a byte order mark, so that Excel reads UTF-8");
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r') {
                continue;
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        return rows;
    }
}
