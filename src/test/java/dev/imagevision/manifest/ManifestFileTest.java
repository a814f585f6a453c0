package dev.imagevision.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestFileTest {

    static Path sample(Path dir) throws Exception {
        Path f = dir.resolve("image-vision.json");
        try (var in = ManifestFileTest.class.getResourceAsStream("/orrery-format/image-vision.sample.json")) {
            Files.write(f, in.readAllBytes());
        }
        return f;
    }

    @Test
    void theSeedSitesManifestReads(@TempDir Path dir) throws Exception {
        Manifest m = ManifestFile.read(sample(dir));
        assertThat(m.visionModel()).isEqualTo("claude-sonnet-4-6");
        assertThat(m.promptVersion()).isEqualTo("v1.3.0");
        ManifestEntry beidou = m.entries().get("/images/earth-objects/beidou/01.jpg");
        assertThat(beidou.score()).isEqualTo(5);
        assertThat(beidou.category()).isEqualTo("hardware");
        assertThat(beidou.focalPoint().y()).isEqualTo(0.55);
        assertThat(beidou.variants()).containsEntry("1x1", "/images/earth-objects/beidou/01.1x1.jpg");
        assertThat(beidou.subjectMatch()).isNull();
        assertThat(m.entries().values()).anySatisfy(e -> assertThat(e.variants()).containsValue(""));
    }

    @Test
    void writingIsByteStableAndSorted(@TempDir Path dir) throws Exception {
        Manifest m = ManifestFile.read(sample(dir));
        byte[] once = ManifestFile.bytes(m);
        Path out = dir.resolve("out.json");
        Files.write(out, once);
        assertThat(ManifestFile.bytes(ManifestFile.read(out))).isEqualTo(once);
        String text = new String(once, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\n  \"entries\": {").endsWith("}\n").doesNotContain("\r").doesNotContain("E-");
        assertThat(text.indexOf("\"generated_at\"")).isLessThan(text.indexOf("\"prompt_version\""));
    }

    @Test
    void numbersHaveOneFormat() {
        String json = new String(ManifestFile.bytes(Map.of("a", 0.000123, "b", 1.0, "c", 0.5, "d", 12.25, "e", 0.0)),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"a\": 0.000123", "\"b\": 1,", "\"c\": 0.5", "\"d\": 12.25", "\"e\": 0\n");
    }

    @Test
    void aMalformedManifestNamesLineAndColumn(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("image-vision.json"), "{\n \"entries\": {\n  \"/a.jpg\": {\"score\": }\n }\n}");
        assertThatThrownBy(() -> ManifestFile.read(f)).hasMessageContaining("image-vision.json").hasMessageContaining("line 3");
    }

    @Test
    void anAbsentManifestIsEmpty(@TempDir Path dir) {
        assertThat(ManifestFile.read(dir.resolve("none.json")).entries()).isEmpty();
    }
}
