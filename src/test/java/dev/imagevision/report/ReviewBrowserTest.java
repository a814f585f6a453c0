package dev.imagevision.report;

import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.curation.CurationStore;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.site.Site;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The review server in a real browser: flag, unflag, drag the focal point and box, re-crop without a provider call. */
class ReviewBrowserTest {
    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    static Path dir;
    static Site site;
    static Path curationFile;
    static ReviewServer server;
    static Chromium chromium;

    final List<String> dialogs = new CopyOnWriteArrayList<>();
    BrowserContext context;

    @BeforeAll
    static void scoreAndServe() throws IOException {
        site = FixtureSite.create(dir);
        RunSummary s = FixtureSite.score(site, new FixtureSite.Scripted(site));
        assertThat(s.problems()).isEmpty();
        curationFile = site.file(site.config().paths().curation());
        server = ReviewServer.start(site, CurationStore.of(site, FixtureSite.CLOCK), TOKEN,
                new PrintStream(OutputStream.nullOutputStream()), 0, dev.imagevision.testing.Runs.CODEC);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    @AfterEach
    void closeContext() {
        if (context != null) context.close();
        assertThat(dialogs).as("JavaScript dialogs opened by the page").isEmpty();
    }

    private Page open() {
        context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000));
        Page page = context.newPage();
        page.onDialog(d -> {
            dialogs.add(d.type() + ": " + d.message());
            d.dismiss();
        });
        page.navigate(server.uri().toString());
        return page;
    }

    private static Locator card(Page page, String path) {
        return page.locator(".card").filter(new Locator.FilterOptions()
                .setHas(page.locator("dd.path", new Page.LocatorOptions().setHasText(path))));
    }

    private static ManifestEntry manifestEntry(String path) {
        return ManifestFile.read(site.file(site.config().paths().manifest())).entries().get(path);
    }

    private static CurationEntry row(String path) {
        return CurationFile.read(curationFile).entry(path).orElse(null);
    }

    /** Drags from the centre of {@code handle} to fractions (fx, fy) of the card's thumbnail, waiting for the save. */
    private static void drag(Page page, Locator card, Locator handle, double fx, double fy) {
        BoundingBox stage = card.locator(".stage").boundingBox();
        BoundingBox h = handle.boundingBox();
        page.waitForResponse(r -> r.url().endsWith("/api/override") && r.status() == 200, () -> {
            page.mouse().move(h.x + h.width / 2, h.y + h.height / 2);
            page.mouse().down();
            page.mouse().move(stage.x + fx * stage.width, stage.y + fy * stage.height, new Mouse.MoveOptions().setSteps(8));
            page.mouse().up();
        });
    }

    @Test
    void draggingTheFocalPointSavesAnOverride_andTheNextScoreRecropsWithoutAProviderCall() throws IOException {
        String path = FixtureSite.ARTEMIS_03;
        ManifestEntry before = manifestEntry(path);
        Path variant = site.root().resolveImage(before.variants().get("1x1"));
        byte[] variantBefore = Files.readAllBytes(variant);
        // move the focal point to whichever side is far from where the square crop sits now
        double targetX = before.cropWindows().get("1x1").x() > 0.1 ? 0.04 : 0.96;
        double targetY = 0.3;

        Page page = open();
        Locator c = card(page, path);
        c.scrollIntoViewIfNeeded();
        drag(page, c, c.locator(".focal"), targetX, targetY);

        CurationEntry saved = row(path);
        assertThat(saved).isNotNull();
        assertThat(saved.flagged()).isFalse();
        assertThat(saved.focalPoint().x()).isCloseTo(targetX, within(0.02));
        assertThat(saved.focalPoint().y()).isCloseTo(targetY, within(0.02));
        assertThat(c.locator(".pending")).isVisible();
        assertThat(c.locator(".b-override")).isVisible();
        assertThat(c.locator(".win.preview")).hasCount(3);
        Chromium.screenshot(page, "review.png", false);

        // the next score run cuts the new crops from the override and asks no provider
        FixtureSite.Scripted counting = new FixtureSite.Scripted(site);
        RunSummary rerun = FixtureSite.score(site, counting);
        assertThat(counting.calls.get()).isZero();
        assertThat(rerun.providerCalls()).isZero();
        assertThat(rerun.cropped()).isEqualTo(1);
        ManifestEntry after = manifestEntry(path);
        assertThat(after.focalPoint()).isEqualTo(saved.focalPoint());
        assertThat(after.cropWindows().get("1x1")).isNotEqualTo(before.cropWindows().get("1x1"));
        assertThat(Files.readAllBytes(variant)).isNotEqualTo(variantBefore);

        // and the report shows the crops that were cut, no longer as a pending preview
        page.reload();
        Locator reloaded = card(page, path);
        assertThat(reloaded.locator(".pending")).isHidden();
        assertThat(reloaded.locator(".win.preview")).hasCount(0);
        CropWindow.Fraction square = after.cropWindows().get("1x1");
        assertThat(reloaded.locator(".win[data-win='1x1']")).hasAttribute("style",
                "left:" + AuditPage.pct(square.x()) + ";top:" + AuditPage.pct(square.y()) + ";width:"
                        + AuditPage.pct(square.w()) + ";height:" + AuditPage.pct(square.h()));
        String fileReport = Files.readString(site.file(site.config().paths().report()));
        assertThat(fileReport).contains("left:" + AuditPage.pct(square.x()) + ";top:" + AuditPage.pct(square.y()));
    }

    @Test
    void draggingASubjectBoxCornerSavesTheBox_andResetRemovesTheOverride() {
        String path = FixtureSite.CREW_03;
        Page page = open();
        Locator c = card(page, path);
        c.scrollIntoViewIfNeeded();
        SubjectBox model = manifestEntry(path).subjectBox();
        assertThat(model).as("the local provider gives a subject box").isNotNull();
        drag(page, c, c.locator(".corner.se"), 0.9, 0.85);
        CurationEntry saved = row(path);
        assertThat(saved.subjectBox()).isNotNull();
        assertThat(saved.subjectBox().x() + saved.subjectBox().w()).isCloseTo(0.9, within(0.02));
        assertThat(saved.subjectBox().y() + saved.subjectBox().h()).isCloseTo(0.85, within(0.02));
        assertThat(saved.subjectBox().x()).isCloseTo(model.x(), within(0.0001));
        assertThat(saved.subjectBox().y()).isCloseTo(model.y(), within(0.0001));

        page.waitForResponse(r -> r.url().endsWith("/api/override"), () -> c.locator(".reset-btn").click());
        assertThat(row(path)).isNull();
        assertThat(c.locator(".b-override")).isHidden();
    }

    @Test
    void theFocalPointMovesWithTheArrowKeys() {
        String path = FixtureSite.CREW_ODD;
        FocalPoint model = manifestEntry(path).focalPoint();
        Page page = open();
        Locator focal = card(page, path).locator(".focal");
        focal.focus();
        page.waitForResponse(r -> r.url().endsWith("/api/override"), () -> page.keyboard().press("Shift+ArrowLeft"));
        CurationEntry saved = row(path);
        assertThat(saved.focalPoint().x()).isCloseTo(Math.max(0, model.x() - 0.05), within(0.0002));
        assertThat(saved.focalPoint().y()).isCloseTo(model.y(), within(0.0002));
    }

    @Test
    void flagAndUnflagFromThePageWriteTheCurationFile() throws IOException {
        String path = FixtureSite.RS25;
        Page page = open();
        Locator c = card(page, path);
        c.locator(".flag-btn").click();
        page.locator("#flag-reason").fill("engine on a test stand, not flight hardware");
        page.waitForResponse(r -> r.url().endsWith("/api/flag") && r.status() == 200, () -> page.locator("#flag-submit").click());
        CurationEntry saved = row(path);
        assertThat(saved.reason()).isEqualTo("engine on a test stand, not flight hardware");
        assertThat(saved.flaggedAt()).isEqualTo("2026-08-01T10:00:00.000Z");
        assertThat(c.locator(".b-flagged")).isVisible();
        assertThat(c.locator(".b-flagged svg.icon")).isVisible(); // drawn, not an emoji (no emoji font in stock chromium)
        assertThat(c).hasAttribute("data-flagged", "1");
        assertThat(page.locator("#toast")).containsText("Flagged");
        assertThat(page.locator("#stat-flagged")).hasText("1");
        Chromium.screenshot(page, "review-flagged.png", false);
        String file = Files.readString(curationFile);
        assertThat(file).startsWith("{\n  \"version\": \"1.0\",\n  \"entries\": [");

        page.waitForResponse(r -> r.url().endsWith("/api/unflag") && r.status() == 200, () -> c.locator(".unflag-btn").click());
        assertThat(row(path)).isNull();
        assertThat(c.locator(".b-flagged")).hasCount(0);
        assertThat(page.locator("#stat-flagged")).hasText("0");
    }

    @Test
    void aPageOnAnotherOriginCannotWrite() throws IOException {
        byte[] before = Files.exists(curationFile) ? Files.readAllBytes(curationFile) : null;
        String target = server.uri().resolve("/api/flag").toString();
        String evil = "<!doctype html><html><body>"
                + "<form id=f method=post enctype=text/plain action='" + target + "'>"
                + "<input name='{\"path\":\"" + FixtureSite.ARTEMIS_02 + "\",\"reason\":\"x\",\"pad\":\"' value='\"}'>"
                + "<button id=go>go</button></form>"
                + "<form id=g method=post action='" + target + "'><input name=path value='" + FixtureSite.ARTEMIS_02 + "'>"
                + "<input name=reason value=x><button id=go2>go</button></form>"
                + "</body></html>";
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", ex -> {
            byte[] b = evil.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        other.start();
        try {
            context = chromium.browser.newContext();
            Page page = context.newPage();
            String evilPage = "http://127.0.0.1:" + other.getAddress().getPort() + "/";
            page.navigate(evilPage);
            var plain = page.waitForResponse(r -> r.url().equals(target), () -> page.locator("#go").click());
            assertThat(plain.status()).isEqualTo(403);
            page.navigate(evilPage); // not goBack(): after a cross-site post chromium may swap the renderer
            var form = page.waitForResponse(r -> r.url().equals(target), () -> page.locator("#go2").click());
            assertThat(form.status()).isEqualTo(403);
            page.navigate(evilPage);
            // a script on that page cannot write either (no token, wrong origin; CORS hides the answer)
            Object outcome = page.evaluate("async (u) => { try { const r = await fetch(u, {method: 'POST', mode: 'no-cors', "
                    + "body: JSON.stringify({path: '" + FixtureSite.ARTEMIS_02 + "', reason: 'x'})}); return r.type; } "
                    + "catch (e) { return 'blocked'; } }", target);
            assertThat(outcome).isIn("opaque", "blocked");
        } finally {
            other.stop(0);
        }
        byte[] after = Files.exists(curationFile) ? Files.readAllBytes(curationFile) : null;
        if (before == null) {
            assertThat(after == null || CurationFile.read(curationFile).entry(FixtureSite.ARTEMIS_02).isEmpty()).isTrue();
        } else {
            assertThat(CurationFile.read(curationFile).entry(FixtureSite.ARTEMIS_02).map(CurationEntry::flagged).orElse(false)).isFalse();
        }
    }

    @Test
    void theReviewPageKeepsHostileTextInert() {
        Page page = open();
        assertThat(card(page, FixtureSite.ARTEMIS_02).locator(".subject")).hasText(FixtureSite.XSS_IMG);
        assertThat(card(page, FixtureSite.ARTEMIS_03).locator(".subject")).hasText(FixtureSite.XSS_SCRIPT);
        // the drawn flag icons are the only SVG in the cards
        assertThat(page.locator(".body img, .body script, .body svg:not(.flag-btn > svg.icon, .b-flagged > svg.icon)")).hasCount(0);
        // the original opens from the server, only because the site names it
        Locator link = card(page, FixtureSite.CREW_ODD).locator("dd.path a");
        var response = page.request().get(server.uri().resolve(link.getAttribute("href")).toString());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("content-type", "image/jpeg");
    }
}
