package cn.hongtong.catalog;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.MediaFixtures;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: every rung of every kind of demo video (the dev seeder's own test patterns, 12 s of
 * each here instead of minutes) declares a BANDWIDTH no segment exceeds, and its lowest video
 * rung fits a 150 kbit/s line.
 */
@QuarkusTest
class DemoVideosTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final Pattern BANDWIDTH = Pattern.compile("(?<![-A-Z])BANDWIDTH=([0-9]+)");

    private static String text(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static long bytes(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray())
                .body()
                .length;
    }

    @Test
    void everyRungOfEveryDemoPatternDeclaresAtLeastItsPeakAndTheLowestFits150Kbit() throws Exception {
        for (int n = 0; n < DemoCatalogSeeder.SOURCES.length; n++) {
            Path file = DemoCatalogSeeder.makeVideo(n, 12_000);
            UUID asset;
            try {
                asset = MediaFixtures.upload(file);
            } finally {
                Files.deleteIfExists(file);
            }
            MediaFixtures.awaitStatus(asset, "ready", Duration.ofSeconds(120));
            UUID lesson = MediaFixtures.publishedLesson(asset, "演示视频 " + n + " " + UUID.randomUUID());
            String master = given().auth()
                    .oauth2(Tokens.of("learner-demo"))
                    .get("/api/v1/lessons/" + lesson + "/playback")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("hlsUrl");
            List<String> lines = text(master).lines().toList();
            long lowestVideo = Long.MAX_VALUE;
            int variants = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).startsWith("#EXT-X-STREAM-INF:")) {
                    continue;
                }
                variants++;
                Matcher declared = BANDWIDTH.matcher(lines.get(i));
                assertTrue(declared.find(), lines.get(i));
                long bandwidth = Long.parseLong(declared.group(1));
                if (lines.get(i).contains("RESOLUTION=")) {
                    lowestVideo = Math.min(lowestVideo, bandwidth);
                }
                URI rendition = URI.create(master).resolve(lines.get(i + 1));
                double duration = 0;
                for (String m : text(rendition.toString()).lines().toList()) {
                    if (m.startsWith("#EXTINF:")) {
                        duration = Double.parseDouble(m.substring(8, m.indexOf(',')));
                    } else if (!m.isBlank() && !m.startsWith("#")) {
                        double bitrate = bytes(rendition.resolve(m).toString()) * 8 / duration;
                        assertTrue(
                                bitrate <= bandwidth,
                                DemoCatalogSeeder.SOURCES[n] + " " + lines.get(i + 1) + ": " + Math.round(bitrate)
                                        + " bit/s measured, " + bandwidth + " declared");
                    }
                }
            }
            // A 240-line source: 160p, 240p and listen mode.
            assertEquals(3, variants, DemoCatalogSeeder.SOURCES[n]);
            assertTrue(lowestVideo <= 150_000, DemoCatalogSeeder.SOURCES[n] + ": the lowest rung needs " + lowestVideo);
            System.out.printf(
                    "demo pattern %s: lowest video rung declares %d bit/s%n",
                    DemoCatalogSeeder.SOURCES[n], lowestVideo);
        }
    }
}
