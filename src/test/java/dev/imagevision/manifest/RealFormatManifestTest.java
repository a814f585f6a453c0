package dev.imagevision.manifest;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.imagevision.curation.Curation;
import dev.imagevision.site.Json;
import dev.imagevision.site.Mission;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;
import dev.imagevision.vision.Usage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The site's manifest as it is today is read, kept where the run does not reach, and rewritten valid. */
class RealFormatManifestTest {
    static final String IN_SCOPE = "/images/missions/bepicolombo/01.jpg";

    @TempDir
    Path dir;
    Path file;
    Manifest original;
    Map<String, Mission> missions;

    @BeforeEach
    void read() throws IOException {
        file = dir.resolve("image-vision.json");
        try (InputStream in = getClass().getResourceAsStream("/manifest/image-vision.sample.json")) {
            Files.write(file, in.readAllBytes());
        }
        original = ManifestFile.read(file);
        try (InputStream in = getClass().getResourceAsStream("/manifest/missions-index.sample.json")) {
            List<Mission> list = Json.LENIENT.readValue(in, new TypeReference<List<Mission>>() {});
            missions = new TreeMap<>();
            list.forEach(m -> missions.put(m.id(), m));
        }
    }

    static ManifestBuilder.Present all(Manifest m) {
        return ManifestBuilder.Present.all(m.entries().keySet());
    }

    @Test
    void readsEmptyVariantsAndEntriesWithoutSubjectMatch() {
        assertThat(original.entries()).hasSize(41);
        ManifestEntry apollo = original.entries().get("/images/missions/apollo13/01.jpg");
        assertThat(apollo.variants()).containsExactly(Map.entry("1x1", ""));
        ManifestEntry beidou = original.entries().get("/images/earth-objects/beidou/01.jpg");
        assertThat(beidou.subjectMatch()).isNull();
        assertThat(beidou.selection()).isNull();
        assertThat(beidou.scoringCostUsd()).isEqualTo(0.005586);
    }

    @Test
    void entriesOutsideTheRunAreKeptAndEveryEntryIsReselected() throws IOException {
        Judgement j = new Judgement(8, "BepiColombo stacked for launch in the integration hall.", Category.SPACECRAFT,
                FocalPoint.of(0.5, 0.5), SubjectBox.of(0.2, 0.1, 0.6, 0.8), true, null);
        Fresh fresh = new Fresh(IN_SCOPE, j, "local", "imagevision-local", "2026-07-10T00:00:00.000Z", Usage.FREE,
                Map.of("1x1", "/images/missions/bepicolombo/01.1x1.jpg"), null);
        ManifestBuilder.Result r = ManifestBuilder.build(original, List.of(fresh), all(original), Curation.empty(), missions, 5);
        Manifest next = r.manifest();

        assertThat(next.entries().keySet()).isEqualTo(original.entries().keySet());
        original.entries().forEach((path, before) -> {
            if (path.equals(IN_SCOPE)) return;
            ManifestEntry after = next.entries().get(path);
            assertThat(after.score()).as(path).isEqualTo(before.score());
            assertThat(after.subject()).as(path).isEqualTo(before.subject());
            assertThat(after.category()).as(path).isEqualTo(before.category());
            assertThat(after.focalPoint()).as(path).isEqualTo(before.focalPoint());
            assertThat(after.variants()).as(path).isEqualTo(before.variants()); // "1x1": "" stays as it was
            assertThat(after.subjectMatch()).as(path).isEqualTo(before.subjectMatch());
            assertThat(after.scoredAt()).as(path).isEqualTo(before.scoredAt());
            assertThat(after.scoringCostUsd()).as(path).isEqualTo(before.scoringCostUsd());
        });
        ManifestEntry bepi = next.entries().get(IN_SCOPE);
        assertThat(bepi.score()).isEqualTo(8);
        assertThat(bepi.selection().role()).isEqualTo("hero");
        ManifestSchemaAssert.assertEverySelectionSet(next);
        assertThat(next.generatedAt()).isEqualTo("2026-07-10T00:00:00.000Z");

        // the old tool rejected every render as "score-below-threshold"; BepiColombo is ACTIVE, so the reason is the status
        assertThat(next.entries().get("/images/missions/bepicolombo.jpg").rejectedBy()).isEqualTo("render-on-flown-mission");
        // Hayabusa2 (ACTIVE): the loose hero file joins its mission's group
        assertThat(next.entries().get("/images/missions/hayabusa2.jpg").selection())
                .isEqualTo(new ManifestEntry.Selection("missions/hayabusa2", "hero", 0));
        assertThat(r.unknownMissions()).containsExactly("apollo13", "chandrayaan3");

        byte[] bytes = ManifestFile.bytes(next);
        ManifestSchemaAssert.assertValid(bytes);
        ManifestFile.write(file, next);
        // a second build over what was written changes nothing, byte for byte
        Manifest reread = ManifestFile.read(file);
        byte[] again = ManifestFile.bytes(ManifestBuilder.build(reread, List.of(), all(original), Curation.empty(), missions, 5).manifest());
        assertThat(again).isEqualTo(bytes);
        assertThat(ManifestFile.write(file, ManifestBuilder.build(reread, List.of(), all(original), Curation.empty(), missions, 5)
                .manifest())).as("rewritten").isFalse();
    }

    @Test
    void aFlagAppliesToAnEntryTheRunDidNotScore() {
        Curation c = Curation.empty().flag("/images/missions/cassini/03.jpg", "Wrong moon", "2026-07-10T00:00:00.000Z");
        Manifest next = ManifestBuilder.build(original, List.of(), all(original), c, missions, 5).manifest();
        ManifestEntry e = next.entries().get("/images/missions/cassini/03.jpg");
        assertThat(e.score()).isZero();
        assertThat(e.rejectedBy()).isEqualTo("human");
        assertThat(e.selection().role()).isEqualTo("none");
        assertThat(e.subject()).isEqualTo(original.entries().get("/images/missions/cassini/03.jpg").subject());
    }
}
