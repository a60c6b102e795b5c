package cn.hongtong.learning;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Dev mode only (never in a test or production build). Once the demo catalog is published, gives
 * the dashboard something to show: 160 demo learners in a dozen clinics and health centers of
 * Guizhou and Heilongjiang, registered over the last ten weeks, learning in fragments of two to
 * eight minutes on the last six weeks' days (fewer at weekends), and writes it through the
 * flusher's own writer ({@link FlushWriter}), so the ledger, the progress and every statistics
 * table follow the same rules as real heartbeats. Reproducible (seeded), and done once: it does
 * nothing when demo learners exist.
 */
@IfBuildProfile("dev")
@ApplicationScoped
class DemoActivitySeeder {

    static final String SUBJECT_PREFIX = "demo-activity-";
    private static final int LEARNERS = 160;
    private static final int DAYS = 42;
    private static final int INSTITUTIONS = 14;
    private static final int CENTERS = 5;
    private static final int BATCH = 400;

    private final Pool pool;
    private final FlushWriter writer;
    private final Vertx vertx;
    private final Clock clock;
    private final ZoneId zone;
    private int stableChecks;
    private long lastCount = -1;

    DemoActivitySeeder(Pool pool, FlushWriter writer, Vertx vertx, Clock clock, LearningConfig config) {
        this.pool = pool;
        this.writer = writer;
        this.vertx = vertx;
        this.clock = clock;
        this.zone = config.timeZone();
    }

    void start(@Observes StartupEvent event) {
        vertx.setTimer(5_000, id -> check());
    }

    /** Waits until the published catalog stops growing (the catalog seeder is done), then seeds once. */
    private void check() {
        pool.query("SELECT (SELECT count(*) FROM course WHERE status = 'published') AS courses, "
                        + "EXISTS (SELECT 1 FROM learner WHERE subject LIKE '" + SUBJECT_PREFIX + "%') AS seeded")
                .execute()
                .subscribe()
                .with(
                        rows -> {
                            Row r = rows.iterator().next();
                            if (r.getBoolean("seeded")) {
                                return;
                            }
                            long courses = r.getLong("courses");
                            stableChecks = courses > 0 && courses == lastCount ? stableChecks + 1 : 0;
                            lastCount = courses;
                            if (stableChecks >= 2) {
                                long started = System.nanoTime();
                                seed().subscribe()
                                        .with(
                                                n -> Log.infof(
                                                        "demo activity ready: %d learners, %d sessions over %d days, in %d s",
                                                        LEARNERS,
                                                        n,
                                                        DAYS,
                                                        (System.nanoTime() - started) / 1_000_000_000L),
                                                failure ->
                                                        Log.warnf("demo activity not made: %s", failure.getMessage()));
                            } else {
                                vertx.setTimer(5_000, id -> check());
                            }
                        },
                        failure -> vertx.setTimer(5_000, id -> check()));
    }

    private record Place(long institution, String region, String kind) {}

    private record LessonInfo(UUID id, UUID course, int durationMs) {}

    private record Learner(
            UUID id,
            String subject,
            String name,
            Place place,
            String profession,
            double keenness,
            List<UUID> courses,
            OffsetDateTime registered) {}

    private record Session(UUID id, UUID learner, UUID lesson, UUID course, String client, OffsetDateTime started) {}

