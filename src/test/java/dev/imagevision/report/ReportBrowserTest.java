package dev.imagevision.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.cli.Main;
import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.site.Site;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The report opened from disk in a real browser: no network, flag payload, hostile text inert, filters. */
class ReportBrowserTest {
    @TempDir
    static Path dir;
    static Site site;
    static Path report;
    static Chromium chromium;

    final List<String> dialogs = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    BrowserContext context;

    @BeforeAll
    static void scoreTheFixtureSite() throws IOException {
        site = FixtureSite.create(dir);
        RunSummary s = FixtureSite.score(site, new FixtureSite.Scripted(site));
        assertThat(s.problems()).isEmpty();
        report = site.file(site.config().paths().report());
        assertThat(report).exists();
        chromium = Chromium.launch();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) chromium.close();
    }

    @AfterEach
    void closeContext() {
        if (context != null) context.close();
        // a dialog would mean some text from the model or provenance ran as code
        assertThat(dialogs).as("JavaScript dialogs opened by the page").isEmpty();
    }

    private Page open(Browser.NewContextOptions options) {
        context = chromium.browser.newContext(options.setViewportSize(1400, 1000));
        Page page = context.newPage();
        page.onDialog(d -> {
            dialogs.add(d.type() + ": " + d.message());
            d.dismiss();
        });
        page.onRequest(r -> requests.add(r.url()));
        page.navigate(report.toUri().toString());
        return page;
    }

    private Page open() {
        return open(new Browser.NewContextOptions());
    }

    private static Locator card(Page page, String path) {
        return page.locator(".card").filter(new Locator.FilterOptions()
                .setHas(page.locator("dd.path", new Page.LocatorOptions().setHasText(path))));
    }

    @Test
    void reportOpensFromDiskAndMakesNoNetworkRequest() throws IOException {
        Page page = open();
        assertThat(page.locator(".card")).hasCount(5);
        assertThat(page.locator(".group")).hasCount(3);
        // every thumbnail is inline and decoded; nothing was fetched from anywhere
        assertThat(page.locator(".stage img")).hasCount(5);
        Object broken = page.evaluate("() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).length");
        assertThat(((Number) broken).intValue()).isZero();
        assertThat(requests).allSatisfy(u -> assertThat(u.equals(report.toUri().toString()) || u.startsWith("data:"))
                .as("request to %s", u).isTrue());
        assertThat(Files.readString(report)).doesNotContain("src=\"http").doesNotContain("<link").doesNotContain("@import");
        // the hero comes first in its group and the run totals are shown
        Locator firstInArtemis = page.locator("section[data-group='missions/artemis3'] .card").first();
        assertThat(firstInArtemis).hasClass(java.util.regex.Pattern.compile("state-hero"));
        assertThat(page.locator(".stats")).containsText("images");
        Chromium.screenshot(page, "report.png", false);
        Chromium.screenshot(page, "report-full.png", true);
    }

    @Test
    void hostileTextFromTheModelAndProvenanceRendersAsText() throws IOException {
        Page page = open();
        assertThat(card(page, FixtureSite.ARTEMIS_02).locator(".subject")).hasText(FixtureSite.XSS_IMG);
        assertThat(card(page, FixtureSite.ARTEMIS_03).locator(".subject")).hasText(FixtureSite.XSS_SCRIPT);
        Locator rs25 = card(page, FixtureSite.RS25);
        assertThat(rs25.locator("dd").filter(new Locator.FilterOptions().setHasText("alert(5)"))).hasText(FixtureSite.XSS_CREDIT);
        assertThat(rs25.locator("dd.title")).hasText(FixtureSite.XSS_TITLE);
        // a javascript: licence URL is shown as text, never as a link
        assertThat(rs25.locator("a[href^='javascript']")).hasCount(0);
        Locator odd = card(page, FixtureSite.CREW_ODD);
        assertThat(odd.locator("dd.path")).hasText(FixtureSite.CREW_ODD);
        // no element was made from any of that text
        assertThat(page.locator(".body img, .body script, dd svg, .body svg:not(.flag-btn > svg.icon, .b-flagged > svg.icon)"))
                .hasCount(0);
        assertThat(page.locator(".body svg")).hasCount(page.locator(".flag-btn, .b-flagged").count());
        assertThat(page.locator("script")).hasCount(2);
        // and the flag dialog shows the odd path as a value, not markup
        odd.locator(".flag-btn").click();
        assertThat(page.locator("#flag-path")).hasValue(FixtureSite.CREW_ODD);
        page.keyboard().press("Escape");
        assertThat(page.locator("#flag-dialog")).not().hasAttribute("open", "");
        // the page's policy allows only its own script
        String csp = page.locator("meta[http-equiv='Content-Security-Policy']").getAttribute("content");
        assertThat(csp).contains("script-src '" + AuditPage.scriptHash() + "'").doesNotContain("unsafe-inline' 'unsafe-eval")
                .contains("default-src 'none'");
    }

    /** Stock Debian chromium has no emoji font: the flag is drawn, and no text of the page needs one. */
    @Test
    void theFlagButtonIsDrawnWithoutAnEmojiFont() {
        Page page = open();
        Locator icon = card(page, FixtureSite.RS25).locator(".flag-btn svg.icon");
        assertThat(icon).isVisible();
        var box = icon.boundingBox();
        assertThat(box.width).isGreaterThan(10);
        assertThat(box.height).isGreaterThan(10);
        assertThat(card(page, FixtureSite.RS25).locator(".flag-btn")).hasText("Flag this image");
        String text = (String) page.evaluate("() => document.body.innerText + document.title");
        assertThat(AuditPageTest.emoji(text)).isEmpty();
        card(page, FixtureSite.RS25).locator(".flag-btn").click();
        assertThat(page.locator("#flag-title svg.icon")).isVisible();
    }

    @Test
    void flagCopiesThePayloadToTheClipboard_andImagevisionFlagAcceptsIt() throws IOException {
        Page page = open(new Browser.NewContextOptions().setPermissions(List.of("clipboard-read", "clipboard-write")));
        Locator c = card(page, FixtureSite.CREW_03);
        c.locator(".flag-btn").click();
        assertThat(page.locator("#flag-dialog")).hasAttribute("open", "");
        assertThat(page.locator("#flag-path")).hasValue(FixtureSite.CREW_03);
        assertThat(page.locator("#flag-reason")).isFocused();
        page.locator("#flag-reason").fill("Crew portrait \"press day\" <not> the capsule\nwrong subject");
        Chromium.screenshot(page, "report-flag-modal.png", false);
        page.locator("#flag-submit").click();
        assertThat(page.locator("#flag-msg")).containsText("Copied to the clipboard");
        String payload = (String) page.evaluate("() => navigator.clipboard.readText()");
        JsonNode json = new ObjectMapper().readTree(payload);
        assertThat(json.get("path").asText()).isEqualTo(FixtureSite.CREW_03);
        assertThat(json.get("reason").asText()).isEqualTo("Crew portrait \"press day\" <not> the capsule wrong subject");

        // piped through the real command, as the editor does with pbpaste | imagevision flag
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true),
                new PrintWriter(err, true), "flag", "--root", dir.toString());
        assertThat(code).as(err.toString()).isZero();
        Curation after = CurationFile.read(site.file(site.config().paths().curation()));
        CurationEntry row = after.entry(FixtureSite.CREW_03).orElseThrow();
        assertThat(row.reason()).isEqualTo("Crew portrait \"press day\" <not> the capsule wrong subject");
        assertThat(Instant.parse(row.flaggedAt())).isNotNull();
    }

    @Test
    void withoutAClipboardTheFallbackBoxShowsThePayload() {
        context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000));
        // as on a file:// page where the browser offers no clipboard API
        context.addInitScript("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})");
        Page page = context.newPage();
        page.onDialog(d -> {
            dialogs.add(d.message());
            d.dismiss();
        });
        page.navigate(report.toUri().toString());
        card(page, FixtureSite.RS25).locator(".flag-btn").click();
        page.locator("#flag-reason").fill("engine test stand, not flight hardware");
        page.locator("#flag-submit").click();
        assertThat(page.locator("#flag-payload")).isVisible();
        assertThat(page.locator("#flag-payload")).isFocused();
        assertThat(page.locator("#flag-msg")).containsText("did not allow clipboard access");
        assertThat(page.locator("#flag-payload"))
                .hasValue("{\"path\":\"" + FixtureSite.RS25 + "\",\"reason\":\"engine test stand, not flight hardware\"}");
    }

    @Test
    void anEmptyReasonIsNotAccepted() {
        Page page = open(new Browser.NewContextOptions().setPermissions(List.of("clipboard-read", "clipboard-write")));
        card(page, FixtureSite.RS25).locator(".flag-btn").click();
        page.locator("#flag-reason").fill("   ");
        page.locator("#flag-submit").click();
        assertThat(page.locator("#flag-msg")).containsText("Type a reason first");
        assertThat(page.locator("#flag-payload")).isHidden();
    }

    @Test
    void filtersNarrowTheCardsAndHideEmptyGroups() {
        Page page = open();
        String category = card(page, FixtureSite.RS25).getAttribute("data-category");
        page.locator("#cat").selectOption(category);
        int expected = page.locator(".card[data-category='" + category + "']").count();
        assertThat(page.locator(".card:visible")).hasCount(expected);
        page.locator("#cat").selectOption("");

        page.locator("#q").fill("onerror=alert(1)");
        assertThat(page.locator(".card:visible")).hasCount(1);
        assertThat(page.locator(".group:visible")).hasCount(1);
        assertThat(page.locator("#count")).hasText("1 of 5 images");
        page.locator("#q").fill("no such image anywhere");
        assertThat(page.locator(".card:visible")).hasCount(0);
        assertThat(page.locator("#no-match")).isVisible();
        page.locator("#q").fill("");

        page.locator("#only-fallback").check();
        assertThat(page.locator(".card:visible")).hasCount(page.locator(".card[data-fallback='1']").count());
        page.locator("#only-fallback").uncheck();
        page.locator("#only-rejected").check();
        assertThat(page.locator(".card:visible")).hasCount(page.locator(".card[data-rejected='1']").count());
        page.locator("#only-rejected").uncheck();
        page.locator("#only-flagged").check();
        assertThat(page.locator(".card:visible")).hasCount(page.locator(".card[data-flagged='1']").count());
    }

    @Test
    void theKeyboardDrivesSearchCropOutlinesAndTheFlagDialog() {
        Page page = open();
        assertThat(page.locator(".win").first()).isVisible();
        page.locator("body").press("c");
        assertThat(page.locator(".win").first()).isHidden();
        page.locator("body").press("c");
        assertThat(page.locator(".win").first()).isVisible();

        page.locator("body").press("/");
        assertThat(page.locator("#q")).isFocused();
        page.keyboard().type("rs-25");
        assertThat(page.locator(".card:visible")).hasCount(1);
        page.keyboard().press("Escape");
        assertThat(page.locator(".card:visible")).hasCount(5);

        page.locator("#jump").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("missions/crew-4 (2)"));
        assertThat(page.locator("section[data-group='missions/crew-4'] .flag-btn").first()).isFocused();
        assertThat(page.locator("section[data-group='missions/crew-4'] h2")).isInViewport();

        Locator flag = page.locator(".flag-btn").first();
        flag.focus();
        page.keyboard().press("Enter");
        assertThat(page.locator("#flag-reason")).isFocused();
        page.keyboard().press("Escape");
        assertThat(flag).isFocused();
    }
}
