package cn.hongtong.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.Fast;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The features' layering, read from the sources (plain unit test): media knows videos, never the
 * lessons, courses, learning or statistics above it (issue 14, delivery 6: catalog asks media for a
 * video's URLs, media asked catalog for lessons before); nothing but media reaches into its storage
 * adapter; common depends on no feature.
 */
@Fast
class PackageLayersTest {

    private static final Path MAIN = Path.of("src/main/java/cn/hongtong");

    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "media",
                    List.of(
                            "cn.hongtong.catalog",
                            "cn.hongtong.learning",
                            "cn.hongtong.statistics",
                            "cn.hongtong.privacy"),
            "common",
                    List.of(
                            "cn.hongtong.catalog",
                            "cn.hongtong.learning",
                            "cn.hongtong.statistics",
                            "cn.hongtong.privacy",
                            "cn.hongtong.media",
                            "cn.hongtong.identity",
                            "cn.hongtong.audit"),
            "identity",
                    List.of(
                            "cn.hongtong.catalog",
                            "cn.hongtong.learning",
                            "cn.hongtong.statistics",
                            "cn.hongtong.media"),
            "catalog",
                    List.of(
                            "cn.hongtong.learning",
                            "cn.hongtong.statistics",
                            "cn.hongtong.privacy",
                            "cn.hongtong.media.storage"));

    @Test
    void noFeatureReachesAboveItsLayer() throws IOException {
        StringBuilder violations = new StringBuilder();
        for (var rule : FORBIDDEN.entrySet()) {
            try (Stream<Path> files = Files.walk(MAIN.resolve(rule.getKey()))) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(file);
                    for (String forbidden : rule.getValue()) {
                        // An import, or an inline qualified name (not part of a longer package name).
                        if (Pattern.compile("(?<![\\w.])" + forbidden.replace(".", "\\.") + "\\.[A-Za-z]")
                                .matcher(text)
                                .find()) {
                            violations
                                    .append(MAIN.relativize(file))
                                    .append(" uses ")
                                    .append(forbidden)
                                    .append('\n');
                        }
                    }
                }
            }
        }
        assertEquals("", violations.toString());
    }
}
