package dev.imagevision.curation;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.imagevision.site.Json;
import dev.imagevision.vision.FocalPoint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CurationTest {

    static CurationEntry flag(String path, String reason, String at) {
        return new CurationEntry(path, reason, at, null, null, null);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = CurationTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theSitesRealFileRoundTripsByteForByte() throws IOException {
        byte[] original = resource("/curation/image-curation.example.json");
        Curation c = Json.LENIENT.readValue(original, Curation.class);
        assertThat(c.flagged("/images/missions/juice/02.jpg")).isTrue();
        String written = new String(CurationFile.bytes(c), StandardCharsets.UTF_8);
        // the site's file has no final newline; ours always ends with one
        assertThat(written).isEqualTo(new String(original, StandardCharsets.UTF_8).stripTrailing() + "\n");
    }

    @Test
    void keysKeepTheSitesOrderAndUnknownFieldsSurvive() throws IOException {
        String text = """
                {"note": "kept", "entries": [{"flaggedAt": "2026-01-01T00:00:00.000Z", "zz_by": "marko",
                 "reason": "wrong rover", "path": "static/images/missions/x/01.jpg",
                 "focal_point": {"y": 0.25, "x": 0.0001}}], "version": "1.0"}""";
        Curation c = Json.LENIENT.readValue(text, Curation.class);
        assertThat(c.entries().get(0).path()).isEqualTo("/images/missions/x/01.jpg"); // normalised on read
        String out = new String(CurationFile.bytes(c.flag("/images/missions/y/01.jpg", "blurry", "2026-01-02T00:00:00.000Z")),
                StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("""
                {
                  "version": "1.0",
                  "entries": [
                    {
                      "path": "/images/missions/x/01.jpg",
                      "reason": "wrong rover",
                      "flaggedAt": "2026-01-01T00:00:00.000Z",
                      "focal_point": {
                        "x": 0.0001,
                        "y": 0.25
                      },
                      "zz_by": "marko"
                    },
                    {
                      "path": "/images/missions/y/01.jpg",
                      "reason": "blurry",
                      "flaggedAt": "2026-01-02T00:00:00.000Z"
                    }
                  ],
                  "note": "kept"
                }
                """);
    }

    @Test
    void flaggingAgainReplacesTheReasonKeepsOverridesAndMovesToTheEnd() {
        Curation c = new Curation(TextNode.valueOf("1.0"), List.of(
                new CurationEntry("/a.jpg", "old", "2026-01-01T00:00:00.000Z", FocalPoint.of(0.1, 0.2), null, "surface"),
                flag("/b.jpg", "b", "2026-01-02T00:00:00.000Z")));
        Curation next = c.flag("/a.jpg", "new", "2026-01-03T00:00:00.000Z");
        assertThat(next.entries()).extracting(CurationEntry::path).containsExactly("/b.jpg", "/a.jpg");
        CurationEntry a = next.entry("/a.jpg").orElseThrow();
        assertThat(a.reason()).isEqualTo("new");
        assertThat(a.focalPoint()).isEqualTo(FocalPoint.of(0.1, 0.2));
        assertThat(a.category()).isEqualTo("surface");
    }

    @Test
    void unflagRemovesABareRowButKeepsOverrides() {
        Curation c = new Curation(TextNode.valueOf("1.0"), List.of(
                flag("/a.jpg", "r", "2026-01-01T00:00:00.000Z"),
                new CurationEntry("/b.jpg", "r", "2026-01-01T00:00:00.000Z", FocalPoint.of(0.3, 0.3), null, null)));
        Curation next = c.unflag("/a.jpg").unflag("/b.jpg");
        assertThat(next.entries()).hasSize(1);
        CurationEntry b = next.entries().get(0);
        assertThat(b.path()).isEqualTo("/b.jpg");
        assertThat(b.flagged()).isFalse();
        assertThat(b.flaggedAt()).isNull();
        assertThat(b.focalPoint()).isEqualTo(FocalPoint.of(0.3, 0.3));
        assertThat(next.flagged("/b.jpg")).isFalse();
    }

    @Test
    void repeatedRowsForOnePathBecomeOneOnChange() {
        Curation c = new Curation(TextNode.valueOf("1.0"), List.of(flag("/a.jpg", "first", "2026-01-01T00:00:00Z"),
                flag("/x.jpg", "x", "2026-01-01T00:00:00Z"), flag("/a.jpg", "second", "2026-01-02T00:00:00Z")));
        assertThat(c.entry("/a.jpg").orElseThrow().reason()).isEqualTo("second"); // last wins
        Curation next = c.change("/a.jpg", e -> e.withOverrides(FocalPoint.CENTRE, null, null));
        assertThat(next.entries()).extracting(CurationEntry::path).containsExactly("/a.jpg", "/x.jpg");
        assertThat(next.entry("/a.jpg").orElseThrow().reason()).isEqualTo("second");
    }

    @Test
    void listIsNewestFirstWithUndatedRowsLast() {
        Curation c = new Curation(TextNode.valueOf("1.0"), List.of(
                flag("/old.jpg", "o", "2025-12-31T23:59:59Z"),
                flag("/undated.jpg", "u", null),
                flag("/new.jpg", "n", "2026-01-01T00:00:00.500Z"),
                flag("/same-later-in-file.jpg", "s", "2026-01-01T00:00:00.500Z"),
                new CurationEntry("/override-only.jpg", null, null, FocalPoint.CENTRE, null, null)));
        assertThat(c.newestFirst()).extracting(CurationEntry::path)
                .containsExactly("/same-later-in-file.jpg", "/new.jpg", "/old.jpg", "/undated.jpg");
    }

    @Test
    void datesCompareAsInstantsNotAsText() {
        // "…00Z" sorts after "…00.500Z" as text, but is half a second earlier
        Curation c = new Curation(TextNode.valueOf("1.0"), List.of(flag("/later.jpg", "l", "2026-01-01T00:00:00.500Z"),
                flag("/earlier.jpg", "e", "2026-01-01T00:00:00Z")));
        assertThat(c.newestFirst().get(0).path()).isEqualTo("/later.jpg");
    }

    @Test
    void promptGetsTheFiveMostRecentDistinctReasons() {
        List<CurationEntry> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            rows.add(flag("/i" + i + ".jpg", "reason " + i, String.format("2026-01-01T00:00:%02dZ", i)));
        }
        rows.add(flag("/dup.jpg", "reason 11", "2026-01-01T00:00:30Z")); // the newest, repeating reason 11
        rows.add(new CurationEntry("/ovr.jpg", null, null, FocalPoint.CENTRE, null, null)); // no reason: not a flag
        Curation c = new Curation(TextNode.valueOf("1.0"), rows);
        assertThat(c.recentReasons()).containsExactly("reason 11", "reason 10", "reason 9", "reason 8", "reason 7");
    }

    @Test
    void onlyTheNewestHundredFlagsAreEligibleForThePrompt() {
        List<CurationEntry> rows = new ArrayList<>();
        // 3 old distinct reasons, then 100 newer flags that all say the same thing
        for (int i = 0; i < 3; i++) rows.add(flag("/old" + i + ".jpg", "old " + i, "2025-01-0" + (i + 1) + "T00:00:00Z"));
        for (int i = 0; i < 100; i++) {
            rows.add(flag("/n" + i + ".jpg", "press photo", String.format("2026-01-01T00:%02d:%02dZ", i / 60, i % 60)));
        }
        Curation c = new Curation(TextNode.valueOf("1.0"), rows);
        assertThat(c.recentReasons()).containsExactly("press photo");
        // one old flag re-dated to now is inside the window again
        Curation refreshed = c.flag("/old1.jpg", "old 1", "2026-02-01T00:00:00Z");
        assertThat(refreshed.recentReasons()).containsExactly("old 1", "press photo");
    }

    @Test
    void promptReasonsAreOneLineAndEmptyWithoutFlags() {
        assertThat(Curation.empty().recentReasons()).isEmpty();
        Curation c = Curation.empty().flag("/a.jpg", "  two\n lines ", "2026-01-01T00:00:00Z");
        assertThat(c.recentReasons()).containsExactly("two lines");
    }
}
