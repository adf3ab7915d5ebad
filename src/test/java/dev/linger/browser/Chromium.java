package dev.linger.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, both given by path so that Selenium downloads
 * nothing. Each browser has its own empty profile (deleted on {@link #close()}), English as its language and a
 * fixed window, so pages and screenshots look the same on every machine.
 */
public final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;
    private final String base;

    private Chromium(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /** A desktop browser, 1280×900, on the Linger at {@code base} (e.g. http://localhost:8081). */
    public static Chromium desktop(String base) {
        return start(base, options -> options.addArguments("--window-size=1280,900"));
    }

    public static final int PHONE_WIDTH = 390;

    /** A phone: 390×844 CSS pixels, touch, the viewport meta tag honoured as a phone's browser does. */
    public static Chromium phone(String base) {
        return start(base, options -> options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                Map.of("width", PHONE_WIDTH, "height", 844, "pixelRatio", 2.0, "mobile", true, "touch", true))));
    }

    /** Empty when Chromium and its driver are installed; otherwise what to install. Tests fail with it, never skip. */
    public static List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(BINARY)) {
            missing.add(BINARY + " (apt-get install chromium)");
        }
        if (!Files.isExecutable(DRIVER)) {
            missing.add(DRIVER + " (apt-get install chromium-driver)");
        }
        return missing;
    }

    private static Chromium start(String base, java.util.function.Consumer<ChromeOptions> size) {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The browser tests need Debian's Chromium and its driver; missing: "
                    + String.join(", ", missing) + ". Install them with: apt-get install -y chromium chromium-driver"
                    + " fonts-wqy-microhei (.ci/run does).");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("linger-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--lang=en-US");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        // the console, so tests can read what the browser refused (Content-Security-Policy, framing)
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        size.accept(options);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
            return new Chromium(driver, profile, base.replaceAll("/+$", ""));
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Opens a path of this Linger, e.g. {@code open("/hosts")}. */
    public void open(String path) {
        driver.get(base + path);
    }

    /** Console messages since the last call (each read once), e.g. the browser's refusals under the page's CSP. */
    public List<String> console() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    public WebDriverWait waiting() {
        return waiting(WAIT);
    }

    public WebDriverWait waiting(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout);
        wait.pollingEvery(Duration.ofMillis(100));
        return wait;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * The rendered text of the first element matching {@code css}, read in one step inside the page, so a live
     * part that htmx swaps meanwhile cannot leave a stale element behind.
     */
    public String text(String css) {
        Object text = driver.executeScript("const e = document.querySelector(arguments[0]);"
                + " return e === null ? null : e.innerText.trim();", css);
        if (text == null) {
            throw new org.openqa.selenium.NoSuchElementException("Nothing matches " + css + " on " + path());
        }
        return (String) text;
    }

    public String heading() {
        return text("h1");
    }

    /** The path and query of the page now shown, without this Linger's address. */
    public String path() {
        String url = driver.getCurrentUrl();
        return url.startsWith(base) ? url.substring(base.length()) : url;
    }

    public Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /**
     * Empty when the page fits a phone's width; otherwise how wide it is and the first elements that stick out.
     * A phone's browser widens its layout viewport to fit content wider than the screen, so both count.
     */
    public java.util.Optional<String> tooWideFor(int width) {
        long viewport = ((Number) script("return window.innerWidth")).longValue();
        long content = ((Number) script("return document.documentElement.scrollWidth")).longValue();
        if (viewport <= width && content <= viewport) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(path() + " is " + Math.max(viewport, content) + " px wide because of " + script("""
                const scrolls = e => e && e !== document.body
                  && (['auto', 'scroll'].includes(getComputedStyle(e).overflowX) || scrolls(e.parentElement));
                return [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > arguments[0] && e.children.length == 0
                    && !scrolls(e.parentElement))
                  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                    + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)');
                """, width));
    }

    /** Signs in through the login form and waits for the page it leads to. */
    public void signIn(String user, String password) {
        open("/login");
        find("#username").sendKeys(user);
        find("#password").sendKeys(password);
        find("form[action='/login'] button[type=submit]").click();
        waiting().until(d -> !path().startsWith("/login"));
    }

    /** Signs out through the confirmation page. */
    public void signOut() {
        open("/logout");
        find("form[action='/logout'] button[type=submit]").click();
        waiting().until(d -> path().startsWith("/login"));
    }

    /**
     * Saves the whole page (beyond the window) as {@code target/screenshots/NAME.png}; the caller's names start
     * with a number so the files sort in the story's order.
     */
    @SuppressWarnings("unchecked")
    public Path screenshot(String name) {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", content.get("width"),
                        "height", content.get("height"), "scale", 1)));
        Path file = SCREENSHOTS.resolve(name + ".png");
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the screenshot " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a profile left in /tmp is harmless; the test's result matters more
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }
}
