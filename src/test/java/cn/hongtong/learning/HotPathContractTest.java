package cn.hongtong.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Fast;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The script and {@link HotPath} name the same keys and arguments in the same order: a field
 * added, removed or moved on one side only fails here, not in production.
 */
@Fast
class HotPathContractTest {

    private static String script() throws IOException {
        try (InputStream in = HotPath.class.getClassLoader().getResourceAsStream(HotPath.SCRIPT)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> declared(String script, String list) {
        Matcher m = Pattern.compile("local " + list + " = \\{([^}]*)\\}").matcher(script);
        assertTrue(m.find(), list + " is declared in the script");
        List<String> names = new ArrayList<>();
        Matcher name = Pattern.compile("'([A-Za-z]+)'").matcher(m.group(1));
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    /** The record's components in order, a nested record's in its place (as HotPath.values sends them). */
    @SuppressWarnings("unchecked")
    private static List<String> components(Class<? extends Record> type) {
        List<String> names = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getType().isRecord()) {
                names.addAll(components((Class<? extends Record>) c.getType()));
            } else {
                names.add(c.getName());
            }
        }
        return names;
    }

    @Test
    void theScriptDeclaresTheKeysAndArgumentsOfTheJavaRecordsInTheirOrder() throws IOException {
        String script = script();
        assertEquals(components(HotPath.Keys.class), declared(script, "KEY_NAMES"));
        assertEquals(components(HotPath.Call.class), declared(script, "ARG_NAMES"));
    }

    @Test
    void theScriptReadsArgumentsOnlyByTheirDeclaredNames() throws IOException {
        String script = script();
        assertTrue(
                !Pattern.compile("ARGV\\[\\d").matcher(script).find()
                        && !Pattern.compile("KEYS\\[\\d").matcher(script).find(),
                "no positional KEYS[n] or ARGV[n]");
        List<String> args = declared(script, "ARG_NAMES");
        Matcher used = Pattern.compile("\\bA\\.([A-Za-z]+)").matcher(script);
        while (used.find()) {
            assertTrue(args.contains(used.group(1)), "A." + used.group(1) + " is declared");
        }
        List<String> keys = declared(script, "KEY_NAMES");
        Matcher usedKeys = Pattern.compile("\\bK\\.([A-Za-z]+)").matcher(script);
        while (usedKeys.find()) {
            assertTrue(keys.contains(usedKeys.group(1)), "K." + usedKeys.group(1) + " is declared");
        }
    }

    @Test
    void valuesFollowTheRecordsOrderAsTheScriptReadsThem() {
        HotPath.Call call = new HotPath.Call(
                "online",
                "sub",
                1,
                2,
                3,
                4,
                1.5,
                "playing",
                "0,1",
                "2026-06-01",
                5,
                6,
                7,
                8,
                new HotPath.Rules(9, 0.9, 10, 11, 12, 13, 14, 15, 16, 17));
        assertEquals(
                List.of(
                        "online",
                        "sub",
                        "1",
                        "2",
                        "3",
                        "4",
                        "1.5",
                        "playing",
                        "0,1",
                        "2026-06-01",
                        "5",
                        "6",
                        "7",
                        "8",
                        "9",
                        "0.9",
                        "10",
                        "11",
                        "12",
                        "13",
                        "14",
                        "15",
                        "16",
                        "17"),
                HotPath.values(call));
        UUID learner = new UUID(0, 7);
        int shard = HotPath.shard(learner);
        HotPath.Keys keys =
                HotPath.keys(learner, new UUID(0, 1), new UUID(0, 2), "2026-06-01", HotPath.stream("s", shard));
        for (String key : HotPath.values(keys)) {
            // Redis Cluster hashes the text between the first { and the next }: one slot for the whole call.
            assertEquals(
                    "h" + shard,
                    key.substring(key.indexOf('{') + 1, key.indexOf('}')),
                    key + " carries the shard's tag");
        }
        for (String key : HotPath.values(keys).subList(0, 9)) {
            assertTrue(key.startsWith(HotPath.tag(learner) + ":"), key + " names the learner after the tag");
        }
    }

    @Test
    void testsKnowEveryStreamTheFlusherReads() {
        List<String> streams = new ArrayList<>(HotPath.streams(HotPath.STREAM));
        streams.add(HotPath.STREAM);
        assertEquals(new TreeSet<>(streams), new TreeSet<>(cn.hongtong.testsupport.Learning.EVENT_STREAMS));
    }

    @Test
    void learnersSpreadEvenlyOverTheShards() {
        int[] count = new int[HotPath.SHARDS];
        Random random = new Random(7);
        int n = 160_000;
        for (int i = 0; i < n; i++) {
            count[HotPath.shard(new UUID(random.nextLong(), random.nextLong()))]++;
        }
        for (int c : count) {
            assertTrue(Math.abs(c - n / HotPath.SHARDS) < n / HotPath.SHARDS / 20, Arrays.toString(count));
        }
        // Version 4 UUIDs as the application makes them.
        int[] real = new int[HotPath.SHARDS];
        for (int i = 0; i < n; i++) {
            real[HotPath.shard(UUID.randomUUID())]++;
        }
        for (int c : real) {
            assertTrue(Math.abs(c - n / HotPath.SHARDS) < n / HotPath.SHARDS / 20, Arrays.toString(real));
        }
        assertEquals(HotPath.shard(new UUID(3, 5)), HotPath.shard(new UUID(3, 5)));
    }
}
