package dev.imagevision.report;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's chromium driven by Playwright, offline: Playwright never downloads a browser
 * (surefire sets PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD) and the browser is told not to phone home.
 * {@code bin/test} installs chromium when it is missing. Shared with the preview's browser tests.
 */
public final class Chromium implements AutoCloseable {
    public static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    public final Playwright playwright;
    public final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: run bin/test (it installs chromium) or "
                    + "apt-get install -y chromium");
        }
        Playwright pw = Playwright.create();
        Browser b = pw.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
        return new Chromium(pw, b);
    }

    public static void screenshot(Page page, String name, boolean fullPage) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        // groups off screen are skipped by content-visibility; a full-page picture wants them painted
        if (fullPage) page.addStyleTag(new Page.AddStyleTagOptions().setContent(".group{content-visibility:visible}"));
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)).setFullPage(fullPage));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
