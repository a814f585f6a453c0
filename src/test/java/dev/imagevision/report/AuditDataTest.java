package dev.imagevision.report;

import dev.imagevision.crop.CropWindow;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.site.ImagePath;
import dev.imagevision.site.Mission;
import dev.imagevision.site.ProvenanceEntry;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class AuditDataTest {
    static final String G = "missions/curiosity";

    static ManifestEntry entry(int score, String role, Integer rank, String rejectedBy, boolean fallback, double cost) {
        return new ManifestEntry(score, "subject " + score, "surface", new FocalPoint(0.5, 0.5), null, true, null,
                Map.of(), Map.of("1x1", new CropWindow.Fraction(0.1, 0, 0.5, 1)), rejectedBy, fallback,
                new ManifestEntry.Selection(G, role, rank), "anthropic", "claude-sonnet-4-6", "2026-05-24T00:00:00.000Z", cost);
    }

    static SourceImage source(String path) {
        return new SourceImage(ImagePath.of(path), new ProvenanceEntry("id", path, "nasa-images-api", "NASA", "t", "a",
                "c", "PD-NASA", "https://nasa.gov/x"));
    }

    static AuditData build(Map<String, ManifestEntry> entries, List<CurationEntry> rows, List<SourceImage> sources,
                           Map<String, Map<String, CropWindow.Fraction>> previews) {
        Manifest m = new Manifest(1, "2026-05-24T00:00:00.000Z", "anthropic", "claude-sonnet-4-6", "v1", new TreeMap<>(entries));
        return AuditData.build(new AuditData.Inputs(m, new Curation(null, rows), sources,
                Map.of("curiosity", new Mission("curiosity", "NASA", "Mars", "ACTIVE")), Map.of(), Map.of(), previews,
                Map.of("/images/missions/curiosity/02.jpg", new AuditData.LedgerCost(2, 0.011)), null, List.of()));
    }

    @Test
    void heroThenGallerySlotsThenTheRestByScore() {
        Map<String, ManifestEntry> e = new TreeMap<>();
        e.put("/images/missions/curiosity/01.jpg", entry(6, "none", null, "score-below-threshold", false, 0.005));
        e.put("/images/missions/curiosity/02.jpg", entry(8, "gallery", 2, null, false, 0.006));
        e.put("/images/missions/curiosity/03.jpg", entry(9, "hero", 0, null, false, 0.004));
        e.put("/images/missions/curiosity/04.jpg", entry(8, "gallery", 1, null, false, 0.005));
        e.put("/images/missions/curiosity/05.jpg", entry(7, "none", null, "category-people", false, 0.002));
        AuditData d = build(e, List.of(), List.of(), Map.of());
        assertThat(d.groups()).hasSize(1);
        AuditData.Group g = d.groups().get(0);
        assertThat(g.missionStatus()).isEqualTo("ACTIVE");
        assertThat(g.cards()).extracting(AuditData.Card::path).containsExactly(
                "/images/missions/curiosity/03.jpg", "/images/missions/curiosity/04.jpg", "/images/missions/curiosity/02.jpg",
                "/images/missions/curiosity/05.jpg", "/images/missions/curiosity/01.jpg");
        assertThat(g.cards()).extracting(AuditData.Card::index).containsExactly(0, 1, 2, 3, 4);
        assertThat(g.cards()).extracting(AuditData.Card::statusText).containsExactly(
                "Hero", "Gallery slot 1", "Gallery slot 2", "Rejected: people photo", "Rejected: score below threshold");
        assertThat(g.totals().images()).isEqualTo(5);
        assertThat(g.totals().scoresCostUsd()).isCloseTo(0.022, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(g.totals().rejected()).isEqualTo(2);
        assertThat(d.run()).isEqualTo(g.totals());
        assertThat(g.cards().get(2).ledger()).isEqualTo(new AuditData.LedgerCost(2, 0.011));
    }

    @Test
    void theLastPaidRunIsSplitByGroupCountingOnlyTheImagesItPaidFor() {
        Map<String, ManifestEntry> e = new TreeMap<>();
        e.put("/images/missions/curiosity/01.jpg", entry(9, "hero", 0, null, false, 0.0195));
        e.put("/images/missions/curiosity/02.jpg", entry(8, "gallery", 1, null, false, 0.0195));
        e.put("/images/missions/curiosity/03.jpg", entry(7, "gallery", 2, null, false, 0.5)); // scored by an older run
        e.put("/images/missions/psyche/01.jpg", new ManifestEntry(7, "s", "surface", new FocalPoint(0.5, 0.5), null, true,
                null, Map.of(), Map.of(), null, false, new ManifestEntry.Selection("missions/psyche", "hero", 0), "anthropic",
                "claude-sonnet-4-6", "2026-05-24T00:00:00.000Z", 0.2));
        AuditData.LastRun run = new AuditData.LastRun("run-2", "2026-07-06T10:00:00.000Z", Map.of(
                "/images/missions/curiosity/01.jpg", new AuditData.LedgerCost(1, 0.0195),
                "/images/missions/curiosity/02.jpg", new AuditData.LedgerCost(2, 0.039),
                "/images/missions/gone/01.jpg", new AuditData.LedgerCost(1, 0.01)), 0);
        Manifest m = new Manifest(1, "2026-05-24T00:00:00.000Z", "anthropic", "claude-sonnet-4-6", "v1", new TreeMap<>(e));
        AuditData d = AuditData.build(new AuditData.Inputs(m, new Curation(null, List.of()), List.of(), Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of(), run, List.of()));

        AuditData.Group curiosity = d.groups().get(0);
        AuditData.Group psyche = d.groups().get(1);
        assertThat(curiosity.key()).isEqualTo("missions/curiosity");
        assertThat(curiosity.lastRun().images()).isEqualTo(2);
        assertThat(curiosity.lastRun().calls()).isEqualTo(3);
        assertThat(curiosity.lastRun().usd()).isCloseTo(0.0585, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(curiosity.totals().scoresCostUsd()).isCloseTo(0.539, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(psyche.lastRun()).isNull(); // the run paid nothing there
        assertThat(card(d, "/images/missions/curiosity/02.jpg").lastRun()).isEqualTo(new AuditData.LedgerCost(2, 0.039));
        assertThat(card(d, "/images/missions/curiosity/03.jpg").lastRun()).isNull();

        AuditData.LastRunSpend total = d.lastRun();
        assertThat(total.runId()).isEqualTo("run-2");
        assertThat(total.total().images()).isEqualTo(3);
        assertThat(total.total().calls()).isEqualTo(4);
        assertThat(total.total().usd()).isCloseTo(0.0685, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(total.groups()).isEqualTo(1);
        assertThat(total.elsewhere()).isEqualTo(1); // paid for, but on no card any more

        AuditData none = build(e, List.of(), List.of(), Map.of());
        assertThat(none.lastRun()).isNull();
        assertThat(none.groups()).allSatisfy(g -> assertThat(g.lastRun()).isNull());
    }

    @Test
    void fallbacksFlagsAndUnscoredSourcesAreCounted() {
        Map<String, ManifestEntry> e = new TreeMap<>();
        e.put("/images/missions/curiosity/01.jpg", entry(3, "hero", 0, "score-below-threshold", true, 0.01));
        e.put("/images/missions/curiosity/02.jpg", entry(8, "hero", 0, null, false, 0.01)); // stale: flagged since
        List<CurationEntry> rows = List.of(new CurationEntry("/images/missions/curiosity/02.jpg", "wrong rover",
                "2026-07-05T19:00:00.000Z", null, null, null));
        AuditData d = build(e, rows, List.of(source("/images/missions/curiosity/03.jpg")), Map.of());
        AuditData.Totals t = d.run();
        assertThat(t.fallbacks()).isEqualTo(1);
        assertThat(t.flagged()).isEqualTo(1);
        assertThat(t.unscored()).isEqualTo(1);
        assertThat(t.rejected()).isEqualTo(1);
        AuditData.Card flagged = card(d, "/images/missions/curiosity/02.jpg");
        assertThat(flagged.state()).isEqualTo(AuditData.State.REJECTED);
        assertThat(flagged.statusText()).isEqualTo("Flagged: wrong rover (the next score run re-selects the group)");
        AuditData.Card fallback = card(d, "/images/missions/curiosity/01.jpg");
        assertThat(fallback.statusText()).isEqualTo("Hero · fallback: nothing in the group was acceptable (score below threshold)");
        AuditData.Card unscored = card(d, "/images/missions/curiosity/03.jpg");
        assertThat(unscored.state()).isEqualTo(AuditData.State.UNSCORED);
        assertThat(unscored.provenance().licenseShort()).isEqualTo("PD-NASA");
        assertThat(unscored.licenceUrl()).isEqualTo("https://nasa.gov/x");
    }

    @Test
    void anOverrideIsPendingUntilTheManifestWasCutWithIt() {
        String path = "/images/missions/curiosity/01.jpg";
        Map<String, CropWindow.Fraction> preview = Map.of("1x1", new CropWindow.Fraction(0, 0, 0.5, 1));
        CurationEntry row = new CurationEntry(path, null, null, new FocalPoint(0.1, 0.2), null, null);
        AuditData pending = build(Map.of(path, entry(8, "hero", 0, null, false, 0)), List.of(row), List.of(), Map.of(path, preview));
        AuditData.Card c = card(pending, path);
        assertThat(c.override()).isTrue();
        assertThat(c.overridePending()).isTrue();
        assertThat(c.focal()).isEqualTo(new FocalPoint(0.1, 0.2));
        assertThat(c.windowsPreview()).isTrue();
        assertThat(c.windows()).isEqualTo(preview);
        assertThat(c.flagged()).isFalse();

        ManifestEntry recut = new ManifestEntry(8, "s", "surface", new FocalPoint(0.1, 0.2), null, true, null, Map.of(),
                Map.of("1x1", new CropWindow.Fraction(0, 0, 0.5, 1)), null, false, new ManifestEntry.Selection(G, "hero", 0),
                "anthropic", "m", null, 0.0);
        AuditData done = build(Map.of(path, recut), List.of(row), List.of(), Map.of());
        assertThat(card(done, path).overridePending()).isFalse();
        assertThat(card(done, path).windowsPreview()).isFalse();
        assertThat(AuditData.overridePending(recut, new CurationEntry(path, null, null, null,
                SubjectBox.of(0.1, 0.1, 0.2, 0.2), null))).isTrue();
    }

    @Test
    void onlyPlainWebLinksFromProvenanceBecomeLinks() {
        assertThat(AuditData.safeUrl("https://creativecommons.org/licenses/by/4.0/")).isNotNull();
        assertThat(AuditData.safeUrl(" HTTP://example.org/x ")).isEqualTo("HTTP://example.org/x");
        assertThat(AuditData.safeUrl("javascript:alert(1)")).isNull();
        assertThat(AuditData.safeUrl("JaVaScRiPt:alert(1)")).isNull();
        assertThat(AuditData.safeUrl("data:text/html,<script>")).isNull();
        assertThat(AuditData.safeUrl("https://x.org/a b")).isNull();
        assertThat(AuditData.safeUrl("//evil.example/")).isNull();
        assertThat(AuditData.safeUrl(null)).isNull();
    }

    @Test
    void everyNineCategoriesAreFilterableAndUnknownOnesToo() {
        ManifestEntry odd = new ManifestEntry(5, "s", "nebula", null, null, null, null, null, null, null, null, null, null,
                null, null, null);
        AuditData d = build(Map.of("/images/x/y/01.jpg", odd), List.of(), List.of(), Map.of());
        assertThat(d.categories()).startsWith("spacecraft", "surface", "launch", "orbital", "hardware", "people",
                "diagram", "render", "other").contains("nebula");
        AuditData.Card c = d.groups().get(0).cards().get(0);
        assertThat(c.state()).isEqualTo(AuditData.State.NOT_SELECTED);
        assertThat(c.provider()).isEqualTo("anthropic"); // from the header when the entry has none
        assertThat(c.windows()).isEmpty();
    }

    private static AuditData.Card card(AuditData d, String path) {
        List<AuditData.Card> all = new ArrayList<>();
        d.groups().forEach(g -> all.addAll(g.cards()));
        return all.stream().filter(c -> c.path().equals(path)).findFirst().orElseThrow();
    }
}
