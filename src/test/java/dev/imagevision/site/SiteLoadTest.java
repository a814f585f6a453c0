package dev.imagevision.site;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SiteLoadTest {

    static Path siteWith(Path dir, String provenanceJson) throws Exception {
        Files.createDirectories(dir.resolve("static/data"));
        Files.writeString(dir.resolve("static/data/image-provenance.json"), provenanceJson);
        return dir;
    }

    static String resource(String name) throws Exception {
        try (InputStream in = SiteLoadTest.class.getResourceAsStream("/orrery-format/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSeedSitesRealProvenanceLoadsWithoutVariantRows(@TempDir Path dir) throws Exception {
        Site site = Site.load(siteWith(dir, resource("image-provenance.sample.json")));
        // 31 rows in the real file: 10 are .1x1 variant rows
        assertThat(site.sources()).hasSize(21);
        assertThat(site.nonSourceRows()).isEqualTo(10);
        assertThat(site.sources()).allSatisfy(s -> assertThat(s.path()).doesNotContain(".1x1."));
        SourceImage km = site.sources().stream().filter(s -> s.path().endsWith("km-04.jpg")).findFirst().orElseThrow();
        assertThat(km.provenance().sourceType()).isEqualTo("direct-agency");
        assertThat(km.provenance().licenseShort()).isEqualTo("PD-NASA");
        assertThat(km.image().group()).isEqualTo("hotspots/mars");
    }

    @Test
    void aPathKeyedMapIsAcceptedToo(@TempDir Path dir) throws Exception {
        Site site = Site.load(siteWith(dir, """
                {"/images/missions/juice/01.jpg": {"agency": "ESA", "source_type": "curated-url"},
                 "/images/missions/juice/02.jpg": {"agency": "ESA"}}"""));
        assertThat(site.sources()).extracting(SourceImage::path)
                .containsExactly("/images/missions/juice/01.jpg", "/images/missions/juice/02.jpg");
        assertThat(site.sources().get(0).provenance().agency()).isEqualTo("ESA");
    }

    @Test
    void escapingPathsAndDuplicatesAreRefusedByName(@TempDir Path dir) throws Exception {
        Site site = Site.load(siteWith(dir, """
                {"entries": [
                  {"path": "/images/a/b/01.jpg"},
                  {"path": "/images/a/b/01.jpg"},
                  {"path": "/images/../../../etc/passwd.jpg"},
                  {"path": "/images/a/%2e%2e/%2e%2e/x.jpg"}
                ]}"""));
        assertThat(site.sources()).hasSize(1);
        assertThat(site.refused()).extracting(Site.Refusal::path)
                .containsExactly("/images/a/b/01.jpg", "/images/../../../etc/passwd.jpg", "/images/a/%2e%2e/%2e%2e/x.jpg");
        assertThat(site.refused().get(0).reason()).contains("duplicate");
        assertThat(site.refused().get(1).reason()).contains("never read");
    }

    @Test
    void malformedProvenanceNamesFileLineAndColumn(@TempDir Path dir) throws Exception {
        siteWith(dir, "{\n  \"entries\": [\n    {\"path\": \"/images/a/b/01.jpg\",}\n  ]\n}");
        assertThatThrownBy(() -> Site.load(dir)).isInstanceOf(SiteFileException.class)
                .hasMessageContaining("image-provenance.json").hasMessageContaining("line 3");
    }

    @Test
    void missingProvenanceSaysTheFolderIsNotASiteAndHowToPointAtOne(@TempDir Path dir) {
        assertThatThrownBy(() -> Site.load(dir)).isInstanceOf(Site.NotASiteException.class)
                .hasMessageContaining(dir + " is not a site root").hasMessageContaining("--root DIR");
    }

    @Test
    void theMissionsIndexGivesStatuses(@TempDir Path dir) throws Exception {
        siteWith(dir, "[]");
        Files.createDirectories(dir.resolve("static/data/missions"));
        Files.writeString(dir.resolve("static/data/missions/index.json"), resource("missions-index.sample.json"));
        Site site = Site.load(dir);
        assertThat(site.missions().get("juice").missionStatus()).isEqualTo(MissionStatus.ACTIVE);
        assertThat(site.missions().get("apollo11").missionStatus()).isEqualTo(MissionStatus.FLOWN);
    }
}
