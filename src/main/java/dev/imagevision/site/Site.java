package dev.imagevision.site;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The site as read at the start of a run: config, source images from provenance (never written),
 * the missions index, and what was refused on the way with the reason.
 */
public record Site(SiteRoot root, SiteConfig config, List<SourceImage> sources, Map<String, Mission> missions,
                   List<Refusal> refused, int nonSourceRows) {

    /** A provenance row that cannot be used, named and explained. */
    public record Refusal(String path, String reason) {}

    public static Site load(Path rootDir) {
        return load(rootDir, SiteConfig.load(rootDir));
    }

    public static Site load(Path rootDir, SiteConfig config) {
        SiteRoot root = new SiteRoot(rootDir, config.paths().staticDir());
        Path provenanceFile = root.file(config.paths().provenance());
        List<ProvenanceEntry> rows = readProvenance(provenanceFile);
        List<SourceImage> sources = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int nonSource = 0;
        for (ProvenanceEntry row : rows) {
            String path = row.path();
            if (path == null || path.isBlank()) {
                refused.add(new Refusal(String.valueOf(row.id()), "provenance row has no \"path\""));
                continue;
            }
            Optional<String> unsafe = SiteRoot.unsafeReason(path);
            if (unsafe.isPresent()) {
                refused.add(new Refusal(path, "refused: " + unsafe.get() + "; never read"));
                continue;
            }
            ImagePath image = ImagePath.of(path);
            if (image.notSourceReason().isPresent()) {
                nonSource++;
                continue;
            }
            if (!seen.add(path)) {
                refused.add(new Refusal(path, "duplicate provenance row; the first one is used"));
                continue;
            }
            sources.add(new SourceImage(image, row));
        }
        sources.sort((a, b) -> a.path().compareTo(b.path()));
        Map<String, Mission> missions = readMissions(root.file(config.paths().missions()));
        return new Site(root, config, List.copyOf(sources), missions, List.copyOf(refused), nonSource);
    }

    /** Provenance as an object with "entries", a top-level array, or a map keyed by path. */
    static List<ProvenanceEntry> readProvenance(Path file) {
        JsonNode tree = Json.readTree(file);
        JsonNode entries = tree.isObject() && tree.has("entries") ? tree.get("entries") : tree;
        List<ProvenanceEntry> out = new ArrayList<>();
        if (entries.isArray()) {
            int i = 0;
            for (JsonNode e : entries) {
                if (!e.isObject()) {
                    throw new SiteFileException(file, "entry #" + i + " is not an object");
                }
                out.add(Json.convert(file, e, Json.LENIENT, ProvenanceEntry.class));
                i++;
            }
        } else if (entries.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = entries.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isObject()) {
                    if (tree == entries) continue; // header fields of a path-keyed file (schema_version, …)
                    throw new SiteFileException(file, "entry " + e.getKey() + " is not an object");
                }
                ProvenanceEntry row = Json.convert(file, e.getValue(), Json.LENIENT, ProvenanceEntry.class);
                out.add(row.path() == null ? row.withPath(e.getKey()) : row);
            }
        } else {
            throw new SiteFileException(file, "expected an array of entries, an object with \"entries\", or a map keyed by path");
        }
        return out;
    }

    /** The missions index, or none when the file does not exist (every group is then a non-mission group). */
    static Map<String, Mission> readMissions(Path file) {
        if (!Files.exists(file)) return Collections.emptyMap();
        JsonNode tree = Json.readTree(file);
        JsonNode list = tree.isObject() && tree.has("missions") ? tree.get("missions") : tree;
        if (!list.isArray()) throw new SiteFileException(file, "expected an array of missions");
        Map<String, Mission> out = new TreeMap<>();
        for (JsonNode m : list) {
            Mission mission = Json.convert(file, m, Json.LENIENT, Mission.class);
            if (mission.id() != null) out.put(mission.id(), mission);
        }
        return Collections.unmodifiableMap(out);
    }

    public Path file(String relative) {
        return root.file(relative);
    }
}