    private Uni<Integer> seed() {
        // Mostly village clinics, and a few township health centers (their nurses, doctors, pharmacists).
        String pick = "(SELECT id, region_code, kind FROM institution WHERE left(region_code, 2) IN ('52', '23') "
                + "AND kind = '%s' ORDER BY md5(id::text) LIMIT %d)";
        Uni<List<Place>> places = pool.query(pick.formatted("village-clinic", INSTITUTIONS - CENTERS) + " UNION ALL "
                        + pick.formatted("township-health-center", CENTERS) + " ORDER BY 1")
                .execute()
                .map(rows -> {
                    List<Place> out = new ArrayList<>();
                    rows.forEach(
                            r -> out.add(new Place(r.getLong("id"), r.getString("region_code"), r.getString("kind"))));
                    return out;
                });
        Uni<Map<UUID, List<LessonInfo>>> lessons = pool.query(
                        "SELECT l.id, l.course_id, a.duration_ms FROM lesson l "
                                + "JOIN course c ON c.id = l.course_id JOIN media_asset a ON a.id = l.media_asset_id "
                                + "WHERE c.status = 'published' AND a.status = 'ready' AND a.duration_ms > 0 ORDER BY c.id, l.position")
                .execute()
                .map(rows -> {
                    Map<UUID, List<LessonInfo>> out = new LinkedHashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getUUID("course_id"), k -> new ArrayList<>())
                            .add(new LessonInfo(r.getUUID("id"), r.getUUID("course_id"), r.getInteger("duration_ms"))));
                    return out;
                });
        return Uni.combine().all().unis(places, lessons).asTuple().chain(both -> {
            if (both.getItem1().isEmpty() || both.getItem2().isEmpty()) {
                return Uni.createFrom()
                        .failure(new IllegalStateException("no demo institutions or no playable lessons"));
            }
            return seed(both.getItem1(), both.getItem2());
        });
    }

    private Uni<Integer> seed(List<Place> places, Map<UUID, List<LessonInfo>> lessons) {
        Random random = new Random(20261202L);
        LocalDate today = LocalDate.now(clock.withZone(zone));
        List<UUID> courseIds = new ArrayList<>(lessons.keySet());
        List<Learner> learners = new ArrayList<>();
        for (int i = 0; i < LEARNERS; i++) {
            // Skewed: a few institutions have many learners, some only a handful (suppressed groups).
            Place place = places.get((int) Math.floor(places.size() * Math.pow(random.nextDouble(), 1.6)));
            String profession = profession(place, random);
            List<UUID> favourites = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                favourites.add(courseIds.get((int) Math.floor(courseIds.size() * Math.pow(random.nextDouble(), 1.8))));
            }
            double keenness = 0.15 + 0.6 * random.nextDouble();
            OffsetDateTime registered = today.minusDays(3 + random.nextInt(70))
                    .atTime(8 + random.nextInt(13), random.nextInt(60))
                    .atZone(zone)
                    .toOffsetDateTime()
                    .withOffsetSameInstant(ZoneOffset.UTC);
            learners.add(new Learner(
                    UUID.nameUUIDFromBytes((SUBJECT_PREFIX + i).getBytes()),
                    SUBJECT_PREFIX + i,
                    "演示学员" + (i + 1),
                    place,
                    profession,
                    keenness,
                    favourites,
                    registered));
        }
        // Where each learner stands in each lesson: fragments continue where the last one stopped.
        Map<String, Integer> position = new HashMap<>();
        List<Session> sessions = new ArrayList<>();
        List<LearningEvent> events = new ArrayList<>();
        for (LocalDate day = today.minusDays(DAYS); day.isBefore(today); day = day.plusDays(1)) {
            boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
            for (Learner learner : learners) {
                if (!day.isAfter(learner.registered().atZoneSameInstant(zone).toLocalDate())
                        || random.nextDouble() > learner.keenness() * (weekend ? 0.4 : 1.0)) {
                    continue;
                }
                int fragments = 1 + random.nextInt(3);
                long at = day.atTime(7 + random.nextInt(14), random.nextInt(60))
                        .atZone(zone)
                        .toInstant()
                        .toEpochMilli();
                for (int f = 0; f < fragments; f++) {
                    UUID course = learner.courses()
                            .get(random.nextInt(learner.courses().size()));
                    LessonInfo lesson = nextLesson(learner, lessons.get(course), position);
                    if (lesson == null) {
                        continue;
                    }
                    String key = learner.id() + "/" + lesson.id();
                    int from = position.getOrDefault(key, 0);
                    int length = Math.min(lesson.durationMs() - from, (120 + random.nextInt(360)) * 1000);
                    if (length <= 0) {
                        continue;
                    }
                    int to = from + length;
                    position.put(key, to);
                    UUID session = UUID.randomUUID();
                    sessions.add(new Session(
                            session,
                            learner.id(),
                            lesson.id(),
                            lesson.course(),
                            random.nextBoolean() ? "mini-program" : "app",
                            utc(at)));
                    events.add(new LearningEvent(
                            at + length + "-0",
                            "end",
                            session,
                            learner.id(),
                            lesson.id(),
                            lesson.course(),
                            lesson.durationMs(),
                            1,
                            at + length,
                            day,
                            to,
                            length,
                            length,
                            length,
                            length,
                            from + "," + to,
                            at + "," + (at + length)));
                    at += length + 30_000 + random.nextInt(600_000);
                }
            }
        }
        return insertLearners(learners)
                .chain(() -> insertSessions(sessions))
                .chain(() -> write(events, 0))
                .replaceWith(sessions.size());
    }

    /** The first lesson of the course the learner has not finished, or null when all are. */
    private static LessonInfo nextLesson(Learner learner, List<LessonInfo> lessons, Map<String, Integer> position) {
        for (LessonInfo lesson : lessons) {
            if (position.getOrDefault(learner.id() + "/" + lesson.id(), 0) < lesson.durationMs()) {
                return lesson;
            }
        }
        return null;
    }

    private static String profession(Place place, Random random) {
        if (place.kind().equals("village-clinic")) {
            return random.nextDouble() < 0.85 ? "village-doctor" : "other";
        }
        String[] center = {
            "nurse", "nurse", "general-practitioner", "public-health-worker", "pharmacist", "social-worker"
        };
        return center[random.nextInt(center.length)];
    }

    private Uni<Void> insertLearners(List<Learner> rows) {
        return pool.preparedQuery(
                        "INSERT INTO learner (id, subject, unionid, display_name, profession, institution_id, "
                                + "region_code, created_at, updated_at) SELECT id, s, s, n, p, i, r, c, c FROM unnest($1::uuid[], $2::text[], "
                                + "$3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[]) AS v(id, s, n, p, i, r, c) "
                                + "ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.from(new Object[] {
                    rows.stream().map(Learner::id).toArray(UUID[]::new),
                    rows.stream().map(Learner::subject).toArray(String[]::new),
                    rows.stream().map(Learner::name).toArray(String[]::new),
                    rows.stream().map(Learner::profession).toArray(String[]::new),
                    rows.stream().map(r -> r.place().institution()).toArray(Long[]::new),
                    rows.stream().map(r -> r.place().region()).toArray(String[]::new),
                    rows.stream().map(Learner::registered).toArray(OffsetDateTime[]::new)
                }))
                .replaceWithVoid();
    }

    private Uni<Void> insertSessions(List<Session> rows) {
        return pool.preparedQuery(
                        "INSERT INTO learning_session (id, learner_id, lesson_id, course_id, device_id, client, "
                                + "started_at, updated_at) SELECT id, l, le, c, 'demo-device', cl, s, s FROM unnest($1::uuid[], $2::uuid[], "
                                + "$3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[]) AS v(id, l, le, c, cl, s)")
                .execute(Tuple.from(new Object[] {
                    rows.stream().map(Session::id).toArray(UUID[]::new),
                    rows.stream().map(Session::learner).toArray(UUID[]::new),
                    rows.stream().map(Session::lesson).toArray(UUID[]::new),
                    rows.stream().map(Session::course).toArray(UUID[]::new),
                    rows.stream().map(Session::client).toArray(String[]::new),
                    rows.stream().map(Session::started).toArray(OffsetDateTime[]::new)
                }))
                .replaceWithVoid();
    }

    /** Day by day, as the flusher would have met them. */
    private Uni<Void> write(List<LearningEvent> events, int from) {
        if (from >= events.size()) {
            return Uni.createFrom().voidItem();
        }
        int to = Math.min(events.size(), from + BATCH);
        return writer.apply(events.subList(from, to)).chain(() -> write(events, to));
    }

    private static OffsetDateTime utc(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }
}
