package dev.imagevision.preview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.report.Chromium;
import dev.imagevision.report.FixtureSite;
import dev.imagevision.site.Site;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preview opened from disk in Debian's chromium, on a small site scored by the real pipeline: every
 * picture loads, heroes are their 16:9 variants with the subject as alt, cards 4:3, phone rows 1:1, model
 * text is text, and nothing but the site's own files is requested.
 */
class PreviewBrowserTest {
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @TempDir
    static Path dir;
    static Site site;
    static Path preview;
    static JsonNode manifest;
    static Chromium chromium;

    final List<String> dialogs = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    BrowserContext context;

    @BeforeAll
    static void scoreTheFixtureSiteAndWriteThePreview() throws IOException {
        site = FixtureSite.create(dir);
        RunSummary s = FixtureSite.score(site, new FixtureSite.Scripted(site));
        assertThat(s.problems()).isEmpty();
        // as a model might answer: markup in the subjects of shown images; and the image whose file name is
        // markup put in the gallery, so its encoded URLs are loaded too
        Path manifestFile = site.file(site.config().paths().manifest());
        ObjectNode tree = (ObjectNode) JSON.readTree(manifestFile.toFile());
        ObjectNode entries = (ObjectNode) tree.get("entries");
        ObjectNode odd = (ObjectNode) entries.get(FixtureSite.CREW_ODD);
        odd.put("rejected_by", (String) null).put("fallback", false).put("subject", FixtureSite.XSS_SCRIPT);
        odd.putObject("selection").put("group", "missions/crew-4").put("role", "gallery").put("rank", 1);
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("selection").path("role").asText().equals("hero")) {
                ((ObjectNode) e.getValue()).put("subject", FixtureSite.XSS_IMG + " " + e.getKey());
            }
        }
        JSON.writeValue(manifestFile.toFile(), tree);
        manifest = tree;
        preview = site.file(site.config().paths().preview());
        Preview.write(Site.load(site.root().root()), preview);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) chromium.close();
    }

    @AfterEach
    void closeContext() {
        if (context != null) context.close();
        assertThat(dialogs).as("JavaScript dialogs opened by the page (text run as code)").isEmpty();
        assertThat(errors).as("script errors and policy violations").isEmpty();
    }

    private Page open(Path file, int width) {
        context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(width, 1000));
        Page page = context.newPage();
        page.onDialog(d -> {
            dialogs.add(d.type() + ": " + d.message());
            d.dismiss();
        });
        page.onRequest(r -> requests.add(r.url()));
        page.onPageError(e -> errors.add("page error: " + e));
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) errors.add("console: " + m.text());
        });
        page.navigate(file.toUri().toString());
        page.waitForSelector("body[data-ready='1']");
        return page;
    }

    /** Loads every picture now (they are lazy) and waits until each has finished, loaded or not. */
    private static void loadAll(Page page) {
        page.evaluate("() => document.querySelectorAll('img').forEach((i) => { i.loading = 'eager'; })");
        page.waitForFunction("() => Array.from(document.images).every((i) => i.complete)");
    }

    private List<Map.Entry<String, JsonNode>> withRole(String role) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        manifest.get("entries").fields().forEachRemaining(e -> {
            if (e.getValue().path("selection").path("role").asText().equals(role)) out.add(e);
        });
        return out;
    }

    @Test
    void everyPictureLoadsAndEachHeroIsItsSixteenByNineVariantWithItsSubjectAsAlt() throws IOException {
        Page page = open(preview, 1400);
        loadAll(page);
        int broken = ((Number) page.evaluate("() => Array.from(document.images).filter((i) => i.naturalWidth === 0).length")).intValue();
        assertThat(broken).as("pictures that did not load").isZero();

        List<Map.Entry<String, JsonNode>> heroes = withRole("hero");
        List<Map.Entry<String, JsonNode>> gallery = withRole("gallery");
        assertThat(heroes).isNotEmpty();
        assertThat(gallery).isNotEmpty();
        assertThat(page.locator(".hero img")).hasCount(heroes.size());
        assertThat(page.locator(".card img")).hasCount(gallery.size());
        assertThat(page.locator(".phone img")).hasCount(heroes.size() + gallery.size());
        for (Map.Entry<String, JsonNode> hero : heroes) {
            Locator img = page.locator(".hero img[data-path='" + hero.getKey() + "']");
            assertThat(img).hasAttribute("data-variant", "16x9");
            assertThat(img).hasAttribute("alt", hero.getValue().get("subject").asText());
            String variant = hero.getValue().path("variants").path("16x9").asText();
            assertThat(resolved(page, img)).isEqualTo(site.root().resolveImage(variant));
            // the picture is shown at 16:9, as the desktop page's hero frame is
            var box = img.boundingBox();
            assertThat(box.width / box.height).isCloseTo(16.0 / 9, org.assertj.core.data.Offset.offset(0.02));
        }
        for (Map.Entry<String, JsonNode> card : gallery) {
            Locator img = page.locator(".card img[data-path='" + card.getKey().replace("'", "\\'") + "']");
            assertThat(img).hasAttribute("data-variant", "4x3");
            assertThat(resolved(page, img)).isEqualTo(site.root()
                    .resolveImage(card.getValue().path("variants").path("4x3").asText()));
        }
        assertThat(page.locator(".phone img[data-variant='1x1']")).hasCount(heroes.size() + gallery.size());
        assertThat(page.locator(".b-source")).hasCount(0);
        assertThat(page.locator("#summary")).containsText("Manifest of " + manifest.get("generated_at").asText());
        assertThat(page.locator("#summary")).containsText("3 groups · " + (heroes.size() + gallery.size()) + " images shown");

        // opened from disk, it asked for nothing but itself and the site's images
        URI staticDir = site.root().staticDir().toUri();
        assertThat(requests).allSatisfy(u -> assertThat(u.equals(preview.toUri().toString()) || u.startsWith(staticDir + "images/"))
                .as("request to %s", u).isTrue());
        Chromium.screenshot(page, "preview.png", false);
        Chromium.screenshot(page, "preview-full.png", true);
    }

    @Test
    void modelTextWithMarkupIsShownAsTextNeverRun() {
        Page page = open(preview, 1400);
        loadAll(page);
        Locator odd = page.locator(".card").filter(new Locator.FilterOptions()
                .setHas(page.locator("img[data-path='" + FixtureSite.CREW_ODD.replace("'", "\\'") + "']")));
        assertThat(odd.locator(".subject")).hasText(FixtureSite.XSS_SCRIPT);
        assertThat(odd.locator("img")).hasAttribute("alt", FixtureSite.XSS_SCRIPT);
        Locator rs25 = page.locator(".hero").filter(new Locator.FilterOptions()
                .setHas(page.locator("img[data-path='" + FixtureSite.RS25 + "']")));
        assertThat(rs25.locator(".subject")).hasText(FixtureSite.XSS_IMG + " " + FixtureSite.RS25);
        assertThat(rs25.locator(".rights")).containsText(FixtureSite.XSS_CREDIT);
        // no element was made from any of that text: the pictures are the page's own, and no script was added
        int pictures = page.locator(".frame img").count();
        assertThat(page.locator("img")).hasCount(pictures);
        assertThat(page.locator("script")).hasCount(4);
        assertThat(page.locator("svg, iframe")).hasCount(0);
        // the odd file name reached the browser percent-encoded and still names the file
        Locator oddImg = odd.locator("img");
        assertThat(resolved(page, oddImg)).isEqualTo(site.root().resolveImage(
                manifest.get("entries").get(FixtureSite.CREW_ODD).path("variants").path("4x3").asText()));
        assertThat(((Number) oddImg.evaluate("i => i.naturalWidth")).intValue()).isPositive();
    }

    @Test
    void aPhoneWideWindowStillShowsTheOneByOneColumn() throws IOException {
        Page page = open(preview, 390);
        loadAll(page);
        Locator thumb = page.locator(".phone img").first();
        var box = thumb.boundingBox();
        assertThat(box.width).isCloseTo(box.height, org.assertj.core.data.Offset.offset(0.5));
        assertThat(page.locator(".phone").first().boundingBox().width).isLessThanOrEqualTo(390);
        Chromium.screenshot(page, "preview-phone.png", false);
    }

    @Test
    void theAuditReportLinksToThePreviewAndBack() {
        Path report = site.file(site.config().paths().report());
        context = chromium.browser.newContext();
        Page page = context.newPage();
        page.navigate(report.toUri().toString());
        page.locator("#preview-link a").click();
        page.waitForSelector("body[data-ready='1']");
        assertThat(page).hasTitle("Preview · imagevision");
        assertThat(page.url()).isEqualTo(preview.toUri().toString());
        page.locator("a", new Page.LocatorOptions().setHasText("Audit report")).click();
        assertThat(page).hasTitle("Audit report · imagevision");
    }

    @Test
    void theManifestsOlderFormatShowsTheSourceWhereAVariantIsMissingAndSaysSo(@TempDir Path other) throws IOException {
        // the site's older tool: only 1x1 variants, no selection; here one hero whose 16:9 was never cut
        Path root = other.resolve("site");
        dev.imagevision.testing.SampleSite.copyTree(site.root().root(), root);
        Path manifestFile = root.resolve("static/data/image-vision.json");
        ObjectNode tree = (ObjectNode) JSON.readTree(manifestFile.toFile());
        ObjectNode rs25 = (ObjectNode) tree.get("entries").get(FixtureSite.RS25);
        ((ObjectNode) rs25.get("variants")).put("16x9", "").remove("4x3");
        JSON.writeValue(manifestFile.toFile(), tree);
        Site copy = Site.load(root);
        Path page = copy.file(copy.config().paths().preview());
        Preview.write(copy, page);
        Page p = open(page, 1400);
        loadAll(p);
        Locator hero = p.locator(".hero img[data-path='" + FixtureSite.RS25 + "']");
        assertThat(hero).hasAttribute("data-variant", "source");
        assertThat(resolved(p, hero)).isEqualTo(copy.root().resolveImage(FixtureSite.RS25));
        assertThat(((Number) hero.evaluate("i => i.naturalWidth")).intValue()).isPositive();
        assertThat(p.locator(".hero").filter(new Locator.FilterOptions()
                        .setHas(p.locator("img[data-path='" + FixtureSite.RS25 + "']"))).locator(".b-source"))
                .hasText("source image: no 16:9 variant");
        assertThat(Files.readString(page)).doesNotContain("\"16x9\":\"/images/fleet-galleries/rs-25/01.16x9.jpg\"");
    }

    /** The file the browser loads for an image: its resolved src, percent-decoded. */
    private static Path resolved(Page page, Locator img) {
        return Path.of(URI.create((String) img.evaluate("i => i.src")));
    }
}
