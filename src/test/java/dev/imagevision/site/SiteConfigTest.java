package dev.imagevision.site;

import dev.imagevision.crop.CropSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SiteConfigTest {

    @Test
    void withoutAFileEveryKeyHasItsDefault(@TempDir Path dir) {
        SiteConfig c = SiteConfig.load(dir);
        assertThat(c).isEqualTo(SiteConfig.defaults());
        assertThat(c.provider()).isEqualTo("anthropic");
        assertThat(c.model()).isEqualTo("claude-sonnet-4-6");
        assertThat(c.scoreThreshold()).isEqualTo(5);
        assertThat(c.maxInputPixels()).isEqualTo(268_402_689L);
        assertThat(c.variants()).containsExactly(new CropSpec("1x1", 1, 1, 512, 80), new CropSpec("4x3", 4, 3, 1200, 80),
                new CropSpec("16x9", 16, 9, 1920, 80));
        assertThat(c.paths().manifest()).isEqualTo("static/data/image-vision.json");
        assertThat(c.costSoftUsd()).isEqualTo(50);
        assertThat(c.costHardUsd()).isEqualTo(200);
        assertThat(c.fleetAssets().get("galleries")).containsExactly("/fleet-galleries/");
    }

    @Test
    void keysGivenOverrideOnlyThemselves(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("imagevision.json"), """
                {"provider": "local", "score_threshold": 6,
                 "variants": {"16x9": {"max_edge": 1600}, "1x1": {"quality": 70}},
                 "paths": {"manifest": "data/vision.json"}}""");
        SiteConfig c = SiteConfig.load(dir);
        assertThat(c.provider()).isEqualTo("local");
        assertThat(c.scoreThreshold()).isEqualTo(6);
        assertThat(c.variants()).containsExactly(new CropSpec("16x9", 16, 9, 1600, 80), new CropSpec("1x1", 1, 1, 512, 70));
        assertThat(c.paths().manifest()).isEqualTo("data/vision.json");
        assertThat(c.paths().provenance()).isEqualTo("static/data/image-provenance.json");
    }

    @Test
    void aWrongTypeNamesLineAndColumn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("imagevision.json"), "{\n  \"score_threshold\": \"high\"\n}");
        assertThatThrownBy(() -> SiteConfig.load(dir)).isInstanceOf(SiteFileException.class)
                .hasMessageContaining("imagevision.json").hasMessageContaining("line 2");
    }

    @Test
    void aMisspeltKeyIsAnErrorNotASilentDefault(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("imagevision.json"), "{\"scor_threshold\": 6}");
        assertThatThrownBy(() -> SiteConfig.load(dir)).isInstanceOf(SiteFileException.class)
                .hasMessageContaining("scor_threshold");
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheAllowedRange(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("imagevision.json"), "{\"variants\": {\"4x3\": {\"quality\": 120}}}");
        assertThatThrownBy(() -> SiteConfig.load(dir)).hasMessageContaining("quality must be 1..100");
        Files.writeString(dir.resolve("imagevision.json"), "{\"provider\": \"openai\"}");
        assertThatThrownBy(() -> SiteConfig.load(dir)).hasMessageContaining("\"anthropic\" or \"local\"");
    }

    @Test
    void configuredPathsCannotLeaveTheSiteRoot(@TempDir Path dir) throws Exception {
        for (String bad : new String[] {"/etc/x.json", "../x.json", "data/../../x.json", "\\\\server\\x.json"}) {
            for (String key : new String[] {"manifest", "report", "cache", "static_dir", "preview"}) {
                Files.writeString(dir.resolve("imagevision.json"), "{\"paths\": {\"" + key + "\": \""
                        + bad.replace("\\", "\\\\") + "\"}}");
                assertThatThrownBy(() -> SiteConfig.load(dir)).as(key + " = " + bad).isInstanceOf(SiteFileException.class)
                        .hasMessageContaining("\"paths." + key + "\" must be a relative path inside the site root");
            }
        }
        Files.writeString(dir.resolve("imagevision.json"), "{\"paths\": {\"cache\": \"build/../.cache\"}}");
        assertThat(SiteConfig.load(dir).paths().cache()).isEqualTo("build/../.cache");
    }
}
