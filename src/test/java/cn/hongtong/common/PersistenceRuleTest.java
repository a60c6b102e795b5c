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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The persistence rule (README, "Persistence"), read from the sources: aggregates
 * edited through the admin API go through Panache repositories ({@code XxxRepository}); every other
 * statement, hot or set-based, is SQL in the feature's {@code XxxStore}; nothing else writes SQL.
 * Rows travel between steps as records, not {@code Object[]}.
 */
@Fast
class PersistenceRuleTest {

    private static final Path MAIN = Path.of("src/main/java/cn/hongtong");

    /** Anything that sends a statement: the Vert.x SQL client or a Hibernate query. */
    private static final Pattern STATEMENT = Pattern.compile(
            "\\.preparedQuery\\(|\\.query\\(\"|createNativeQuery\\(|createQuery\\(|createSelectionQuery\\(");

    /** The exceptions, each with its reason. */
    private static final Map<String, String> EXCEPTIONS = Map.of(
            "common/PostgresProbe.java", "the readiness probe's SELECT 1, about the database rather than data",
            "credit/DemoCreditSeeder.java", "dev profile only (not in the production artifact): demo fixtures",
            "learning/DemoActivitySeeder.java", "dev profile only (not in the production artifact): demo fixtures");

    /**
     * The stores: one per feature that writes SQL; statistics keeps its analysts' reads and the
     * rollups the flusher writes in its own transaction apart.
     */
    private static final Map<String, List<String>> STORES = Map.of(
            "audit", List.of("AuditStore.java"),
            "credit", List.of("CreditStore.java"),
            "learning", List.of("LearningStore.java"),
            "media", List.of("MediaStore.java"),
            "privacy", List.of("PrivacyStore.java"),
            "statistics", List.of("RollupStore.java", "StatsStore.java"));

    @Test
    void statementsAreSentOnlyByStoresAndRepositories() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String name = file.getFileName().toString();
            String relative = MAIN.relativize(file).toString().replace('\\', '/');
            boolean allowed =
                    name.endsWith("Store.java") || name.endsWith("Repository.java") || EXCEPTIONS.containsKey(relative);
            if (!allowed && STATEMENT.matcher(Files.readString(file)).find()) {
                violations.add(relative);
            }
        }
        assertEquals(List.of(), violations, "SQL outside a Store or Repository");
    }

    @Test
    void aRepositoryIsAPanacheRepositoryAndEachFeatureHasItsStore() throws IOException {
        Map<String, List<String>> stores = new TreeMap<>();
        for (Path file : sources()) {
            String name = file.getFileName().toString();
            if (name.endsWith("Repository.java")) {
                assertTrue(
                        Files.readString(file).contains("implements PanacheRepository"),
                        name + " is named a repository but is no Panache repository");
            }
            if (name.endsWith("Store.java") && !name.equals("ObjectStorage.java")) {
                stores.computeIfAbsent(
                                MAIN.relativize(file.getParent()).toString().replace('\\', '/'), k -> new ArrayList<>())
                        .add(name);
            }
        }
        stores.values().forEach(list -> list.sort(null));
        assertEquals(new TreeMap<>(STORES), stores);
    }

    @Test
    void rowsAreRecordsNotObjectArrays() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            if (Files.readString(file).contains("List<Object[]>")) {
                violations.add(MAIN.relativize(file).toString());
            }
        }
        assertEquals(List.of(), violations);
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
