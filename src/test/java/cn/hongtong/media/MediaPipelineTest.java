package cn.hongtong.media;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.common.Problem;
import cn.hongtong.media.storage.ObjectStorage;
import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.MediaFixtures;
import cn.hongtong.testsupport.Tokens;
import cn.hongtong.testsupport.Videos;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Upload, probing, processing and playback against the real object store and a real player (ffmpeg). */
@QuarkusTest
class MediaPipelineTest {

    private static final Duration PROCESSING = Duration.ofSeconds(120);
    /** Follows redirects as players do (the MP4, segments and posters are redirects to presigned URLs). */
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @Inject
    ObjectStorage storage;

    @Inject
    DownloadGrants grants;

    @Inject
    Fixtures fixtures;

    @Inject
    cn.hongtong.testsupport.TestClock clock;

    private static HttpResponse<byte[]> get(String url, String range) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void progressEventsOfAnUnknownVideoAreA404Problem() {
        // Regression: the event stream used to start (200) and then break off.
        given().auth()
                .oauth2(Tokens.of("editor"))
                .accept("text/event-stream")
                .get("/api/v1/admin/media/" + UUID.randomUUID() + "/events")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:hongtong:problem:media-not-found"));
        given().accept("text/event-stream")
                .get("/api/v1/admin/media/" + UUID.randomUUID() + "/events")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .accept("text/event-stream")
                .get("/api/v1/admin/media/" + UUID.randomUUID() + "/events")
                .then()
                .statusCode(403);
    }

    @Test
    void uploadedVideoPlaysAsMp4WithRangeAndAsHlsInARealPlayer() throws Exception {
        UUID asset = MediaFixtures.upload(Videos.small());
        MediaFixtures.awaitStatus(asset, "ready", PROCESSING)
                .then()
                .body("progress", equalTo(100))
                .body("durationSeconds", equalTo(7));
        UUID lesson = MediaFixtures.publishedLesson(asset, "播放测试 " + UUID.randomUUID());

        Response playback =
                given().auth().oauth2(Tokens.of("learner-demo")).get("/api/v1/lessons/" + lesson + "/playback");
        playback.then().statusCode(200).body("durationSeconds", equalTo(7)).body("expiresAt", notNullValue());

        // MP4: a signed API URL redirecting to a presigned one; a Range request answers exactly the bytes asked for.
        String mp4 = playback.path("mp4Url");
        assertTrue(mp4.contains("/mp4?exp=") && mp4.contains("sig="), mp4);
        byte[] whole = get(mp4, null).body();
        HttpResponse<byte[]> part = get(mp4, "bytes=100-1123");
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(whole, 100, 1124), part.body());

