package dev.imagevision.manifest;

import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.fixtures.FixtureSite;
import dev.imagevision.site.Site;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every selection rule, table-driven, through the manifest builder on the fixture site: the
 * missions index has one mission of each status, the manifest is in the site's real format (some
 * entries without subject_match), the curation file flags three images. No provider is involved.
 */
class SelectionOnFixtureSiteTest {

    @TempDir
    static Path root;
    static Site site;
    static ManifestBuilder.Result built;

    @BeforeAll
    static void build() throws IOException {
        FixtureSite.copyTo(root);
        site = Site.load(root);
        built = rebuild(site, CurationFile.read(root.resolve("static/data/image-curation.json")));
    }

    static ManifestBuilder.Result rebuild(Site s, Curation curation) {
        Manifest previous = ManifestFile.read(s.file(s.config().paths().manifest()));
        return ManifestBuilder.build(previous, List.of(), ManifestBuilder.Present.all(previous.entries().keySet()), curation,
                s.missions(), s.config().scoreThreshold());
    }

    @ParameterizedTest(name = "{0} → {2} {3} {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // path                                   | score | rejected_by             | role    | rank | fallback
            "/images/missions/flown-m/01.jpg          | 9     | render-on-flown-mission | none    | -    | false",
            "/images/missions/flown-m/02.jpg          | 6     | -                       | hero    | 0    | false",
            "/images/missions/flown-m/03.jpg          | 8     | -                       | gallery | 1    | false",
            "/images/missions/active-m/01.jpg         | 8     | render-on-flown-mission | none    | -    | false",
            "/images/missions/active-m/02.jpg         | 5     | -                       | hero    | 0    | false",
            "/images/missions/ended-m/01.jpg          | 7     | render-on-flown-mission | hero    | 0    | true",
            "/images/missions/ended-m/02.jpg          | 4     | score-below-threshold   | none    | -    | false",
            "/images/missions/crashed-m/01.jpg        | 7     | render-on-flown-mission | none    | -    | false",
            "/images/missions/crashed-m/02.jpg        | 6     | -                       | hero    | 0    | false",
            "/images/missions/lost-m/01.jpg           | 9     | render-on-flown-mission | none    | -    | false",
            "/images/missions/lost-m/02.jpg           | 5     | -                       | hero    | 0    | false",
            "/images/missions/planned-m.jpg           | 6     | -                       | hero    | 0    | false",
            "/images/missions/planned-m/01.jpg        | 8     | -                       | gallery | 1    | false",
            "/images/missions/planned-m/02.jpg        | 7     | -                       | gallery | 2    | false",
            "/images/missions/ghost-m/01.jpg          | 9     | render-on-flown-mission | none    | -    | false",
            "/images/missions/ghost-m/02.jpg          | 6     | -                       | hero    | 0    | false",
            "/images/fleet-galleries/saturn-v/01.jpg  | 9     | -                       | gallery | 1    | false",
            "/images/fleet-galleries/saturn-v/02.jpg  | 5     | -                       | hero    | 0    | false",
            "/images/science-diagrams/rules/01.jpg    | 0     | human                   | none    | -    | false",
            "/images/science-diagrams/rules/02.jpg    | 8     | off-subject             | none    | -    | false",
            "/images/science-diagrams/rules/03.jpg    | 9     | category-people         | none    | -    | false",
            "/images/science-diagrams/rules/04.jpg    | 9     | category-diagram        | none    | -    | false",
            "/images/science-diagrams/rules/05.jpg    | 0     | human                   | none    | -    | false",
            "/images/science-diagrams/rules/06.jpg    | 7     | -                       | hero    | 0    | false",
            "/images/science-diagrams/rules/07.jpg    | 7     | -                       | gallery | 1    | false",
            "/images/science-diagrams/rules/08.jpg    | 4     | score-below-threshold   | none    | -    | false",
            "/images/crew-portraits/crew/01.jpg       | 8     | category-people         | none    | -    | false",
            "/images/crew-portraits/crew/02.jpg       | 9     | category-people         | hero    | 0    | true",
            "/images/hotspots/moon/apollo/01.jpg      | 0     | human                   | none    | -    | false",
    })
    void everyRuleOnTheFixtureSite(String path, int score, String rejectedBy, String role, Integer rank, boolean fallback) {
        ManifestEntry e = built.manifest().entries().get(path);
        assertThat(e).as(path).isNotNull();
        assertThat(e.score()).as("score").isEqualTo(score);
        assertThat(e.rejectedBy()).as("rejected_by").isEqualTo(rejectedBy);
        assertThat(e.selection().role()).as("role").isEqualTo(role);
        assertThat(e.selection().rank()).as("rank").isEqualTo(rank);
        assertThat(e.fallback()).as("fallback").isEqualTo(fallback);
    }

    @Test
    void groupsAreEntitiesAndTheLooseMissionImageJoinsItsMission() {
        var entries = built.manifest().entries();
        assertThat(entries.get("/images/missions/planned-m.jpg").selection().group()).isEqualTo("missions/planned-m");
        assertThat(entries.get("/images/missions/planned-m/01.jpg").selection().group()).isEqualTo("missions/planned-m");
        assertThat(entries.get("/images/hotspots/moon/apollo/01.jpg").selection().group()).isEqualTo("hotspots/moon");
        ManifestSchemaAssert.assertEverySelectionSet(built.manifest());
    }

    @Test
    void aMissionMissingFromTheIndexIsReportedOnce() {
        assertThat(built.unknownMissions()).containsExactly("ghost-m");
    }

    @Test
    void theWrittenManifestMatchesTheSchema() throws IOException {
        ManifestSchemaAssert.assertValid(ManifestFile.bytes(built.manifest()));
    }

    @Test
    void theThresholdComesFromTheSiteConfig() throws IOException {
        Files.writeString(root.resolve("imagevision.json"), "{\"score_threshold\": 6}");
        try {
            Site strict = Site.load(root);
            var e = rebuild(strict, CurationFile.read(root.resolve("static/data/image-curation.json")))
                    .manifest().entries();
            assertThat(e.get("/images/missions/active-m/02.jpg").rejectedBy()).isEqualTo("score-below-threshold");
            assertThat(e.get("/images/missions/flown-m/02.jpg").rejectedBy()).isNull(); // 6 still passes
            assertThat(e.get("/images/fleet-galleries/saturn-v/01.jpg").selection().role()).isEqualTo("hero");
        } finally {
            Files.delete(root.resolve("imagevision.json"));
        }
    }

    @Test
    void aCurationChangeReselectsTheGroupWithoutAnyScore() {
        // flag the hero of missions/flown-m: the gallery image takes over, from the manifest alone
        Curation more = CurationFile.read(root.resolve("static/data/image-curation.json"))
                .flag("/images/missions/flown-m/02.jpg", "Caption covers the spacecraft", "2026-07-04T00:00:00.000Z");
        var e = rebuild(site, more).manifest().entries();
        assertThat(e.get("/images/missions/flown-m/02.jpg").rejectedBy()).isEqualTo("human");
        assertThat(e.get("/images/missions/flown-m/02.jpg").score()).isZero();
        assertThat(e.get("/images/missions/flown-m/03.jpg").selection().role()).isEqualTo("hero");
        // other groups are untouched
        assertThat(e.get("/images/missions/active-m/02.jpg")).isEqualTo(built.manifest().entries().get("/images/missions/active-m/02.jpg"));
    }
}
