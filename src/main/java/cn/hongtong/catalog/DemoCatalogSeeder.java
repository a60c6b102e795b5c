package cn.hongtong.catalog;

import cn.hongtong.catalog.CatalogDtos.CourseInput;
import cn.hongtong.catalog.CatalogDtos.LessonInput;
import cn.hongtong.media.MediaAssets;
import cn.hongtong.media.MediaIngest;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Dev mode only (never in a test or production build). On an empty catalog, makes four real
 * videos of realistic length (3 to 8 minutes: cheap 240-line test patterns at 5 frames per
 * second, like slides, with a tone) with ffmpeg, sends them through the upload and processing
 * pipeline, and publishes 31 courses of two lessons each, so that a newcomer can browse, search
 * and play fragmented sessions at once (about a minute and a half on two cores). On a catalog
 * seeded before whose videos are gone from the store (another clone's database, a wiped
 * {@code .stack/}), makes the videos again and reprocesses them under the same ids, so that no
 * lesson points at nothing.
 */
@IfBuildProfile("dev")
@ApplicationScoped
class DemoCatalogSeeder {

    static final String CREATED_BY = "demo-seeder";

    private static final String[][] COURSES = {
        {"clinical-skills", "基层常见病问诊技巧", "I"}, {"clinical-skills", "规范测量血压与血糖", "II"},
        {"clinical-skills", "伤口清创与换药", "II"}, {"chronic-disease", "基层高血压规范化管理", "I"},
        {"chronic-disease", "2型糖尿病的社区随访", "I"}, {"chronic-disease", "慢阻肺的识别与转诊", "II"},
        {"maternal-child", "孕产妇健康管理要点", "I"}, {"maternal-child", "0-6岁儿童健康检查", "II"},
        {"maternal-child", "新生儿家庭访视", "II"}, {"infectious-disease", "结核病的发现与督导服药", "I"},
        {"infectious-disease", "流感季节的防控要点", "II"}, {"infectious-disease", "手足口病的早期识别", "II"},
        {"public-health", "居民健康档案的建立与使用", "none"}, {"public-health", "老年人健康管理服务规范", "II"},
        {"public-health", "预防接种的安全注射", "I"}, {"first-aid", "心肺复苏与AED使用", "I"},
        {"first-aid", "农药中毒的现场急救", "II"}, {"first-aid", "毒蛇咬伤的处置", "II"},
        {"pharmacy", "抗菌药物合理使用", "I"}, {"pharmacy", "老年人多重用药风险", "II"},
        {"pharmacy", "国家基本药物目录解读", "none"}, {"traditional-medicine", "艾灸适宜技术", "II"},
        {"traditional-medicine", "穴位按摩缓解颈肩痛", "none"}, {"mental-health", "抑郁症的早期识别", "II"},
        {"mental-health", "留守老人的心理关怀", "none"}, {"social-work", "个案管理的基本方法", "none"},
        {"social-work", "社区志愿者的组织与激励", "none"}, {"social-work", "困境儿童关爱服务", "none"},
        {"risk-prevention", "医疗纠纷的预防与沟通", "II"}, {"risk-prevention", "院感防控基本要求", "I"},
        {"risk-prevention", "医疗废物的规范处置", "II"}
    };

    /** Lesson titles, two per course, in turn. */
    private static final String[][] LESSONS = {{"要点讲解", "案例与练习"}, {"基础知识", "操作步骤"}, {"常见误区", "随访与转诊"}};

    /** Test patterns, 240 lines at 5 frames per second: cheap to make and to transcode, like slides. */
    static final String[] SOURCES = {
        "testsrc2=size=320x240:rate=5",
        "smptebars=size=320x240:rate=5",
        "rgbtestsrc=size=320x240:rate=5",
        "testsrc=size=320x240:rate=5"
    };
    /** Their lengths: fragments of a few minutes, as the real courses have. */
    private static final int[] SECONDS = {180, 270, 360, 480};

    private final CatalogConfig config;
    private final CatalogService catalog;
    private final CourseRepository courses;
    private final MediaIngest ingest;
    private final MediaAssets media;

    DemoCatalogSeeder(
            CatalogService catalog,
            CourseRepository courses,
            MediaIngest ingest,
            MediaAssets media,
            CatalogConfig config) {
        this.config = config;
        this.catalog = catalog;
        this.courses = courses;
        this.ingest = ingest;
        this.media = media;
    }

