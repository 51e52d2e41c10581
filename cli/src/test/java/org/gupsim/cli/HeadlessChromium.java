package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts the machine's own headless Chromium through its own chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}), never a downloaded one: both paths are given to
 * Selenium, so its driver manager has nothing to fetch. Where either is missing the calling test
 * is skipped, except under CI ({@code CI=true}), whose {@code .ci/run} installs both, so there a
 * missing browser is a failure rather than a silent skip.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /**
     * A new headless Chromium with a fixed 1400x1000 window and bounded timeouts; quit it when done.
     * It starts with a fresh profile in {@code profileDir} (emptied first) and with Chromium's own
     * background traffic switched off (component updates, sync, field trials, safe-browsing lists):
     * on a machine without a network, or with only a package mirror, those connections are refused
     * and only slow the start down and fill the log.
     *
     * @param logFile    chromedriver's log
     * @param profileDir the browser profile (--user-data-dir), e.g. under {@code target/}
     */
    static ChromeDriver start(Path logFile, Path profileDir) {
        Optional<Path> browser = find("chromium", "/usr/bin/chromium", "/usr/lib/chromium/chromium");
        Optional<Path> driver = find("chromedriver", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        if (browser.isEmpty() || driver.isEmpty()) {
            String why = "headless Chromium needs chromium and chromedriver (Debian: chromium, chromium-driver);"
                    + " found browser " + browser.map(Path::toString).orElse("none") + ", driver "
                    + driver.map(Path::toString).orElse("none");
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " — .ci/run should have installed them");
            }
            assumeTrue(false, why);
        }
        freshDirectory(profileDir);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--user-data-dir=" + profileDir.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .withLogFile(logFile.toFile())
                .build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return chrome;
    }

    /** Deletes {@code dir} with everything in it, then creates it empty. */
    private static void freshDirectory(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a fresh Chromium profile in " + dir, e);
        }
    }

    /** The executable named {@code name} on the PATH, else the first of {@code fallbacks} that exists. */
    private static Optional<Path> find(String name, String... fallbacks) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return List.of(fallbacks).stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }
}
