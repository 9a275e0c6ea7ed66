package dev.projectdashboard.e2e.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. Both paths are given explicitly, so Selenium
 * Manager never runs (it would try to download a driver or a browser, which this machine and CI cannot). A browser
 * that cannot start fails the test: CI installs both packages ({@code .ci/run}). Only {@code E2E_BROWSER=skip} skips
 * the browser tests, for a machine without them ({@link BrowserExtension} reads it).
 */
public final class Chromium {

    public static final String SWITCH = "E2E_BROWSER";
    public static final String BINARY = "E2E_CHROMIUM";
    public static final String DRIVER = "E2E_CHROMEDRIVER";

    private Chromium() {}

    /** Whether this machine said to skip the browser tests. */
    public static boolean skipped() {
        return "skip".equalsIgnoreCase(System.getenv().getOrDefault(SWITCH, "").strip());
    }

    /** A new, empty {@code --user-data-dir} below {@code parent}: no state from an earlier browser. */
    public static Path freshProfile(Path parent) {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a Chromium profile under " + parent, e);
        }
    }

    /** Starts the browser with the given (empty) profile folder. */
    public static ChromeDriver start(Path profile) {
        Map<String, String> env = System.getenv();
        Path binary = Path.of(env.getOrDefault(BINARY, "/usr/bin/chromium"));
        Path driver = Path.of(env.getOrDefault(DRIVER, "/usr/bin/chromedriver"));
        for (Path program : new Path[] {binary, driver}) {
            if (!Files.isExecutable(program)) {
                throw new IllegalStateException(program + " is missing: install Debian's chromium and chromium-driver"
                        + " (apt-get install -y chromium chromium-driver; .ci/run does), point " + BINARY + " / "
                        + DRIVER + " elsewhere, or set " + SWITCH + "=skip to skip the browser tests");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1800",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return browser;
    }
}
