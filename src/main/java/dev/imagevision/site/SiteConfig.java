package dev.imagevision.site;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.crop.CropSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optional {@code imagevision.json} at the site root. Every key has a default (see README);
 * a key that is absent keeps it. Unknown keys and wrong types are errors naming line and column.
 */
public record SiteConfig(
        Paths paths,
        String provider,
        String model,
        int scoreThreshold,
        long maxInputPixels,
        List<CropSpec> variants,
        int concurrency,
        double costSoftUsd,
        double costHardUsd,
        int uploadMaxEdge,
        Map<String, List<String>> fleetAssets,
        int imageTimeoutSeconds) {

    public static final String FILE_NAME = "imagevision.json";
    /** libvips' default limitInputPixels (0x3FFF squared): what sharp refuses by default. */
    public static final long DEFAULT_MAX_INPUT_PIXELS = 268_402_689L;

    /** Where the site's files live, relative to the site root. */
    public record Paths(String provenance, String missions, String manifest, String curation,
                        String ledger, String report, String cache, String staticDir, String preview) {
        public static Paths defaults() {
            return new Paths("static/data/image-provenance.json", "static/data/missions/index.json",
                    "static/data/image-vision.json", "static/data/image-curation.json",
                    "static/data/image-vision-cost-ledger.json", "static/data/audit-report.html",
                    ".image-cache", "static", "static/data/preview.html");
        }
    }

    public static SiteConfig defaults() {
        Map<String, List<String>> fleet = new LinkedHashMap<>();
        fleet.put("galleries", List.of("/fleet-galleries/"));
        fleet.put("heroes", List.of("/fleet-heroes/", "/heroes/"));
        fleet.put("patches", List.of("/patches/", "/mission-patches/"));
        fleet.put("portraits", List.of("/portraits/", "/crew-portraits/"));
        return new SiteConfig(Paths.defaults(), "anthropic", "claude-sonnet-4-6", 5, DEFAULT_MAX_INPUT_PIXELS,
                List.of(new CropSpec("1x1", 1, 1, 512, 80), new CropSpec("4x3", 4, 3, 1200, 80),
                        new CropSpec("16x9", 16, 9, 1920, 80)),
                8, 50, 200, 1568, fleet, 180);
    }

    public SiteConfig withProvider(String newProvider) {
        return new SiteConfig(paths, newProvider, model, scoreThreshold, maxInputPixels, variants, concurrency,
                costSoftUsd, costHardUsd, uploadMaxEdge, fleetAssets, imageTimeoutSeconds);
    }

    public SiteConfig withModel(String newModel) {
        return new SiteConfig(paths, provider, newModel, scoreThreshold, maxInputPixels, variants, concurrency,
                costSoftUsd, costHardUsd, uploadMaxEdge, fleetAssets, imageTimeoutSeconds);
    }

    /** Reads {@code imagevision.json} under the root, or the defaults when there is none. */
    public static SiteConfig load(Path root) {
        Path file = root.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return defaults();
        }
        ConfigFile raw = Json.read(file, Json.STRICT, ConfigFile.class);
        return raw.resolve(file, defaults());
    }

    /** The file as written; every field optional. */
    record ConfigFile(
            @JsonProperty("paths") PathsFile paths,
            @JsonProperty("provider") String provider,
            @JsonProperty("model") String model,
            @JsonProperty("score_threshold") Integer scoreThreshold,
            @JsonProperty("max_input_pixels") Long maxInputPixels,
            @JsonProperty("variants") Map<String, VariantFile> variants,
            @JsonProperty("concurrency") Integer concurrency,
            @JsonProperty("cost_soft_usd") Double costSoftUsd,
            @JsonProperty("cost_hard_usd") Double costHardUsd,
            @JsonProperty("upload_max_edge") Integer uploadMaxEdge,
            @JsonProperty("fleet_assets") Map<String, List<String>> fleetAssets,
            @JsonProperty("image_timeout_seconds") Integer imageTimeoutSeconds) {

        SiteConfig resolve(Path file, SiteConfig d) {
            Paths p = d.paths();
            if (paths != null) {
                p = new Paths(or(paths.provenance, p.provenance()), or(paths.missions, p.missions()),
                        or(paths.manifest, p.manifest()), or(paths.curation, p.curation()),
                        or(paths.ledger, p.ledger()), or(paths.report, p.report()), or(paths.cache, p.cache()),
                        or(paths.staticDir, p.staticDir()), or(paths.preview, p.preview()));
            }
            insideRoot(file, "provenance", p.provenance());
            insideRoot(file, "missions", p.missions());
            insideRoot(file, "manifest", p.manifest());
            insideRoot(file, "curation", p.curation());
            insideRoot(file, "ledger", p.ledger());
            insideRoot(file, "report", p.report());
            insideRoot(file, "cache", p.cache());
            insideRoot(file, "static_dir", p.staticDir());
            insideRoot(file, "preview", p.preview());
            String prov = or(provider, d.provider());
            if (!prov.equals("anthropic") && !prov.equals("local")) {
                throw new SiteFileException(file, "\"provider\" must be \"anthropic\" or \"local\", got \"" + prov + "\"");
            }
            int threshold = scoreThreshold == null ? d.scoreThreshold() : scoreThreshold;
            check(file, threshold >= 1 && threshold <= 10, "\"score_threshold\" must be 1..10, got " + threshold);
            long pixels = maxInputPixels == null ? d.maxInputPixels() : maxInputPixels;
            check(file, pixels > 0, "\"max_input_pixels\" must be positive, got " + pixels);
            int conc = concurrency == null ? d.concurrency() : concurrency;
            check(file, conc >= 1 && conc <= 64, "\"concurrency\" must be 1..64, got " + conc);
            double soft = costSoftUsd == null ? d.costSoftUsd() : costSoftUsd;
            double hard = costHardUsd == null ? d.costHardUsd() : costHardUsd;
            check(file, soft >= 0 && hard > 0, "\"cost_soft_usd\" and \"cost_hard_usd\" must be positive");
            int upload = uploadMaxEdge == null ? d.uploadMaxEdge() : uploadMaxEdge;
            check(file, upload >= 64 && upload <= 8000, "\"upload_max_edge\" must be 64..8000, got " + upload);
            int imageTimeout = imageTimeoutSeconds == null ? d.imageTimeoutSeconds() : imageTimeoutSeconds;
            check(file, imageTimeout >= 1 && imageTimeout <= 3600,
                    "\"image_timeout_seconds\" must be 1..3600, got " + imageTimeout);
            List<CropSpec> specs = d.variants();
            if (variants != null) {
                specs = new ArrayList<>();
                for (Map.Entry<String, VariantFile> e : variants.entrySet()) {
                    check(file, e.getValue() != null, "variant \"" + e.getKey()
                            + "\" must be an object like {\"max_edge\": 1200, \"quality\": 80}, got null");
                    specs.add(e.getValue().resolve(file, e.getKey(), d));
                }
                check(file, !specs.isEmpty(), "\"variants\" must name at least one ratio");
            }
            Map<String, List<String>> fleet = fleetAssets == null ? d.fleetAssets() : fleetAssets;
            for (Map.Entry<String, List<String>> e : fleet.entrySet()) {
                check(file, e.getValue() != null && e.getValue().stream().noneMatch(v -> v == null || v.isBlank()),
                        "\"fleet_assets\" \"" + e.getKey() + "\" must be a list of path patterns, e.g. [\"/fleet-galleries/\"]");
            }
            return new SiteConfig(p, prov, or(model, d.model()), threshold, pixels, List.copyOf(specs), conc, soft,
                    hard, upload, fleet, imageTimeout);
        }
    }

    record PathsFile(@JsonProperty("provenance") String provenance, @JsonProperty("missions") String missions,
                     @JsonProperty("manifest") String manifest, @JsonProperty("curation") String curation,
                     @JsonProperty("ledger") String ledger, @JsonProperty("report") String report,
                     @JsonProperty("cache") String cache, @JsonProperty("static_dir") String staticDir,
                     @JsonProperty("preview") String preview) {}

    record VariantFile(@JsonProperty("max_edge") Integer maxEdge, @JsonProperty("quality") Integer quality) {
        CropSpec resolve(Path file, String id, SiteConfig d) {
            String[] parts = id.split("x");
            int w;
            int h;
            try {
                if (parts.length != 2) throw new NumberFormatException();
                w = Integer.parseInt(parts[0]);
                h = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new SiteFileException(file, "variant id \"" + id + "\" must look like WxH, e.g. \"16x9\"");
            }
            check(file, w > 0 && h > 0 && w <= 100 && h <= 100, "variant \"" + id + "\" has an unusable ratio");
            CropSpec base = d.variants().stream().filter(v -> v.id().equals(id)).findFirst()
                    .orElse(new CropSpec(id, w, h, 1200, 80));
            int edge = maxEdge == null ? base.maxEdge() : maxEdge;
            int q = quality == null ? base.quality() : quality;
            check(file, edge >= 16 && edge <= 16384, "variant \"" + id + "\" max_edge must be 16..16384, got " + edge);
            check(file, q >= 1 && q <= 100, "variant \"" + id + "\" quality must be 1..100, got " + q);
            return new CropSpec(id, w, h, edge, q);
        }
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * Every configured path stays under the site root: a config arriving in a pull request must not
     * make a CI run write (or read) somewhere else on the machine.
     */
    private static void insideRoot(Path file, String key, String value) {
        boolean ok;
        try {
            Path p = Path.of(value);
            ok = !p.isAbsolute() && !value.startsWith("/") && !value.startsWith("\\") && !p.normalize().startsWith("..");
        } catch (java.nio.file.InvalidPathException e) {
            ok = false;
        }
        check(file, ok, "\"paths." + key + "\" must be a relative path inside the site root, got \"" + value + "\"");
    }

    private static void check(Path file, boolean ok, String message) {
        if (!ok) throw new SiteFileException(file, message);
    }
}
