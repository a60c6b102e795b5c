package cn.hongtong.media.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cn.hongtong.testsupport.ConfigOverride;
import cn.hongtong.testsupport.IdleClosingProxy;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, delivery 2: a read that meets a pooled connection the store already closed is retried
 * (it answered 500 "unexpected end of stream" before), and a missing object is NotFound.
 */
@QuarkusTest
class StorageReadsTest {

    @Inject
    StorageConfig config;

    @Inject
    ObjectStorage storage;

    /** The application's storage configuration, through a proxy that closes idle connections after 300 ms. */
    private StorageConfig through(IdleClosingProxy proxy) {
        // Eviction alone would hide the failure here: only the retry is under test.
        return ConfigOverride.of(
                StorageConfig.class,
                config,
                Map.of("endpoint", "http://127.0.0.1:" + proxy.port(), "idleConnectionTimeout", Duration.ofMinutes(5)));
    }

    @Test
    void aReadAfterTheStoreClosedTheIdleConnectionSucceeds() throws Exception {
        String key = "tests/idle-" + UUID.randomUUID() + ".m3u8";
        Path file = Files.createTempFile("playlist", ".m3u8");
        Files.writeString(file, "#EXTM3U\n#EXT-X-ENDLIST\n");
        storage.upload(key, file, "application/vnd.apple.mpegurl").await().atMost(Duration.ofSeconds(10));
        int port = Integer.parseInt(config.endpoint().replaceAll(".*:(\\d+).*", "$1"));
        try (IdleClosingProxy proxy = new IdleClosingProxy("127.0.0.1", port, 300)) {
            MinioObjectStorage client = new MinioObjectStorage(through(proxy));
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        "#EXTM3U\n#EXT-X-ENDLIST\n",
                        client.readText(key).await().atMost(Duration.ofSeconds(20)));
                assertEquals(
                        true,
                        client.size(key).await().atMost(Duration.ofSeconds(20)).isPresent());
                Thread.sleep(800);
            }
        }
    }

    @Test
    void aMissingObjectIsNotFound() {
        assertThrows(
                ObjectStorage.NotFound.class,
                () -> storage.readText("tests/missing-" + UUID.randomUUID())
                        .await()
                        .atMost(Duration.ofSeconds(10)));
    }
}
