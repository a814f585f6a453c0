package dev.imagevision.report;

import dev.imagevision.cache.Hashing;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.report.AuditData.Card;
import dev.imagevision.report.AuditData.Group;
import dev.imagevision.report.AuditData.Totals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Renders {@link AuditData} as one self-contained HTML page: inline style and script, thumbnails
 * as {@code data:} URIs, no request to anywhere. Every string from the model or from provenance
 * goes through {@link Html#escape} (markup) or {@link ScriptJson} (script data); the content
 * security policy allows only this page's own script, so even a missed escape could not run code.
 */
public final class AuditPage {
    private static final String CSS = resource("audit.css");
    private static final String JS = resource("audit.js");
    private static final String JS_HASH = "sha256-" + Base64.getEncoder().encodeToString(
            Hashing.sha256().digest(JS.getBytes(StandardCharsets.UTF_8)));

    /**
     * The flag, drawn: stock Debian chromium has no emoji font and shows U+1F6A9 as an empty box.
     * Decorative (the text beside it says what it is), so hidden from screen readers.
     */
    static final String FLAG_ICON = "<svg class=\"icon\" viewBox=\"0 0 16 16\" width=\"14\" height=\"14\" aria-hidden=\"true\" "
            + "focusable=\"false\"><path d=\"M3.5 1.5v13\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" "
            + "fill=\"none\"/><path d=\"M4.25 2.25h8.5l-2.25 3 2.25 3h-8.5z\" fill=\"#e5484d\"/></svg>";

    private AuditPage() {}

    /**
     * How the page is used: opened from disk (flag copies a payload) or served by the review
     * server (flag and overrides are saved; every write carries {@code token}). A page opened from
     * disk links to the preview page beside it ({@code previewHref}, relative; null for none).
     */
    public record Mode(boolean review, String token, String previewHref) {
        public static Mode file() {
            return new Mode(false, null, null);
        }

        public static Mode file(String previewHref) {
            return new Mode(false, null, previewHref);
        }

        public static Mode review(String token) {
            return new Mode(true, token, null);
        }
    }

    /**
     * The page. It depends only on the data, never on where the site lives, so the same site
     * gives the same bytes in any folder.
     *
     * @param originalHref link to an image's original file, or null for none
     */
    public static String render(AuditData data, Mode mode, Function<String, String> originalHref) {
        StringBuilder h = new StringBuilder(1 << 16);
        String csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '" + JS_HASH + "'; "
                + "base-uri 'none'; form-action 'none'" + (mode.review() ? "; connect-src 'self'" : "");
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(Html.escape(csp)).append("\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(mode.review() ? "Review" : "Audit report").append(" · imagevision")
                .append("</title>\n<style>").append(CSS).append("</style></head>\n");
        h.append("<body class=\"").append(mode.review() ? "mode-review" : "mode-file").append("\">\n");
        header(h, data, mode);
        h.append("<main id=\"groups\">\n");
        for (int i = 0; i < data.groups().size(); i++) group(h, data.groups().get(i), i, mode, originalHref);
        h.append("<p id=\"no-match\" class=\"empty\" hidden>No image matches these filters.</p>\n");
        h.append("</main>\n");
        flagDialog(h, mode);
        h.append("<div id=\"toast\" role=\"status\" aria-live=\"polite\"></div>\n");
        h.append("<script type=\"application/json\" id=\"audit-data\">").append(ScriptJson.of(scriptData(data, mode)))
                .append("</script>\n");
        h.append("<script>").append(JS).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, AuditData data, Mode mode) {
        Totals t = data.run();
        h.append("<header class=\"top\">\n<div class=\"title\"><h1>").append(mode.review() ? "Review" : "Audit report")
                .append(" <span class=\"site\">imagevision</span></h1>\n<p class=\"meta\">");
        AuditData.Header hd = data.header();
        h.append("Manifest ").append(hd.generatedAt() == null ? "not written yet" : "of " + Html.escape(hd.generatedAt()));
        if (hd.provider() != null) {
            h.append(" · ").append(Html.escape(hd.provider())).append(" / ").append(Html.escape(hd.model()));
        }
        if (hd.promptVersion() != null) h.append(" · prompt ").append(Html.escape(hd.promptVersion()));
        h.append("</p>\n");
        if (mode.review()) {
            h.append("<p class=\"meta hint\">Flags and dragged focal points are saved to the curation file at once. "
                    + "Run <code>imagevision score</code> to re-select and re-crop; nothing is sent to a provider for that.</p>\n");
        } else {
            h.append("<p class=\"meta hint\">").append(FLAG_ICON).append(" <em>Flag this image</em> copies a payload: <code>pbpaste | imagevision flag</code> (macOS) or "
                    + "<code>xclip -o -selection clipboard | imagevision flag</code> (Linux). "
                    + "<code>imagevision review</code> saves flags and crop fixes directly.</p>\n");
        }
        if (mode.previewHref() != null) {
            h.append("<p class=\"meta\" id=\"preview-link\">What visitors see: <a href=\"").append(Html.escape(mode.previewHref()))
                    .append("\">the preview</a> (each group's 16:9 hero, 4:3 cards and 1:1 phone column, drawn with the "
                            + "site's front-end package; written by <code>imagevision preview</code> and <code>demo</code>).</p>\n");
        }
        lastRun(h, data.lastRun());
        for (String note : data.notes()) h.append("<p class=\"meta note\">").append(Html.escape(note)).append("</p>\n");
        h.append("</div>\n<dl class=\"stats\" aria-label=\"Totals\">");
        stat(h, "images", Integer.toString(t.images()));
        stat(h, "groups", Integer.toString(data.groups().size()));
        stat(h, "last run spend", data.lastRun() == null ? "–" : money(data.lastRun().total().usd()));
        stat(h, "scores cost", money(t.scoresCostUsd()));
        stat(h, "rejected", Integer.toString(t.rejected()));
        stat(h, "fallbacks", Integer.toString(t.fallbacks()));
        stat(h, "flagged", Integer.toString(t.flagged()));
        if (t.unscored() > 0) stat(h, "not scored", Integer.toString(t.unscored()));
        h.append("</dl>\n");

        h.append("<form class=\"filters\" role=\"search\" id=\"filters\">\n")
                .append("<label class=\"search\"><span class=\"sr\">Search</span><input type=\"search\" id=\"q\" "
                        + "placeholder=\"Search path, subject, credit…  ( / )\" autocomplete=\"off\"></label>\n")
                .append("<label><span class=\"sr\">Category</span><select id=\"cat\"><option value=\"\">All categories</option>");
        for (String c : data.categories()) {
            h.append("<option value=\"").append(Html.escape(c)).append("\">").append(Html.escape(c)).append("</option>");
        }
        h.append("</select></label>\n");
        h.append("<label><span class=\"sr\">Jump to group</span><select id=\"jump\"><option value=\"\">Jump to group…</option>");
        for (int i = 0; i < data.groups().size(); i++) {
            Group g = data.groups().get(i);
            h.append("<option value=\"g-").append(i).append("\">").append(Html.escape(g.key())).append(" (")
                    .append(g.totals().images()).append(")</option>");
        }
        h.append("</select></label>\n")
                .append("<label class=\"check\"><input type=\"checkbox\" id=\"only-rejected\"> Rejected only</label>\n")
                .append("<label class=\"check\"><input type=\"checkbox\" id=\"only-fallback\"> Fallback only</label>\n")
                .append("<label class=\"check\"><input type=\"checkbox\" id=\"only-flagged\"> Flagged only</label>\n")
                .append("<label class=\"check\"><input type=\"checkbox\" id=\"show-crops\" checked> Crop windows <kbd>c</kbd></label>\n")
                .append("<span class=\"legend\" aria-hidden=\"true\">");
        for (String id : windowIds(data)) {
            h.append("<span class=\"key ").append(windowClass(id)).append("\">").append(Html.escape(ratioLabel(id))).append("</span>");
        }
        h.append("<span class=\"key k-box\">subject</span><span class=\"key k-focal\">focal</span></span>\n")
                .append("<output id=\"count\" aria-live=\"polite\">").append(t.images()).append(" images</output>\n")
                .append("</form>\n</header>\n");
    }

    /** What the last paid run spent (spec S5: "this build spent $0.45 on 9 candidates"), from its ledger rows. */
    private static void lastRun(StringBuilder h, AuditData.LastRunSpend run) {
        h.append("<p class=\"meta run-spend\" id=\"last-run\">");
        if (run == null) {
            h.append("No paid run in the cost ledger: no provider call has been paid for (the local provider is free).</p>\n");
            return;
        }
        AuditData.RunSpend t = run.total();
        h.append("Last paid run <code>").append(Html.escape(run.runId())).append("</code>");
        if (run.startedAt() != null) h.append(" (").append(Html.escape(run.startedAt())).append(")");
        h.append(" spent <strong>").append(money(t.usd())).append("</strong> on ").append(count(t.images(), "image"))
                .append(" in ").append(count(t.calls(), "call")).append(", across ").append(count(run.groups(), "group"));
        if (run.elsewhere() > 0) h.append(" (").append(run.elsewhere()).append(" of the images are no longer on this page)");
        if (run.unconfirmed() > 0) {
            h.append("; ").append(count(run.unconfirmed(), "call")).append(" charged at the ceiling (no reply was recorded)");
        }
        h.append(". “scores cost” is what the scores shown cost when they were made, whichever run paid.</p>\n");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static void stat(StringBuilder h, String label, String value) {
        h.append("<div><dt>").append(label).append("</dt><dd id=\"stat-").append(label.replace(' ', '-')).append("\">")
                .append(Html.escape(value)).append("</dd></div>");
    }

    private static void group(StringBuilder h, Group g, int index, Mode mode, Function<String, String> originalHref) {
        Totals t = g.totals();
        h.append("<section class=\"group\" id=\"g-").append(index).append("\" data-group=\"").append(Html.escape(g.key())).append("\">\n<header><h2>")
                .append(Html.escape(g.key())).append("</h2>");
        if (g.missionStatus() != null) {
            h.append("<span class=\"mission mission-").append(g.missionStatus().toLowerCase(Locale.ROOT)).append("\">")
                    .append(Html.escape(g.missionStatus())).append("</span>");
        }
        h.append("<p class=\"gstats\">").append(t.images()).append(t.images() == 1 ? " image" : " images");
        if (g.lastRun() != null) {
            h.append(" · <span class=\"run\">last run ").append(money(g.lastRun().usd())).append(" on ")
                    .append(count(g.lastRun().images(), "image")).append("</span>");
        }
        h.append(" · scores cost ").append(money(t.scoresCostUsd())).append(" · ").append(t.rejected()).append(" rejected · ")
                .append(t.fallbacks()).append(t.fallbacks() == 1 ? " fallback" : " fallbacks");
        if (t.flagged() > 0) h.append(" · ").append(t.flagged()).append(" flagged");
        h.append("</p></header>\n<ol class=\"cards\">\n");
        for (Card c : g.cards()) card(h, c, mode, originalHref);
        h.append("</ol></section>\n");
    }

    private static void card(StringBuilder h, Card c, Mode mode, Function<String, String> originalHref) {
        h.append("<li class=\"card state-").append(c.state().id()).append(c.fallback() ? " is-fallback" : "")
                .append(c.flagged() ? " is-flagged" : "").append("\" id=\"card-").append(c.index())
                .append("\" data-i=\"").append(c.index())
                .append("\" data-category=\"").append(Html.escape(c.category() == null ? "" : c.category()))
                .append("\" data-rejected=\"").append(c.state() == AuditData.State.REJECTED ? 1 : 0)
                .append("\" data-fallback=\"").append(c.fallback() ? 1 : 0)
                .append("\" data-flagged=\"").append(c.flagged() ? 1 : 0).append("\">\n");
        stage(h, c, mode);
        h.append("<div class=\"body\"><div class=\"line1\">");
        h.append("<span class=\"badge b-").append(c.state().id()).append("\">").append(badge(c)).append("</span>");
        if (c.fallback()) h.append("<span class=\"badge b-fallback\">fallback</span>");
        if (c.flagged()) h.append("<span class=\"badge b-flagged\">").append(FLAG_ICON).append(" flagged</span>");
        h.append("<span class=\"badge b-override\"").append(c.override() ? "" : " hidden").append(">override</span>");
        h.append("<span class=\"score").append(c.score() == null ? "" : " s" + Math.max(0, Math.min(10, c.score())))
                .append("\" title=\"score\">").append(c.score() == null ? "–" : c.score()).append("<small>/10</small></span>");
        h.append("<span class=\"cat\">").append(Html.escape(c.category() == null ? "–" : c.category())).append("</span></div>\n");
        h.append("<p class=\"status\">").append(Html.escape(c.statusText())).append("</p>\n");
        if (c.rejectReason() != null && !c.rejectReason().isBlank()) {
            h.append("<p class=\"reject-reason\">Model: ").append(Html.escape(c.rejectReason())).append("</p>\n");
        }
        h.append("<p class=\"subject\">").append(Html.escape(c.subject() == null ? "" : c.subject())).append("</p>\n");
        h.append("<p class=\"pending\"").append(c.overridePending() ? "" : " hidden")
                .append(">Crop override saved; run <code>imagevision score</code> to cut it.</p>\n");
        h.append("<dl class=\"facts\">");
        h.append("<dt>Cost</dt><dd>").append(c.costUsd() == null ? "–" : money(c.costUsd()) + " this score");
        if (c.lastRun() != null) {
            h.append(" <span class=\"run\">(last run: ").append(count(c.lastRun().calls(), "call")).append(", ")
                    .append(money(c.lastRun().usd())).append(")</span>");
        }
        if (c.ledger() != null) {
            h.append(" <span class=\"ledger\">(ledger, all runs: ").append(count(c.ledger().calls(), "call")).append(", ")
                    .append(money(c.ledger().usd())).append(")</span>");
        }
        h.append("</dd>");
        h.append("<dt>Model</dt><dd>").append(Html.escape(c.provider() == null ? "–" : c.provider()))
                .append(c.model() == null ? "" : " / " + Html.escape(c.model())).append("</dd>");
        if (c.provenance() != null) {
            var p = c.provenance();
            h.append("<dt>Licence</dt><dd>");
            String licence = p.licenseShort() == null || p.licenseShort().isBlank() ? "unknown" : p.licenseShort();
            if (c.licenceUrl() != null) {
                h.append("<a href=\"").append(Html.escape(c.licenceUrl())).append("\" rel=\"noopener noreferrer\" target=\"_blank\">")
                        .append(Html.escape(licence)).append("</a>");
            } else {
                h.append(Html.escape(licence));
            }
            h.append("</dd><dt>Credit</dt><dd>").append(Html.escape(p.creditLine().isBlank() ? "–" : p.creditLine())).append("</dd>");
            if (p.title() != null && !p.title().isBlank()) {
                h.append("<dt>Title</dt><dd class=\"title\">").append(Html.escape(p.title())).append("</dd>");
            }
        } else {
            h.append("<dt>Licence</dt><dd>no provenance row</dd>");
        }
        h.append("<dt>Path</dt><dd class=\"path\">");
        String href = originalHref.apply(c.path());
        if (href != null) {
            h.append("<a href=\"").append(Html.escape(href)).append("\" target=\"_blank\" rel=\"noopener noreferrer\">")
                    .append(Html.escape(c.path())).append("</a>");
        } else {
            h.append(Html.escape(c.path()));
        }
        h.append("</dd></dl>\n<div class=\"actions\"><button type=\"button\" class=\"flag-btn\">").append(FLAG_ICON)
                .append(" Flag this image</button>");
        if (mode.review()) {
            h.append("<button type=\"button\" class=\"unflag-btn\"").append(c.flagged() ? "" : " hidden").append(">Unflag</button>");
            h.append("<button type=\"button\" class=\"reset-btn\"").append(c.override() ? "" : " hidden").append(">Reset crop</button>");
        }
        h.append("</div></div></li>\n");
    }

    private static void stage(StringBuilder h, Card c, Mode mode) {
        AuditData.Thumbnail t = c.thumbnail();
        h.append("<div class=\"frame\">");
        if (t == null) {
            h.append("<div class=\"stage missing\"><span>No preview").append(c.thumbnailError() == null ? ""
                    : ": " + Html.escape(c.thumbnailError())).append("</span></div></div>\n");
            return;
        }
        // shown in a 192 px box whatever the stored size (a small source is never upscaled on disk)
        double s = (double) Thumbnails.EDGE / Math.max(t.width(), t.height());
        long dw = Math.max(1, Math.round(t.width() * s));
        long dh = Math.max(1, Math.round(t.height() * s));
        h.append("<div class=\"stage\" style=\"width:").append(dw).append("px;height:").append(dh).append("px\">");
        h.append("<img src=\"data:image/jpeg;base64,").append(Base64.getEncoder().encodeToString(t.jpeg()))
                .append("\" width=\"").append(dw).append("\" height=\"").append(dh)
                .append("\" alt=\"").append(Html.escape(c.subject() == null ? c.path() : c.subject()))
                .append("\" decoding=\"async\" draggable=\"false\">");
        for (Map.Entry<String, CropWindow.Fraction> w : sortedWindows(c.windows())) {
            CropWindow.Fraction f = w.getValue();
            h.append("<div class=\"win ").append(windowClass(w.getKey())).append(c.windowsPreview() ? " preview" : "")
                    .append("\" data-win=\"").append(Html.escape(w.getKey())).append("\" style=\"")
                    .append(box(f.x(), f.y(), f.w(), f.h())).append("\"><span>").append(Html.escape(ratioLabel(w.getKey())))
                    .append("</span></div>");
        }
        if (c.box() != null) {
            h.append("<div class=\"sbox\" style=\"").append(box(c.box().x(), c.box().y(), c.box().w(), c.box().h()))
                    .append("\"></div>");
        }
        if (c.focal() != null) {
            h.append("<div class=\"focal\" style=\"left:").append(pct(c.focal().x())).append(";top:").append(pct(c.focal().y()))
                    .append("\" title=\"focal point\"");
            if (mode.review()) {
                h.append(" tabindex=\"0\" role=\"slider\" aria-label=\"Focal point of ").append(Html.escape(c.path()))
                        .append(": drag, or use the arrow keys\"");
            }
            h.append("></div>");
        }
        h.append("</div></div>\n");
    }

    private static void flagDialog(StringBuilder h, Mode mode) {
        h.append("<dialog id=\"flag-dialog\" aria-labelledby=\"flag-title\"><form id=\"flag-form\" method=\"dialog\">\n")
                .append("<h2 id=\"flag-title\">").append(FLAG_ICON).append(" Flag this image</h2>\n")
                .append("<label>Image<input id=\"flag-path\" readonly></label>\n")
                .append("<label>Reason (one line: what is wrong with it)<textarea id=\"flag-reason\" maxlength=\"")
                .append(dev.imagevision.curation.CurationStore.MAX_REASON)
                .append("\" placeholder=\"e.g. wrong rover; looks like a render; subject hidden by a caption\"></textarea></label>\n")
                .append("<p id=\"flag-msg\" class=\"msg\" role=\"status\" aria-live=\"polite\"></p>\n")
                .append("<label id=\"flag-payload-label\" hidden>Payload for <code>imagevision flag</code> (copy it)")
                .append("<textarea id=\"flag-payload\" readonly rows=\"3\"></textarea></label>\n")
                .append("<menu><button type=\"button\" id=\"flag-cancel\">Close</button>")
                .append("<button type=\"submit\" id=\"flag-submit\" class=\"primary\">")
                .append(mode.review() ? "Flag" : "Submit").append("</button></menu>\n</form></dialog>\n");
    }

    private static String badge(Card c) {
        return switch (c.state()) {
            case HERO -> "hero";
            case GALLERY -> "gallery " + (c.rank() == null ? "" : c.rank());
            case REJECTED -> "rejected";
            case NOT_SELECTED -> "not selected";
            case UNSCORED -> "not scored";
        };
    }

    /** What the page's script needs per image (by card index), plus the mode. */
    private static Map<String, Object> scriptData(AuditData data, Mode mode) {
        List<Map<String, Object>> images = new ArrayList<>();
        for (Group g : data.groups()) {
            for (Card c : g.cards()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", c.path());
                m.put("focal", c.focal());
                m.put("box", c.box());
                m.put("flagged", c.flagged());
                m.put("override", c.override());
                images.add(m);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode.review() ? "review" : "file");
        out.put("token", mode.token());
        out.put("images", images);
        return out;
    }

    private static List<String> windowIds(AuditData data) {
        TreeSet<String> ids = new TreeSet<>(RATIO);
        for (Group g : data.groups()) for (Card c : g.cards()) ids.addAll(c.windows().keySet());
        return new ArrayList<>(ids);
    }

    private static List<Map.Entry<String, CropWindow.Fraction>> sortedWindows(Map<String, CropWindow.Fraction> windows) {
        List<Map.Entry<String, CropWindow.Fraction>> out = new ArrayList<>(windows.entrySet());
        out.sort(Map.Entry.comparingByKey(RATIO));
        return out;
    }

    /** Narrow ratios first (1x1, 4x3, 16x9), then by id. */
    static final Comparator<String> RATIO = Comparator.comparingDouble(AuditPage::ratio).thenComparing(s -> s);

    private static double ratio(String id) {
        String[] p = id.split("x");
        try {
            return p.length == 2 ? Double.parseDouble(p[0]) / Double.parseDouble(p[1]) : 99;
        } catch (NumberFormatException e) {
            return 99;
        }
    }

    /** A stable colour class per ratio id, so the legend and the outlines agree. */
    static String windowClass(String id) {
        return switch (id) {
            case "1x1" -> "w-a";
            case "4x3" -> "w-b";
            case "16x9" -> "w-c";
            default -> "w-d";
        };
    }

    static String ratioLabel(String id) {
        return id.replace('x', ':');
    }

    private static String box(double x, double y, double w, double hgt) {
        return "left:" + pct(x) + ";top:" + pct(y) + ";width:" + pct(w) + ";height:" + pct(hgt);
    }

    static String pct(double v) {
        double c = Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
        return String.format(Locale.ROOT, "%.2f%%", c * 100);
    }

    static String money(double usd) {
        if (usd == 0) return "$0";
        if (Math.abs(usd) < 1) return String.format(Locale.ROOT, "$%.4f", usd);
        return String.format(Locale.ROOT, "$%,.2f", usd);
    }

    private static String resource(String name) {
        try (InputStream in = AuditPage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("report resource " + name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read report resource " + name, e);
        }
    }

    /** The script's CSP hash (tests check the page's policy names it). */
    static String scriptHash() {
        return JS_HASH;
    }
}
