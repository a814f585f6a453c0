package dev.imagevision.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.site.Json;
import dev.imagevision.site.SiteRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** validate's advice names what fixes the problem: cutting again only helps while the source is there. */
class ManifestCheckTest {
    static final String PATH = "/images/missions/hubble/01.jpg";
    static final ManifestSchema SCHEMA = ManifestSchema.load();

    static JsonNode manifest() throws Exception {
        return Json.LENIENT.readTree("""
                {"version": 1, "entries": {"%s": {"score": 7, "subject": "Hubble.", "category": "spacecraft",
                  "focal_point": {"x": 0.5, "y": 0.5}, "variants": {"1x1": "/images/missions/hubble/01.1x1.jpg"},
                  "rejected_by": null, "fallback": false, "scored_at": null, "scoring_cost_usd": 0}}}
                """.formatted(PATH));
    }

    static String advice(Path root, Set<String> provenance) throws Exception {
        List<ManifestCheck.Finding> f = ManifestCheck.check(manifest(), SCHEMA, provenance, Map.of(), null,
                new SiteRoot(root, "static"));
        return f.stream().filter(x -> x.severity() == ManifestCheck.Severity.ERROR).map(ManifestCheck.Finding::message)
                .findFirst().orElseThrow();
    }

    @Test
    void aMissingVariantOfAnImageThatIsStillThereIsCutAgain(@TempDir Path root) throws Exception {
        Path source = root.resolve("static" + PATH);
        Files.createDirectories(source.getParent());
        Files.write(source, new byte[] {1});
        assertThat(advice(root, Set.of(PATH))).endsWith("run imagevision score to cut it again");
    }

    @Test
    void aMissingVariantOfADeletedImageIsFixedByTheRunThatDropsTheEntry(@TempDir Path root) throws Exception {
        assertThat(advice(root, Set.of(PATH))).contains("the source image static" + PATH + " is gone too")
                .contains("run imagevision score, which drops the entry").doesNotContain("cut it again");
        assertThat(advice(root, Set.of())).contains("not in provenance either")
                .contains("run imagevision score, which drops the entry").doesNotContain("cut it again");
    }

    @Test
    void gitShouldIgnoreWhatBelongsToThisMachineAndKeepWhatTheSiteShares() {
        var ok = ManifestCheck.gitFindings(List.of(
                new ManifestCheck.GitState(".image-cache", ManifestCheck.GitRole.IGNORED, true),
                new ManifestCheck.GitState("static/data/image-vision.json", ManifestCheck.GitRole.COMMITTED, false)));
        assertThat(ok).isEmpty();
        var wrong = ManifestCheck.gitFindings(List.of(
                new ManifestCheck.GitState(".image-cache", ManifestCheck.GitRole.IGNORED, false),
                new ManifestCheck.GitState("static/data/image-curation.json", ManifestCheck.GitRole.COMMITTED, true)));
        assertThat(wrong).extracting(ManifestCheck.Finding::severity).containsOnly(ManifestCheck.Severity.WARNING);
        assertThat(wrong).extracting(ManifestCheck.Finding::message).satisfiesExactly(
                m -> assertThat(m).startsWith(".image-cache is not git-ignored").endsWith("add it to .gitignore"),
                m -> assertThat(m).startsWith("static/data/image-curation.json is git-ignored").endsWith("remove it from .gitignore"));
    }

    @Test
    void anEntryOutsideProvenanceIsDroppedByTheNextRun(@TempDir Path root) throws Exception {
        List<ManifestCheck.Finding> f = ManifestCheck.check(manifest(), SCHEMA, Set.of(), Map.of(), null,
                new SiteRoot(root, "static"));
        assertThat(f).anySatisfy(x -> {
            assertThat(x.severity()).isEqualTo(ManifestCheck.Severity.WARNING);
            assertThat(x.message()).contains("the next imagevision score run drops the entry");
        });
    }
}
