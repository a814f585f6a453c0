package dev.imagevision.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import dev.imagevision.vision.anthropic.TestImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small site on disk for pipeline tests: generated images, provenance, missions index, config. */
public final class TestSite {
    public final Path root;
    private final List<String> paths = new ArrayList<>();
    private int seed;

    public TestSite(Path root) {
        this.root = root;
    }

    /** Adds {@code n} JPEGs under /images/missions/{@code mission}/NN.jpg. */
    public TestSite images(String mission, int n) throws IOException {
        for (int i = 1; i <= n; i++) {
            String path = String.format("/images/missions/%s/%02d.jpg", mission, i);
            TestImages.write(root.resolve("static" + path), ".jpg", 320, 240, ++seed);
            paths.add(path);
        }
        return this;
    }

    public List<String> paths() {
        return List.copyOf(paths);
    }

    /** Writes provenance, the missions index and imagevision.json with the given settings. */
    public TestSite write(Map<String, Object> config) throws IOException {
        ObjectNode prov = FakeAnthropic.JSON.createObjectNode();
        prov.put("schema_version", 1);
        ArrayNode entries = prov.putArray("entries");
        int i = 0;
        for (String p : paths) {
            ObjectNode e = entries.addObject();
            e.put("id", "id" + (i++));
            e.put("path", p);
            e.put("source_type", "test");
            e.put("agency", "ESA");
            e.put("title", "test image");
            e.put("license_short", "CC0-1.0");
        }
        Path data = root.resolve("static/data");
        Files.createDirectories(data.resolve("missions"));
        FakeAnthropic.JSON.writerWithDefaultPrettyPrinter().writeValue(data.resolve("image-provenance.json").toFile(), prov);
        ArrayNode missions = FakeAnthropic.JSON.createArrayNode();
        missions.addObject().put("id", "juice").put("agency", "ESA").put("dest", "JUPITER").put("status", "ACTIVE");
        missions.addObject().put("id", "psyche").put("agency", "NASA").put("dest", "ASTEROID").put("status", "ACTIVE");
        FakeAnthropic.JSON.writeValue(data.resolve("missions/index.json").toFile(), missions);
        FakeAnthropic.JSON.writerWithDefaultPrettyPrinter().writeValue(root.resolve("imagevision.json").toFile(), config);
        return this;
    }
}
