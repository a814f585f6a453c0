package dev.imagevision.preview;

import dev.imagevision.cache.Hashing;
import dev.imagevision.report.Html;
import dev.imagevision.report.ScriptJson;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The preview as one self-contained HTML page: the site's front-end package ({@code frontend/index.js},
 * copied into the jar at build time) and the page's own script run as one inline module, over the
 * manifest and provenance embedded as JSON data. The browser draws every picture with the package's
 * getImage and pickVariant, so the page shows what the site's components will. Nothing is fetched
 * except the site's own images, referenced relatively; the content security policy allows only this
 * page's script.
 */
public final class PreviewPage {
    /** The front-end package exactly as the site imports it. */
    static final String FRONTEND = resource("frontend/index.js");
    static final String SCRIPT = FRONTEND + "\n" + resource("preview.js");
    private static final String CSS = resource("preview.css");
    private static final String SCRIPT_HASH = "sha256-" + Base64.getEncoder().encodeToString(
            Hashing.sha256().digest(SCRIPT.getBytes(StandardCharsets.UTF_8)));

    static {
        // the script is inlined as it is: nothing in it may end its element or change how HTML parses it
        String lower = SCRIPT.toLowerCase(Locale.ROOT);
        if (lower.contains("<script") || lower.contains("</script") || lower.contains("<!--")) {
            throw new IllegalStateException("the preview script contains <script, </script or <!--; it cannot be inlined");
        }
    }

    /** What the page is made with besides the site's files: a new build's script or style is a new page. */
    static final String MAKINGS = "preview/1 " + SCRIPT_HASH + " " + Base64.getEncoder().encodeToString(
            Hashing.sha256().digest(CSS.getBytes(StandardCharsets.UTF_8)));

    private PreviewPage() {}

    /**
     * Where the page finds things.
     *
     * @param imageBase  URL prefix from the page to the static folder ("../" for static/data/preview.html)
     * @param staticDir  the configured static folder, so paths written "static/images/…" resolve too
     * @param reportHref link from the page to the audit report, or null for none
     */
    public record Links(String imageBase, String staticDir, String reportHref) {}

    /**
     * The page for a manifest and provenance given as JSON text (compact, as parsed from the files).
     * A pure function of its arguments: the same files give the same bytes.
     */
    public static String render(String manifestJson, String provenanceJson, Links links) {
        String csp = "default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'; script-src '" + SCRIPT_HASH + "'; "
                + "base-uri 'none'; form-action 'none'";
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("base", links.imageBase());
        options.put("staticDir", links.staticDir());
        StringBuilder h = new StringBuilder(manifestJson.length() + provenanceJson.length() + SCRIPT.length() + 8192);
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(Html.escape(csp)).append("\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Preview · imagevision</title>\n<style>").append(CSS).append("</style></head>\n<body>\n");
        h.append("<header class=\"top\"><h1>Preview <span>imagevision</span></h1>\n")
                .append("<p>What a visitor sees, per group: the hero at 16:9 as a desktop page shows it, the gallery as 4:3 "
                        + "cards, and a phone's column of 1:1 thumbnails. Drawn by the site's own front-end package "
                        + "(<code>frontend/</code>: getImage, pickVariant) from the manifest and provenance; alt text is "
                        + "the subject.</p>\n")
                .append("<p id=\"summary\"></p>\n");
        if (links.reportHref() != null) {
            h.append("<p><a href=\"").append(Html.escape(links.reportHref())).append("\">Audit report</a></p>\n");
        }
        h.append("<label><span hidden>Jump to group</span><select id=\"jump\"><option value=\"\">Jump to group…</option>"
                + "</select></label>\n</header>\n");
        h.append("<ul id=\"problems\" hidden></ul>\n");
        h.append("<main id=\"groups\"><noscript><p class=\"empty\">The preview is drawn by the site's front-end code: "
                + "allow JavaScript for this file.</p></noscript></main>\n");
        h.append("<script type=\"application/json\" id=\"iv-manifest\">").append(ScriptJson.escape(manifestJson)).append("</script>\n");
        h.append("<script type=\"application/json\" id=\"iv-provenance\">").append(ScriptJson.escape(provenanceJson)).append("</script>\n");
        h.append("<script type=\"application/json\" id=\"iv-options\">").append(ScriptJson.of(options)).append("</script>\n");
        h.append("<script type=\"module\">").append(SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    /** The script's CSP hash (tests check the page's policy names it). */
    static String scriptHash() {
        return SCRIPT_HASH;
    }

    private static String resource(String name) {
        try (InputStream in = PreviewPage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("preview resource " + name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read preview resource " + name, e);
        }
    }
}