    void seed(@Observes StartupEvent event) {
        if (!config.demoSeed()) {
            return;
        }
        Thread thread = new Thread(this::run, "demo-catalog-seeder");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            long existing = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(courses::count));
            if (existing > 0) {
                repair();
                return;
            }
            long started = System.nanoTime();
            Log.info("empty catalog: seeding demo courses with generated videos (about a minute and a half)");
            List<UUID> videos = new ArrayList<>();
            for (int i = 0; i < SOURCES.length; i++) {
                Path file = makeVideo(i, SECONDS[i] * 1000);
                videos.add(VertxContextSupport.subscribeAndAwait(() -> ingest.ingest(file, CREATED_BY)));
                Files.deleteIfExists(file);
            }
            List<UUID> created = new ArrayList<>();
            for (int i = 0; i < COURSES.length; i++) {
                String[] c = COURSES[i];
                String[] titles = LESSONS[i % LESSONS.length];
                UUID first = videos.get(i % videos.size());
                UUID second = videos.get((i + 1) % videos.size());
                UUID id = VertxContextSupport.subscribeAndAwait(() -> catalog.create(new CourseInput(
                                c[1],
                                "面向村医、乡镇卫生院护士和社区社工的短视频课程：" + c[1] + "。每课几分钟，随时随地学习。",
                                c[0],
                                c[2],
                                new BigDecimal(c[2].equals("none") ? "0.0" : "1.5"),
                                null)))
                        .course()
                        .id();
                VertxContextSupport.subscribeAndAwait(
                        () -> catalog.addLesson(id, new LessonInput(titles[0], first, null)));
                VertxContextSupport.subscribeAndAwait(
                        () -> catalog.addLesson(id, new LessonInput(titles[1], second, null)));
                created.add(id);
            }
            // Publishing needs every lesson's video ready.
            awaitReady(videos);
            for (UUID id : created) {
                VertxContextSupport.subscribeAndAwait(() -> catalog.publish(id));
            }
            Log.infof(
                    "demo catalog ready: %d courses, %d videos of 3 to 8 minutes, in %d s",
                    COURSES.length, videos.size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        } catch (Throwable e) {
            Log.warnf(e, "seeding the demo catalog failed");
        }
    }

    /** Demo videos whose renditions are gone from the store are made again under the same ids. */
    private void repair() throws Throwable {
        List<MediaIngest.Lost> lost = VertxContextSupport.subscribeAndAwait(() -> ingest.lostRenditions(CREATED_BY));
        if (lost.isEmpty()) {
            return;
        }
        Log.infof(
                "%d demo videos are missing from the object store (another checkout's database, or .stack/ "
                        + "removed): making them again",
                lost.size());
        for (int i = 0; i < lost.size(); i++) {
            MediaIngest.Lost video = lost.get(i);
            Path file = makeVideo(i % SOURCES.length, video.durationMs());
            VertxContextSupport.subscribeAndAwait(() -> ingest.reprocess(video.id(), file));
            Files.deleteIfExists(file);
        }
        awaitReady(lost.stream().map(MediaIngest.Lost::id).toList());
        Log.info("demo videos repaired");
    }

    private void awaitReady(List<UUID> videos) throws Throwable {
        for (int i = 0; i < 1200; i++) {
            Map<UUID, MediaAssets.Summary> state = VertxContextSupport.subscribeAndAwait(() -> media.summaries(videos));
            if (state.values().stream().allMatch(MediaAssets.Summary::ready)) {
                return;
            }
            if (state.values().stream()
                    .anyMatch(s -> s.status().equals("failed") || s.status().equals("rejected"))) {
                throw new IllegalStateException("a demo video failed to process: " + state);
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("demo videos not ready in 10 minutes");
    }

    static Path makeVideo(int n, int durationMs) throws IOException, InterruptedException {
        Path file = Files.createTempFile("hongtong-demo-" + n + "-", ".mp4");
        Process process = new ProcessBuilder(
                        "ffmpeg",
                        "-hide_banner",
                        "-loglevel",
                        "error",
                        "-y",
                        "-f",
                        "lavfi",
                        "-i",
                        SOURCES[n],
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=" + (330 + 110 * n) + ":sample_rate=22050",
                        "-t",
                        String.format(Locale.ROOT, "%.3f", durationMs / 1000.0),
                        "-c:v",
                        "libx264",
                        "-preset",
                        "ultrafast",
                        "-pix_fmt",
                        "yuv420p",
                        "-c:a",
                        "aac",
                        "-b:a",
                        "48k",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg could not make demo video " + n);
        }
        return file;
    }
}
