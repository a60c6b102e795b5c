package cn.hongtong.testsupport;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Debian's headless Chromium driven by Playwright for Java (no browser download). */
public final class Chromium {

    private Chromium() {}

    /** Playwright without its own browsers: the system's chromium is used. */
    public static Playwright playwright() {
        return Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** A headless Chromium with the flags a CI container needs, plus {@code extraArgs}. */
    public static Browser launch(Playwright playwright, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync"));
        args.addAll(List.of(extraArgs));
        return playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(Path.of(System.getProperty("hongtong.test.chromium", "/usr/bin/chromium")))
                        .setHeadless(true)
                        .setArgs(args));
    }

    /** Closes what {@link #playwright} and {@link #launch} opened (either may be null if they failed). */
    public static void close(Browser browser, Playwright playwright) {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }
}
