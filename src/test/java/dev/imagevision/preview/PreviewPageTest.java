package dev.imagevision.preview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cache.Hashing;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class PreviewPageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final PreviewPage.Links LINKS = new PreviewPage.Links("../", "static", "audit-report.html");

    static String manifest(String subject) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("score", 7).put("subject", subject).put("category", "surface").put("rejected_by", (String) null)
                .put("fallback", false);
        entry.putObject("focal_point").put("x", 0.5).put("y", 0.5);
        entry.putObject("variants").put("16x9", "/images/missions/x/01.16x9.jpg");
        entry.putObject("selection").put("group", "missions/x").put("role", "hero").put("rank", 0);
        ObjectNode m = JSON.createObjectNode().put("version", 1);
        m.putObject("entries").set("/images/missions/x/01.jpg", entry);
        return m.toString();
    }

    static String provenance(String text) {
        ObjectNode row = JSON.createObjectNode().put("path", "/images/missions/x/01.jpg").put("credit", text)
                .put("license_short", text);
        ObjectNode p = JSON.createObjectNode();
        p.putArray("entries").add(row);
        return p.toString();
    }

    @Test
    void theInlinedScriptIsTheFrontEndPackageTheSiteImports() throws Exception {
        // copied into the jar at build time from frontend/index.js, never kept as a second copy
        assertThat(PreviewPage.FRONTEND).isEqualTo(Files.readString(Path.of("frontend", "index.js")));
        String html = PreviewPage.render(manifest("A rover."), provenance("NASA"), LINKS);
        assertThat(moduleScript(html)).startsWith(PreviewPage.FRONTEND);
    }

    @Test
    void thePolicyAllowsOnlyThePagesOwnScriptAndNothingFromOutside() {
        String html = PreviewPage.render(manifest("A rover."), provenance("NASA"), LINKS);
        String hash = "sha256-" + Base64.getEncoder().encodeToString(
                Hashing.sha256().digest(moduleScript(html).getBytes(StandardCharsets.UTF_8)));
        assertThat(hash).isEqualTo(PreviewPage.scriptHash());
        assertThat(html).contains("script-src &#39;" + hash + "&#39;").contains("default-src &#39;none&#39;")
                .doesNotContain("connect-src").doesNotContain("unsafe-eval");
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("url(http").doesNotContain("@import")
                .doesNotContain("<link");
        assertThat(html).contains("<a href=\"audit-report.html\">Audit report</a>");
        assertThat(html).contains("<script type=\"application/json\" id=\"iv-options\">{\"base\":\"../\",\"staticDir\":\"static\"}");
    }

    @Test
    void hostileTextStaysInsideItsDataElement() throws Exception {
        for (String hostile : new String[] {"</script><script>alert(1)</script>", "<!--<script>", "</SCRIPT >", "\u2028\u2029",
                "<img src=x onerror=alert(2)>", "\u202Egnp.exe"}) {
            String html = PreviewPage.render(manifest(hostile), provenance(hostile), LINKS);
            assertThat(count(html.toLowerCase(), "<script")).isEqualTo(4);
            assertThat(count(html.toLowerCase(), "</script")).isEqualTo(4);
            assertThat(html).doesNotContain("<img");
            assertThat(dataOf(html, "iv-manifest").at("/entries/~1images~1missions~1x~101.jpg/subject").asText()).isEqualTo(hostile);
            assertThat(dataOf(html, "iv-provenance").at("/entries/0/credit").asText()).isEqualTo(hostile);
        }
    }

    @Property(tries = 200)
    void noSubjectCanAddMarkupOrChangeTheData(@ForAll @StringLength(max = 60) String subject) throws Exception {
        String html = PreviewPage.render(manifest(subject), provenance(subject), LINKS);
        assertThat(count(html.toLowerCase(), "<script")).isEqualTo(4);
        assertThat(count(html, "<a ")).isEqualTo(1);
        assertThat(dataOf(html, "iv-manifest").at("/entries/~1images~1missions~1x~101.jpg/subject").asText()).isEqualTo(subject);
    }

    @Test
    void linksAreEscapedAndTheSamePageComesOutTwice() {
        String html = PreviewPage.render(manifest("x"), provenance("y"), new PreviewPage.Links("../", "static", "a\"b.html"));
        assertThat(html).contains("<a href=\"a&quot;b.html\">");
        assertThat(PreviewPage.render(manifest("x"), provenance("y"), LINKS))
                .isEqualTo(PreviewPage.render(manifest("x"), provenance("y"), LINKS));
        assertThat(PreviewPage.render(manifest("x"), provenance("y"), new PreviewPage.Links("", "static", null)))
                .doesNotContain("Audit report");
    }

    static String moduleScript(String html) {
        Matcher m = Pattern.compile("<script type=\"module\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** The JSON in a data element, as the browser's JSON.parse(textContent) reads it. */
    static JsonNode dataOf(String html, String id) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"" + id + "\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).isTrue();
        return JSON.readTree(m.group(1));
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