        // HLS: the master lists the renditions behind signed API URLs.
        String master = playback.path("hlsUrl");
        String masterText = new String(get(master, null).body(), StandardCharsets.UTF_8);
        List<String> renditions = masterText
                .lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList();
        // A 240-line source: no upscaled rung (360p, 480p), the lowest and listen mode always.
        assertEquals(
                List.of("160p", "240p", "audio"),
                renditions.stream().map(r -> r.substring(0, r.indexOf('/'))).toList(),
                masterText);
        assertDeclaredBandwidthCoversEverySegment(master, masterText);
        URI masterUri = URI.create(master);
        for (String rendition : renditions) {
            assertTrue(rendition.contains("sig="), rendition);
            HttpResponse<byte[]> playlist = get(masterUri.resolve(rendition).toString(), null);
            assertEquals(200, playlist.statusCode());
            List<String> segments = new String(playlist.body(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .toList();
            assertTrue(segments.size() >= 2, "7 s in 4 s segments");
            // Segments are object URLs presigned until the answer's expiry: one request each, no redirect.
            segments.forEach(segment -> assertTrue(
                    segment.matches("http://[^?]+/hls/[0-9a-z]+/seg_[0-9]+\\.ts\\?.*X-Amz-Signature=.+"), segment));
            segments.forEach(segment -> assertPresignedUntil(segment, playback.path("expiresAt")));
        }

        // A real HLS client plays every rendition end to end.
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-i", master, "-map", "0", "-f", "null", "-")
                .redirectErrorStream(true)
                .start();
        String output = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ffmpeg.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, ffmpeg.exitValue(), output);

        // Listen mode: the audio-only playlist, offered on its own; a real HLS client decodes sound and no picture.
        String listen = playback.path("listenUrl");
        assertTrue(listen.contains("/hls/audio/index.m3u8?exp="), listen);
        Process probe = new ProcessBuilder(
                        "ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", listen)
                .redirectErrorStream(true)
                .start();
        String streams = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
        assertEquals(
                List.of("audio"),
                streams.lines().filter(l -> !l.isBlank()).distinct().toList(),
                "listen mode carries sound only");

        HttpResponse<byte[]> poster = get(playback.path("posterUrl"), null);
        assertEquals(200, poster.statusCode());
        assertTrue(
                poster.body().length > 100 && (poster.body()[0] & 0xff) == 0xff && (poster.body()[1] & 0xff) == 0xd8,
                "a JPEG poster");

        // Issue 14, delivery 4: a learner pauses for 35 minutes (the MP4's presigned URLs live 10); the same
        // answer still plays: the segment listed in the playlist fetched before the pause, and the MP4.
        String firstRendition = renditions.get(0);
        String segment = new String(
                        get(masterUri.resolve(firstRendition).toString(), null).body(), StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .findFirst()
                .orElseThrow();
        clock.fix();
        try {
            clock.advanceSeconds(35 * 60);
            assertEquals(
                    200, get(masterUri.resolve(firstRendition).toString(), null).statusCode());
            // The store checks the segment URL on its own clock: presigned until the answer's expiry
            // (asserted above), so it serves it after the pause as now.
            HttpResponse<byte[]> bytes = get(segment, null);
            assertEquals(200, bytes.statusCode());
            assertEquals(0x47, bytes.body()[0] & 0xff, "an MPEG-TS segment");
            assertEquals(206, get(mp4, "bytes=0-99").statusCode());
            // After the answer's own validity, none of its API URLs works.
            clock.advanceSeconds(6 * 3600);
            assertEquals(
                    403, get(masterUri.resolve(firstRendition).toString(), null).statusCode());
            assertEquals(403, get(master, null).statusCode());
            assertEquals(403, get(mp4, null).statusCode());
        } finally {
            clock.reset();
        }
    }

    /** A presigned URL's validity (X-Amz-Date + X-Amz-Expires) ends at the answer's expiry, within a few seconds. */
    private static void assertPresignedUntil(String url, String expiresAt) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Instant signed =
                DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX").parse(query.get("X-Amz-Date"), Instant::from);
        Instant until = signed.plusSeconds(Long.parseLong(query.get("X-Amz-Expires")));
        long drift = Math.abs(Duration.between(until, Instant.parse(expiresAt)).toSeconds());
        assertTrue(drift <= 5, "presigned until " + until + ", the answer expires at " + expiresAt);
    }

    /**
     * Issue 14, delivery 3: every variant declares CODECS and AVERAGE-BANDWIDTH, and a BANDWIDTH at
     * least the bitrate of each of its segments as served (bytes x 8 / EXTINF); the lowest video
     * rung fits a 150 kbit/s line.
     */
    private static void assertDeclaredBandwidthCoversEverySegment(String master, String masterText) throws Exception {
        List<String> lines = masterText.lines().toList();
        URI masterUri = URI.create(master);
        long lowestVideo = Long.MAX_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("#EXT-X-STREAM-INF:")) {
                continue;
            }
            Matcher declared = Pattern.compile("(?<![-A-Z])BANDWIDTH=([0-9]+)").matcher(line);
            assertTrue(declared.find(), line);
            long bandwidth = Long.parseLong(declared.group(1));
            assertTrue(line.contains("AVERAGE-BANDWIDTH="), line);
            System.out.println("declared: "
                    + lines.get(i + 1).substring(0, lines.get(i + 1).indexOf('/')) + " " + line);
            assertTrue(line.contains("CODECS="), line);
            if (line.contains("RESOLUTION=")) {
                lowestVideo = Math.min(lowestVideo, bandwidth);
            }
            URI rendition = masterUri.resolve(lines.get(i + 1));
            List<String> media = new String(get(rendition.toString(), null).body(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            double duration = 0;
            for (String m : media) {
                if (m.startsWith("#EXTINF:")) {
                    duration = Double.parseDouble(m.substring(8, m.indexOf(',')));
                } else if (!m.isBlank() && !m.startsWith("#")) {
                    long bytes = get(rendition.resolve(m).toString(), null).body().length;
                    double bitrate = bytes * 8 / duration;
                    assertTrue(
                            bitrate <= bandwidth,
                            lines.get(i + 1) + " " + m + ": " + Math.round(bitrate) + " bit/s measured, " + bandwidth
                                    + " declared");
                }
            }
        }
        assertTrue(lowestVideo <= 150_000, "the lowest video rung needs " + lowestVideo + " bit/s");
    }

