package cn.hongtong.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Fast;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every problem type (the stable `type` clients switch on) is declared once, read from the
 * sources: two declarations of one slug drift apart (a title changed in one feature only), and a
 * feature that needs another's problem uses its constant. Found `lesson-not-found` in catalog and
 * statistics.
 */
@Fast
class ProblemTypesTest {

    private static final Pattern DECLARATION = Pattern.compile("new ProblemType\\(\\s*\"([a-z0-9-]+)\"");

    @Test
    void everySlugIsDeclaredOnce() throws IOException {
        Map<String, List<String>> places = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = DECLARATION.matcher(Files.readString(file));
                while (m.find()) {
                    places.computeIfAbsent(m.group(1), k -> new ArrayList<>())
                            .add(file.getFileName().toString());
                }
            }
        }
        assertTrue(places.size() > 40, "the declarations were found: " + places.keySet());
        Map<String, List<String>> twice = new TreeMap<>();
        places.forEach((slug, where) -> {
            if (where.size() > 1) {
                twice.put(slug, where);
            }
        });
        assertEquals(Map.of(), twice);
    }
}
