package dev.imagevision.report;

import dev.imagevision.cache.Hashing;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.site.ImagePath;
import dev.imagevision.site.ProvenanceEntry;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class AuditPageTest {
    static final String PATH = "/images/missions/x/01.jpg";
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};

    static String page(String hostile, AuditPage.Mode mode) {
        ManifestEntry e = new ManifestEntry(7, hostile, hostile, new FocalPoint(0.25, 0.75), SubjectBox.of(0.1, 0.2, 0.3, 0.4),
                false, hostile, Map.of("1x1", "/images/missions/x/01.1x1.jpg"),
                Map.of("1x1", new CropWindow.Fraction(0.1, 0, 0.5, 1), "16x9", new CropWindow.Fraction(0, 0.2, 1, 0.5625)),
                hostile, false, new ManifestEntry.Selection("missions/x", "none", null), hostile, hostile, hostile, 0.0123);
        Manifest m = new Manifest(1, hostile, hostile, hostile, hostile, new TreeMap<>(Map.of(PATH, e)));
        SourceImage s = new SourceImage(ImagePath.of(PATH), new ProvenanceEntry(hostile, PATH, hostile, hostile, hostile,
                hostile, hostile, hostile, "javascript:" + hostile));
        Curation c = new Curation(null, List.of(new CurationEntry(PATH, hostile, hostile, null, null, null)));
        AuditData d = AuditData.build(new AuditData.Inputs(m, c, List.of(s), Map.of(),
                Map.of(PATH, new AuditData.Thumbnail(JPEG, 192, 128)), Map.of(), Map.of(), Map.of(),
                // a hand-edited ledger can hold any run id: it is shown as text too
                new AuditData.LastRun(hostile, hostile, Map.of(PATH, new AuditData.LedgerCost(1, 0.0195)), 1),
                List.of(hostile)));
        return AuditPage.render(d, mode, p -> "../images" + p);
    }

    @Test
    void hostileTextIsEscapedEverywhere() {
        for (String hostile : List.of("<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>",
                "\"><svg onload=alert(3)>", "'><iframe src=javascript:alert(4)>", "<!--", "\u2028</style>")) {
            for (AuditPage.Mode mode : List.of(AuditPage.Mode.file(), AuditPage.Mode.review("t0k3n-0123456789abcdef"))) {
                String html = page(hostile, mode);
                assertThat(html).doesNotContain(hostile);
                assertThat(count(html, "<script")).isEqualTo(2);
                assertThat(count(html, "</script")).isEqualTo(2);
                assertThat(count(html, "<img")).isEqualTo(1);
                assertThat(count(html, "</style")).isEqualTo(1);
                // the page's own icons are its only SVG: hostile text adds none
                assertThat(count(html, "<svg")).isEqualTo(count(page("plain", mode), "<svg"));
                assertThat(html).doesNotContain("<svg onload", "<iframe").doesNotContain("href=\"javascript");
            }
        }
    }

    @Property(tries = 200)
    void noTextCanAddMarkup(@ForAll @StringLength(max = 60) String text) {
        String html = page(text, AuditPage.Mode.file());
        assertThat(count(html, "<script")).isEqualTo(2);
        assertThat(count(html, "<img")).isEqualTo(1);
        assertThat(count(html, "<li")).isEqualTo(1);
        assertThat(count(html, "<dialog")).isEqualTo(1);
    }

    /**
     * Stock Debian chromium has no emoji font, so a pictograph there is an empty box: the flag button,
     * the flagged badge and the dialog draw their icon as inline SVG, and no text of the page or its
     * script needs an emoji font.
     */
    @Test
    void theFlagButtonAndBadgesNeedNoEmojiFont() {
        for (AuditPage.Mode mode : List.of(AuditPage.Mode.file(), AuditPage.Mode.review("t0k3n-0123456789abcdef"))) {
            String html = page("plain", mode);
            assertThat(emoji(html)).as("emoji in the page (%s)", mode).isEmpty();
            assertThat(html).contains("<button type=\"button\" class=\"flag-btn\"><svg class=\"icon\"")
                    .contains("<span class=\"badge b-flagged\"><svg class=\"icon\"")
                    .contains("<h2 id=\"flag-title\"><svg class=\"icon\"");
        }
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(page("plain", AuditPage.Mode.file()));
        assertThat(script.find()).isTrue();
        assertThat(emoji(script.group(1))).as("emoji in the page's script").isEmpty();
    }

    /** Code points an emoji font draws: pictographs, dingbats, symbols and the emoji presentation selector. */
    static List<String> emoji(String text) {
        return text.codePoints().filter(c -> (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF)
                        || (c >= 0x2B00 && c <= 0x2BFF) || c == 0xFE0F)
                .mapToObj(Character::toString).distinct().toList();
    }

    @Test
    void thePolicyAllowsExactlyTheInlineScriptAndNothingFromOutside() {
        String html = page("plain", AuditPage.Mode.file());
        Matcher m = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).isTrue();
        String hash = "sha256-" + Base64.getEncoder().encodeToString(
                Hashing.sha256().digest(m.group(1).getBytes(StandardCharsets.UTF_8)));
        assertThat(hash).isEqualTo(AuditPage.scriptHash());
        assertThat(html).contains("script-src &#39;" + hash + "&#39;").contains("default-src &#39;none&#39;")
                .doesNotContain("connect-src");
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("url(http").doesNotContain("@import");
        assertThat(html).contains("src=\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(JPEG) + "\"");
        assertThat(page("plain", AuditPage.Mode.review("t0k3n-0123456789abcdef"))).contains("connect-src &#39;self&#39;")
                .contains("\"token\":\"t0k3n-0123456789abcdef\"");
    }

    @Test
    void cropWindowsFocalPointAndBoxArePlacedOverTheThumbnail() {
        String html = page("plain", AuditPage.Mode.file());
        assertThat(html).contains("data-win=\"1x1\" style=\"left:10.00%;top:0.00%;width:50.00%;height:100.00%\"><span>1:1</span>");
        assertThat(html).contains("data-win=\"16x9\" style=\"left:0.00%;top:20.00%;width:100.00%;height:56.25%\"><span>16:9</span>");
        assertThat(html.indexOf("data-win=\"1x1\"")).isLessThan(html.indexOf("data-win=\"16x9\""));
        assertThat(html).contains("class=\"sbox\" style=\"left:10.00%;top:20.00%;width:30.00%;height:40.00%\"");
        assertThat(html).contains("class=\"focal\" style=\"left:25.00%;top:75.00%\"");
        assertThat(html).contains("class=\"stage\" style=\"width:192px;height:128px\"");
        assertThat(html).contains("$0.0123");
    }

    @Test
    void moneyAndPercentagesHaveOneFormat() {
        assertThat(AuditPage.money(0)).isEqualTo("$0");
        assertThat(AuditPage.money(0.005586)).isEqualTo("$0.0056");
        assertThat(AuditPage.money(1234.5)).isEqualTo("$1,234.50");
        assertThat(AuditPage.pct(-1)).isEqualTo("0.00%");
        assertThat(AuditPage.pct(2)).isEqualTo("100.00%");
        assertThat(AuditPage.pct(Double.NaN)).isEqualTo("0.00%");
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
