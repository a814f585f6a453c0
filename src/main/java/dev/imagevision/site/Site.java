package dev.imagevision.site;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The site as read at the start of a run: config, source images from provenance (never written),
 * the missions index, and what was refused on the way with the reason. {@code variantRows}: rows that
 * are a source's variant as the site lists it (row → its source), never sources themselves.
 */
public record Site(SiteRoot root, SiteConfig config, List<SourceImage> sources, Map<String, Mission> missions,
                   List<Refusal> refused, int nonSourceRows, Map<String, String> variantRows) {

    /** A site of these sources and nothing else (for tools that need a site's settings but no provenance). */
    public Site(SiteRoot root, SiteConfig config, List<SourceImage> sources, Map<String, Mission> missions,
                List<Refusal> refused, int nonSourceRows) {
        this(root, config, sources, missions, refused, nonSourceRows, Map.of());
    }

    /** A provenance row that cannot be used, named and explained. */
    public record Refusal(String path, String reason) {}

    public static Site load(Path rootDir) {
        return load(rootDir, SiteConfig.load(rootDir));
    }

    public static Site load(Path rootDir, SiteConfig config) {
        SiteRoot root = new SiteRoot(rootDir, config.paths().staticDir());
        Path provenanceFile = root.file(config.paths().provenance());
        if (!Files.exists(provenanceFile)) throw notASite(root, config.paths().provenance());
        List<Refusal> refused = new ArrayList<>();
        List<ProvenanceEntry> rows = readProvenance(provenanceFile, refused);
        Map<String, ProvenanceEntry> images = new TreeMap<>();
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
            if (image.neverSource()) { // SVGs and thumbnails, by design (spec): skipped without a word
                nonSource++;
                continue;
            }
            Optional<String> notImage = image.notSourceReason();
            if (notImage.isPresent()) {
                refused.add(new Refusal(path, notImage.get() + "; the row is skipped"));
                continue;
            }
            if (images.putIfAbsent(path, row) != null) {
                refused.add(new Refusal(path, "duplicate provenance row; the first one is used"));
            }
        }
        List<String> ids = config.variants().stream().map(dev.imagevision.crop.CropSpec::id).toList();
        VariantNames.Assignment names = VariantNames.assign(images.keySet(), ids,
                judgedPaths(root.file(config.paths().manifest())));
        nonSource += names.variantRows().size(); // the site listing our own variants: never sources, never named
        List<SourceImage> sources = new ArrayList<>();
        for (String path : names.sources()) {
            sources.add(new SourceImage(ImagePath.of(path), images.get(path), names.of(path)));
        }
        Map<String, Mission> missions = readMissions(root.file(config.paths().missions()));
        return new Site(root, config, List.copyOf(sources), missions, List.copyOf(refused), nonSource,
                Map.copyOf(names.variantRows()));
    }

    /**
     * The paths the site's manifest holds entries for (read as a stream of keys, values skipped); none
     * when there is no manifest or it cannot be read (the run recovers a malformed one and says so).
     */
    static java.util.Set<String> judgedPaths(Path manifest) {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (!Files.isRegularFile(manifest)) return out;
        try (com.fasterxml.jackson.core.JsonParser p = Json.LENIENT.getFactory().createParser(manifest.toFile())) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return out;
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                if (field.equals("entries") && value == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                        out.add(p.currentName());
                        p.nextToken();
                        p.skipChildren();
                    }
                    return out;
                }
                p.skipChildren();
            }
        } catch (java.io.IOException | RuntimeException e) {
            return new java.util.HashSet<>(); // unreadable: the manifest stage recovers it and says so
        }
        return out;
    }

    /** Every command starts here: outside a site, say so and how to point at one. */
    static NotASiteException notASite(SiteRoot root, String provenance) {
        return new NotASiteException(root.root() + " is not a site root: it has no " + provenance + " (the site's image "
                + "provenance). Run imagevision in the folder that holds static/, or pass --root DIR; a site that keeps "
                + "its provenance elsewhere names it in imagevision.json (\"paths\": {\"provenance\": \"...\"}). "
                + "To try the tool first: imagevision demo");
    }

    /** The folder a command was pointed at is not a site. */
    public static final class NotASiteException extends IllegalArgumentException {
        NotASiteException(String message) {
            super(message);
        }
    }

    /**
     * Provenance as an object with "entries", a top-level array, or a map keyed by path. A row that
     * is not an object or has a field of the wrong type is one bad entry, refused by name; only a
     * file that is not JSON at all, or has no list of rows, stops the run.
     */
    static List<ProvenanceEntry> readProvenance(Path file, List<Refusal> refused) {
        JsonNode tree = Json.readTree(file);
        JsonNode entries = tree.isObject() && tree.has("entries") ? tree.get("entries") : tree;
        List<ProvenanceEntry> out = new ArrayList<>();
        if (entries.isArray()) {
            int i = 0;
            for (JsonNode e : entries) {
                row(e, null, "entry #" + i, refused).ifPresent(out::add);
                i++;
            }
        } else if (entries.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = entries.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isObject() && tree == entries) continue; // header fields of a path-keyed file (schema_version, …)
                row(e.getValue(), e.getKey(), e.getKey(), refused)
                        .map(r -> r.path() == null ? r.withPath(e.getKey()) : r).ifPresent(out::add);
            }
        } else {
            throw new SiteFileException(file, "expected an array of entries, an object with \"entries\", or a map keyed by path");
        }
        return out;
    }

    /** One provenance row, or a refusal naming it (by its path when it has one) and the field that is wrong. */
    private static Optional<ProvenanceEntry> row(JsonNode node, String key, String where, List<Refusal> refused) {
        JsonNode path = node.isObject() ? node.get("path") : null;
        String name = path != null && path.isTextual() ? path.asText() : key != null ? key : where;
        if (!node.isObject()) {
            refused.add(new Refusal(name, "provenance " + where + " is not an object; the row is skipped"));
            return Optional.empty();
        }
        try {
            return Optional.of(Json.LENIENT.treeToValue(node, ProvenanceEntry.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            refused.add(new Refusal(name, "provenance " + where + " is unusable: " + Json.field(e)
                    + "; the row is skipped"));
            return Optional.empty();
        }
    }

    /**
     * The missions index, or none when the file does not exist (every group is then a non-mission
     * group). Read typed from the file's bytes, so a wrong type names its line and column.
     */
    static Map<String, Mission> readMissions(Path file) {
        if (!Files.exists(file)) return Collections.emptyMap();
        JsonNode tree = Json.readTree(file);
        boolean wrapped = tree.isObject() && tree.has("missions");
        JsonNode list = wrapped ? tree.get("missions") : tree;
        if (!list.isArray()) throw new SiteFileException(file, "expected an array of missions");
        Mission[] rows = wrapped ? Json.read(file, Json.LENIENT, MissionsFile.class).missions()
                : Json.read(file, Json.LENIENT, Mission[].class);
        Map<String, Mission> out = new TreeMap<>();
        for (Mission mission : rows) {
            if (mission != null && mission.id() != null) out.put(mission.id(), mission);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The wrapped form {@code {"missions": [...]}}. */
    record MissionsFile(@com.fasterxml.jackson.annotation.JsonProperty("missions") Mission[] missions) {
        MissionsFile {
            if (missions == null) missions = new Mission[0];
        }
    }

    public Path file(String relative) {
        return root.file(relative);
    }
}
