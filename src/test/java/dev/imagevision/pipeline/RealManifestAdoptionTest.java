package dev.imagevision.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.manifest.ManifestSchemaAssert;
import dev.imagevision.site.Json;
import dev.imagevision.testing.CountingProvider;
import dev.imagevision.testing.Runs;
import dev.imagevision.vision.local.LocalProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The issue as the first user met it: the seed site's real manifest (41 entries in the previous
 * tool's format) and 14 new images. The first default run used to make 55 calls; it makes 14, keeps
 * every old judgement as it was, and a second run makes none.
 */
class RealManifestAdoptionTest {
    @Test
    void theSeedSitesManifestIsAdoptedAndOnlyItsNewImagesAreScored(@TempDir Path dir) throws Exception {
        JsonNode old;
        try (InputStream in = getClass().getResourceAsStream("/orrery-format/image-vision.sample.json")) {
            old = Json.LENIENT.readTree(in);
        }
        Path root = dir.resolve("site");
        ArrayNode rows = Json.LENIENT.createArrayNode();
        List<String> paths = new ArrayList<>();
        old.get("entries").fieldNames().forEachRemaining(paths::add);
        for (int i = 0; i < 14; i++) paths.add("/images/missions/new-mission/" + String.format("%02d", i + 1) + ".jpg");
        int seed = 0;
        for (String p : paths) {
            write(root.resolve("static" + p), seed++);
            rows.addObject().put("id", Integer.toHexString(p.hashCode())).put("path", p).put("agency", "NASA");
            JsonNode e = old.get("entries").get(p);
            String oneByOne = e == null ? "" : e.path("variants").path("1x1").asText("");
            if (!oneByOne.isEmpty()) {
                write(root.resolve("static" + oneByOne), 1000 + seed); // the previous tool's own 1:1
                rows.addObject().put("id", Integer.toHexString(oneByOne.hashCode())).put("path", oneByOne);
            }
        }
        ObjectNode prov = Json.LENIENT.createObjectNode();
        prov.set("entries", rows);
        Files.createDirectories(root.resolve("static/data"));
        Files.write(root.resolve("static/data/image-provenance.json"), Json.stableBytes(prov));
        Files.write(root.resolve("static/data/image-vision.json"), Json.stableBytes(old));

        LocalProvider local = new LocalProvider(dev.imagevision.testing.Runs.CODEC, 268_402_689L);
        CountingProvider first = new CountingProvider(local);
        RunSummary s = Runs.score(root, first);

        assertThat(first.calls()).as("only the 14 new images").isEqualTo(14);
        assertThat(s.adopted()).isEqualTo(old.get("entries").size());
        assertThat(s.failed()).isZero();
        ManifestSchemaAssert.assertValid(root.resolve("static/data/image-vision.json"));
        Manifest m = ManifestFile.read(root.resolve("static/data/image-vision.json"));
        JsonNode now = Json.LENIENT.readTree(root.resolve("static/data/image-vision.json").toFile()).get("entries");
        old.get("entries").fields().forEachRemaining(e -> {
            for (String f : List.of("score", "subject", "category", "focal_point", "scored_at", "scoring_cost_usd")) {
                assertThat(now.get(e.getKey()).get(f)).as(e.getKey() + " " + f).isEqualTo(e.getValue().get(f));
            }
            ManifestEntry entry = m.entries().get(e.getKey());
            assertThat(entry.adopted().promptVersion()).isEqualTo("v1.3.0");
            assertThat(entry.variants()).hasSize(3);
        });

        CountingProvider second = new CountingProvider(local);
        assertThat(Runs.score(root, second).selected()).isZero();
        assertThat(second.calls()).isZero();
    }

    static void write(Path file, int seed) throws IOException {
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 96; x++) img.setRGB(x, y, (seed * 7919 + x * 131 + y * 257) & 0xFFFFFF);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        Files.createDirectories(file.getParent());
        Files.write(file, out.toByteArray());
    }
}