    @Test
    void courseCoverIsASignedLinkToThePosterThatNeedsNoToken() throws Exception {
        UUID asset = MediaFixtures.upload(Videos.silent());
        MediaFixtures.awaitStatus(asset, "ready", PROCESSING);
        String title = "封面 " + UUID.randomUUID();
        MediaFixtures.publishedLesson(asset, title);
        String cover = given().auth()
                .oauth2(Tokens.of("learner-demo"))
                .queryParam("q", title)
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].coverUrl");
        assertTrue(cover.startsWith("/api/v1/media/" + asset + "/poster?exp="), cover);

        Response redirect =
                given().redirects().follow(false).urlEncodingEnabled(false).get(cover);
        assertEquals(302, redirect.statusCode());
        String location = redirect.header("Location");
        assertTrue(location.contains("X-Amz-Signature="), location);
        HttpResponse<byte[]> image = get(location, null);
        assertEquals(200, image.statusCode());
        assertEquals(0xd8, image.body()[1] & 0xff, "a JPEG");

        given().redirects()
                .follow(false)
                .urlEncodingEnabled(false)
                .get(cover.replaceFirst("sig=[^&]+", "sig=forged"))
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:hongtong:problem:signature-invalid"));
    }

    @Test
    void offlineDownloadComesWithAVerifiableGrant() throws Exception {
        UUID asset = MediaFixtures.upload(Videos.silent());
        MediaFixtures.awaitStatus(asset, "ready", PROCESSING);
        UUID lesson = MediaFixtures.publishedLesson(asset, "离线测试 " + UUID.randomUUID());
        String learner = Tokens.of("learner-demo");
        String learnerId = given().auth()
                .oauth2(learner)
                .get("/api/v1/me")
                .then()
                .extract()
                .path("learner.learnerId");

        Response download = given().auth().oauth2(learner).get("/api/v1/lessons/" + lesson + "/download");
        download.then().statusCode(200).body("sizeBytes", notNullValue());
        HttpResponse<byte[]> file = get(download.path("url"), null);
        assertEquals(200, file.statusCode());
        assertEquals(((Number) download.path("sizeBytes")).longValue(), file.body().length);

        DownloadGrants.Grant grant = grants.verify(download.path("grant")).orElseThrow();
        assertEquals(UUID.fromString(learnerId), grant.learnerId());
        assertEquals(lesson, grant.lessonId());
        assertEquals(asset, grant.assetId());
        assertTrue(grant.validUntil().isAfter(grant.validFrom()));
        String forged = download.<String>path("grant").replaceFirst(".$", "A");
        assertTrue(grants.verify(forged).isEmpty() || forged.equals(download.path("grant")));
    }

    @Test
    void progressIsStreamedAsServerSentEvents() throws Exception {
        UUID asset = MediaFixtures.upload(Videos.silent());
        HttpResponse<InputStream> events = HTTP.send(
                HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/admin/media/"
                                + asset + "/events"))
                        .header("Authorization", "Bearer " + Tokens.of("editor"))
                        .header("Accept", "text/event-stream")
                        .timeout(PROCESSING)
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, events.statusCode());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (InputStream in = events.body()) {
            in.transferTo(all);
        }
        String stream = all.toString(StandardCharsets.UTF_8);
        assertTrue(stream.contains("\"status\":\"ready\""), stream);
        assertTrue(stream.contains("\"progress\":100"), stream);
    }

    @Test
    void textFileNamedMp4IsRejectedAndNothingIsLeftBehind() throws Exception {
        byte[] text = "这不是视频。This is not a video at all.\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        Response ticket = MediaFixtures.startUpload("lecture.mp4", "video/mp4", text.length);
        UUID asset = UUID.fromString(ticket.path("assetId"));
        assertEquals(200, MediaFixtures.put(ticket.path("uploadUrl"), text).statusCode());
        MediaFixtures.complete(asset, null)
                .then()
                .statusCode(422)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:media-not-playable"));
        MediaFixtures.awaitStatus(asset, "rejected", Duration.ofSeconds(5));
        assertTrue(
                storage.size("assets/" + asset + "/original.mp4")
                        .await()
                        .atMost(Duration.ofSeconds(10))
                        .isEmpty(),
                "the rejected upload is deleted");
        MediaFixtures.complete(asset, null).then().statusCode(409);
    }

    /**
     * Issue 13, finding 7: an HLS playlist uploaded as a video must not make ffprobe fetch the URLs
     * it lists (a course admin could otherwise reach any host the API can: SSRF). The listener
     * stands for an internal service; it must see no request, whatever Content-Type the upload
     * claimed, and the pinned copy as well as the upload are deleted.
     */
    @Test
    void aPlaylistDisguisedAsAVideoFetchesNothingAndIsRejected() throws Exception {
        var listener = cn.hongtong.testsupport.WeChatFake.server();
        String internal = listener.baseUrl() + "/internal-service/secret-" + UUID.randomUUID() + ".ts";
        listener.stubFor(WireMock.get(WireMock.urlPathMatching("/internal-service/.*"))
                .willReturn(WireMock.aResponse().withStatus(200).withBody("x")));
        String playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n" + internal
                + "\n#EXTINF:10.0,\n" + internal + "\n#EXT-X-ENDLIST\n";
        byte[] bytes = playlist.getBytes(StandardCharsets.UTF_8);
        for (String claimed : new String[] {"video/mp4", "application/vnd.apple.mpegurl"}) {
            Response ticket = MediaFixtures.startUpload("lecture.mp4", "video/mp4", bytes.length);
            UUID asset = UUID.fromString(ticket.path("assetId"));
            var put = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(ticket.path("uploadUrl")))
                                    .header("Content-Type", claimed)
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
            MediaFixtures.complete(asset, null)
                    .then()
                    .statusCode(422)
                    .body("type", equalTo("urn:hongtong:problem:media-not-playable"));
            assertEquals(
                    0,
                    listener.countRequestsMatching(
                                    WireMock.getRequestedFor(WireMock.urlPathMatching("/internal-service/.*"))
                                            .build())
                            .getCount(),
                    "ffprobe fetched a URL from the uploaded playlist (" + claimed + ")");
            assertTrue(storage.size("assets/" + asset + "/original.mp4")
                    .await()
                    .atMost(Duration.ofSeconds(10))
                    .isEmpty());
            assertTrue(storage.size("assets/" + asset + "/source.mp4")
                    .await()
                    .atMost(Duration.ofSeconds(10))
                    .isEmpty());
        }
    }

    @Inject
    Signer signer;

    /** Issue 14, delivery 2: a correctly signed playlist whose objects do not exist is 404, not 500. */
    @Test
    void aMissingPlaylistIsA404Problem() {
        UUID asset = UUID.randomUUID();
        long exp = Instant.now().getEpochSecond() + 600;
        given().queryParam("exp", exp)
                .queryParam("sig", signer.sign(PlaybackService.scope(asset, "master", exp)))
                .get("/api/v1/media/" + asset + "/hls/master.m3u8")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:media-not-found"));
        given().queryParam("exp", exp)
                .queryParam("sig", signer.sign(PlaybackService.scope(asset, "240p", exp)))
                .get("/api/v1/media/" + asset + "/hls/240p/index.m3u8")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
    }

    @Inject
    MediaIngest ingest;

    /**
     * Issue 14, delivery 5 (what the dev demo seeder repairs with): a ready video whose renditions
     * are gone from the store is found, stored again and processed under the same id, so that the
     * lessons pointing at it play again.
     */
    @Test
    void aVideoWhoseRenditionsAreLostIsFoundAndMadeAgainUnderItsId() throws Throwable {
        String owner = "lost-test-" + UUID.randomUUID();
        UUID asset = VertxContextSupport.subscribeAndAwait(() -> ingest.ingest(Videos.silent(), owner));
        MediaFixtures.awaitStatus(asset, "ready", PROCESSING);
        assertEquals(List.of(), VertxContextSupport.subscribeAndAwait(() -> ingest.lostRenditions(owner)));

        storage.deletePrefix(MediaAsset.prefix(asset)).await().atMost(Duration.ofSeconds(30));
        List<MediaIngest.Lost> lost = VertxContextSupport.subscribeAndAwait(() -> ingest.lostRenditions(owner));
        assertEquals(List.of(new MediaIngest.Lost(asset, 3000)), lost);

        assertTrue(VertxContextSupport.subscribeAndAwait(() -> ingest.reprocess(asset, Videos.silent())));
        MediaFixtures.awaitStatus(asset, "ready", PROCESSING);
        assertEquals(List.of(), VertxContextSupport.subscribeAndAwait(() -> ingest.lostRenditions(owner)));
        UUID lesson = MediaFixtures.publishedLesson(asset, "修复 " + UUID.randomUUID());
        String master = given().auth()
                .oauth2(Tokens.of("learner-demo"))
                .get("/api/v1/lessons/" + lesson + "/playback")
                .then()
                .statusCode(200)
                .extract()
                .path("hlsUrl");
        assertEquals(200, get(master, null).statusCode());
    }

    @Test
    void uploadOfAnotherSizeThanDeclaredIsRejected() {
        Response ticket = MediaFixtures.startUpload("short.mp4", "video/mp4", 5000);
        UUID asset = UUID.fromString(ticket.path("assetId"));
        MediaFixtures.put(ticket.path("uploadUrl"), new byte[10]);
        MediaFixtures.complete(asset, null).then().statusCode(422).body("detail", containsString("5000"));
    }

    @Test
    void completingBeforeUploadingIsAConflictAndChangesNothing() {
        Response ticket = MediaFixtures.startUpload("later.mp4", "video/mp4", 5000);
        UUID asset = UUID.fromString(ticket.path("assetId"));
        MediaFixtures.complete(asset, null)
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:upload-incomplete"));
        given().auth()
                .oauth2(Tokens.of("editor"))
                .get("/api/v1/admin/media/" + asset)
                .then()
                .statusCode(200)
                .body("status", equalTo("awaiting-upload"));
    }

    @Test
    void abandonedUploadsAreCleanedUp() throws Exception {
        Response single = MediaFixtures.startUpload("forgotten.mp4", "video/mp4", 3);
        UUID putButNeverCompleted = UUID.fromString(single.path("assetId"));
        MediaFixtures.put(single.path("uploadUrl"), new byte[] {1, 2, 3});
        UUID neverUploaded = UUID.fromString(
                MediaFixtures.startUpload("nothing.mp4", "video/mp4", 3).<String>path("assetId"));
        UUID multipart = UUID.fromString(MediaFixtures.startUpload("big.mp4", "video/mp4", 2 * 1024 * 1024)
                .<String>path("assetId"));
        for (UUID id : List.of(putButNeverCompleted, neverUploaded, multipart)) {
            MediaFixtures.awaitStatus(id, "failed", Duration.ofSeconds(30))
                    .then()
                    .body("failureReason", equalTo("upload abandoned"));
        }
        assertTrue(
                storage.size("assets/" + putButNeverCompleted + "/original.mp4")
                        .await()
                        .atMost(Duration.ofSeconds(10))
                        .isEmpty(),
                "the orphaned object is deleted");
        MediaFixtures.complete(putButNeverCompleted, null).then().statusCode(409);
    }

    @Test
    void largeVideoGoesUpInPartsAndIsAccepted() throws Exception {
        byte[] bytes = Files.readAllBytes(Videos.large());
        assertTrue(bytes.length > 1024 * 1024, "larger than the test multipart threshold");
        Response ticket = MediaFixtures.startUpload("large.mp4", "video/mp4", bytes.length);
        ticket.then()
                .statusCode(201)
                .body("uploadUrl", Matchers.nullValue())
                .body("multipart.parts.size()", equalTo(1));
        UUID asset = UUID.fromString(ticket.path("assetId"));
        HttpResponse<String> part = MediaFixtures.put(ticket.path("multipart.parts[0].url"), bytes);
        assertEquals(200, part.statusCode());
        String etag = part.headers().firstValue("ETag").orElseThrow().replace("\"", "");
        MediaFixtures.complete(asset, "{\"parts\":[{\"partNumber\":1,\"etag\":\"" + etag + "\"}]}")
                .then()
                .statusCode(202)
                .body("status", equalTo("queued"));
    }

    @Test
    void interruptedProcessingIsTakenUpAgain() throws Exception {
        UUID asset = MediaFixtures.upload(Videos.silent());
        MediaFixtures.awaitStatus(asset, "ready", PROCESSING);
        // As if the replica processing it had died mid-way: its lease has run out.
        fixtures.execute(
                "UPDATE media_asset SET status = 'processing', progress = 40, lease_owner = 'dead-replica', "
                        + "lease_until = now() - interval '1 second' WHERE id = $1",
                asset);
        MediaFixtures.awaitStatus(asset, "ready", PROCESSING)
                .then()
                .body("attempts", equalTo(2))
                .body("progress", equalTo(100));
    }

    @Test
    void jobThatKeepsFailingIsMarkedFailedWithTheReason() throws Exception {
        UUID asset = fixtures.asset("queued", 5);
        // The original is missing: every attempt fails, the third for good, with ffmpeg's reason.
        MediaFixtures.awaitStatus(asset, "failed", PROCESSING)
                .then()
                .body("attempts", equalTo(3))
                .body("failureReason", containsString("404"))
                // ffmpeg quotes its input, a presigned URL: neither the reason nor the log may keep it.
                .body("failureReason", Matchers.not(containsString("X-Amz")))
                .body("failureReason", Matchers.not(containsString("http")));
    }

    @Test
    void jobWhoseWorkersKeepDyingIsGivenUp() throws Exception {
        UUID asset = fixtures.asset("processing", 5);
        fixtures.execute(
                "UPDATE media_asset SET attempts = 3, lease_owner = 'dead-replica', failure_reason = 'worker lost', "
                        + "lease_until = now() - interval '1 second' WHERE id = $1",
                asset);
        MediaFixtures.awaitStatus(asset, "failed", PROCESSING)
                .then()
                .body("attempts", equalTo(4))
                .body("failureReason", equalTo("gave up after 3 attempts: worker lost"));
    }

    @Test
    void expiredPresignedUrlIsRefused() throws Exception {
        Response ticket = MediaFixtures.startUpload("tiny.mp4", "video/mp4", 3);
        MediaFixtures.put(ticket.path("uploadUrl"), new byte[] {1, 2, 3});
        // The signing time is whole seconds (X-Amz-Date), so a 1-second URL may already be expired
        // when first used on a busy machine: 3 seconds, then a wait well past them.
        String url = storage.presignGet("assets/" + ticket.path("assetId") + "/original.mp4", Duration.ofSeconds(3));
        assertEquals(200, get(url, null).statusCode());
        Thread.sleep(4500);
        assertEquals(403, get(url, null).statusCode());
    }

    @Test
    void playlistWithABadOrExpiredSignatureIsRefused() {
        UUID asset = UUID.randomUUID();
        given().queryParam("exp", 9_999_999_999L)
                .queryParam("sig", "forged")
                .get("/api/v1/media/" + asset + "/hls/master.m3u8")
                .then()
                .statusCode(403)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:signature-invalid"));
        given().queryParam("exp", 1)
                .queryParam("sig", "x")
                .get("/api/v1/media/" + asset + "/hls/240p/index.m3u8")
                .then()
                .statusCode(403);
        given().get("/api/v1/media/" + asset + "/hls/master.m3u8").then().statusCode(400);
    }

    @Test
    void uploadsAreValidatedAndForCourseAdminsOnly() {
        MediaFixtures.startUpload("notes.txt", "text/plain", 100)
                .then()
                .statusCode(400)
                .body("errors.field", Matchers.hasItem("contentType"));
        MediaFixtures.startUpload("../../etc/passwd", "video/mp4", 100).then().statusCode(400);
        MediaFixtures.startUpload("huge.mp4", "video/mp4", 10L * 1024 * 1024 * 1024)
                .then()
                .statusCode(400)
                .body("errors.field", Matchers.hasItem("size"));
        given().auth()
                .oauth2(Tokens.of("learner-demo"))
                .contentType("application/json")
                .body("{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"size\":100}")
                .post("/api/v1/admin/media/uploads")
                .then()
                .statusCode(403);
        given().contentType("application/json")
                .body("{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"size\":100}")
                .post("/api/v1/admin/media/uploads")
                .then()
                .statusCode(401);
    }

    @Test
    void lessonOfADraftCourseCannotBePlayed() {
        String admin = Tokens.of("editor");
        String courseId = given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"title\":\"草稿\",\"categoryCode\":\"pharmacy\",\"creditClass\":\"none\",\"creditHours\":0}")
                .post("/api/v1/admin/courses")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String lessonId = given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"title\":\"课\",\"mediaAssetId\":\"" + fixtures.asset("ready", 30) + "\"}")
                .post("/api/v1/admin/courses/" + courseId + "/lessons")
                .then()
                .statusCode(201)
                .extract()
                .path("lessons[0].id");
        given().auth()
                .oauth2(Tokens.of("learner-demo"))
                .get("/api/v1/lessons/" + lessonId + "/playback")
                .then()
                .statusCode(404)
                .body("type", equalTo("urn:hongtong:problem:lesson-not-playable"));
    }
}
