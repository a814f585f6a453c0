package dev.imagevision.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationException;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.curation.FlagPayload;
import dev.imagevision.eval.LabelFile;
import dev.imagevision.ledger.CallEntry;
import dev.imagevision.ledger.LedgerFile;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.site.SiteFileException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every reader of a file a person or another tool writes, on arbitrary bytes, JSON-token soup and
 * structure-aware mutations of a real file (a value swapped for another type, a field dropped or
 * renamed, a key repeated, the text cut or nested absurdly deep). Whatever the input, each reader
 * either returns or throws its documented error: {@link SiteFileException} for site files (exit
 * 2, naming the file), {@link CurationException} for a flag payload; the caches treat anything
 * unreadable as a miss and never throw. No NPE, no IndexOutOfBounds, no hang.
 */
@Tag("reliability")
class JsonReaderFuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path dir;
    static Bounded bounded;
    static List<Reader> readers;

    /** One reader: where its file goes, a real sample of it, and how it is read. */
    record Reader(String name, byte[] sample, Read read) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Read {
        void read(Path site, byte[] bytes) throws Exception;
    }

    @BeforeContainer
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("json-fuzz");
        bounded = new Bounded(Duration.ofSeconds(10));
        byte[] provenance = trimmed(resource("/orrery-format/image-provenance.sample.json"), "entries", 2);
        byte[] missions = trimmedArray(resource("/orrery-format/missions-index.sample.json"), 4);
        readers = List.of(
                new Reader("config", """
                        {"provider": "local", "model": "m", "score_threshold": 5, "max_input_pixels": 1000000,
                         "variants": {"1x1": {"max_edge": 512, "quality": 80}, "16x9": {"max_edge": 1920}},
                         "concurrency": 2, "cost_soft_usd": 50, "cost_hard_usd": 200.5, "upload_max_edge": 1568,
                         "fleet_assets": {"galleries": ["/fleet-galleries/"]},
                         "paths": {"provenance": "static/data/image-provenance.json", "cache": ".image-cache", "static_dir": "static"}}
                        """.getBytes(StandardCharsets.UTF_8), (site, b) -> {
                    Files.write(site.resolve(SiteConfig.FILE_NAME), b);
                    SiteConfig.load(site);
                }),
                new Reader("provenance", provenance, (site, b) -> {
                    Files.write(site.resolve("static/data/image-provenance.json"), b);
                    Files.write(site.resolve("static/data/missions/index.json"), missions);
                    Site.load(site, SiteConfig.defaults());
                }),
                new Reader("missions", missions, (site, b) -> {
                    Files.write(site.resolve("static/data/image-provenance.json"), provenance);
                    Files.write(site.resolve("static/data/missions/index.json"), b);
                    Site.load(site, SiteConfig.defaults()).missions().values().forEach(m -> m.missionStatus());
                }),
                new Reader("curation", """
                        {"version": "1.0", "note": "kept", "entries": [
                          {"path": "/images/missions/juice/02.jpg", "reason": "juice drink", "flaggedAt": "2026-10-01T00:00:00.000Z"},
                          {"path": "static/images/x/01.jpg", "focal_point": {"x": 0.2, "y": 0.8},
                           "subject_box": {"x": 0.1, "y": 0.1, "w": 0.5, "h": 0.5}, "category": "surface", "extra": [1]}]}
                        """.getBytes(StandardCharsets.UTF_8), (site, b) -> {
                    Path f = Files.write(site.resolve("curation.json"), b);
                    Curation c = CurationFile.read(f);
                    c.recentReasons();
                    c.byPath();
                    CurationFile.bytes(c);
                }),
                new Reader("manifest", trimmed(resource("/orrery-format/image-vision.sample.json"), "entries", 2), (site, b) -> {
                    Path f = Files.write(site.resolve("manifest.json"), b);
                    Manifest m = ManifestFile.read(f);
                    ManifestFile.bytes(m);
                }),
                new Reader("ledger", trimmed(resource("/orrery-format/cost-ledger.json"), "entries", 2), (site, b) -> {
                    Path f = Files.write(site.resolve("ledger.json"), b);
                    ObjectNode ledger = LedgerFile.read(f);
                    LedgerFile.callRows(ledger);
                    // what a paid run does next: append its calls and recount the month
                    LedgerFile.bytes(LedgerFile.withCalls(ledger, List.of(new CallEntry("2026-11-01T12:00:00.000Z",
                            "/images/x/01.jpg", "anthropic", "claude-sonnet-4-6", 1500, 120, 0, 0, new BigDecimal("0.0063"),
                            false, "run-1", "call-1"))));
                }),
                new Reader("labels", trimmedArray(resource("/eval/sample-site-labels.json"), 2), (site, b) -> {
                    Path f = Files.write(site.resolve("labels.json"), b);
                    LabelFile.read(f);
                }),
                new Reader("flag-payload", "{\"path\": \"/images/missions/juice/02.jpg\", \"reason\": \"juice drink\"}"
                        .getBytes(StandardCharsets.UTF_8), (site, b) -> FlagPayload.parse(new String(b, StandardCharsets.UTF_8))),
                new Reader("stat-index", ("{\"version\": 1, \"files\": {\"/images/x/01.jpg\": {\"size\": 10, \"mtime\": 5, "
                        + "\"sha256\": \"ab\"}}}").getBytes(StandardCharsets.UTF_8), (site, b) -> {
                    Path f = Files.write(site.resolve(".image-cache/stat-index.json"), b);
                    StatIndex.load(f);
                }),
                new Reader("score-cache", scoreRecord(), (site, b) -> {
                    String key = "ab".repeat(32);
                    Path f = site.resolve(".image-cache/scores/ab/" + key + ".json");
                    Files.createDirectories(f.getParent());
                    Files.write(f, b);
                    new ScoreCache(site.resolve(".image-cache")).get(key);
                }));
        Files.createDirectories(dir.resolve("static/data/missions"));
        Files.createDirectories(dir.resolve(".image-cache"));
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        bounded.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = JsonReaderFuzzTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            return in.readAllBytes();
        }
    }

    /** The file with only the first {@code n} rows of its list or map under {@code key}: small inputs mutate well. */
    static byte[] trimmed(byte[] json, String key, int n) throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(json);
        JsonNode rows = tree.get(key);
        if (rows.isArray()) {
            ArrayNode kept = JSON.createArrayNode();
            for (int i = 0; i < Math.min(n, rows.size()); i++) kept.add(rows.get(i));
            tree.set(key, kept);
        } else {
            ObjectNode kept = JSON.createObjectNode();
            var it = rows.fields();
            for (int i = 0; i < n && it.hasNext(); i++) {
                var e = it.next();
                kept.set(e.getKey(), e.getValue());
            }
            tree.set(key, kept);
        }
        return JSON.writeValueAsBytes(tree);
    }

    static byte[] trimmedArray(byte[] json, int n) throws IOException {
        JsonNode rows = JSON.readTree(json);
        ArrayNode kept = JSON.createArrayNode();
        for (int i = 0; i < Math.min(n, rows.size()); i++) kept.add(rows.get(i));
        return JSON.writeValueAsBytes(kept);
    }

    static byte[] scoreRecord() {
        return ("{\"key\": \"" + "ab".repeat(32) + "\", \"path\": \"/images/x/01.jpg\", \"provider\": \"local\", "
                + "\"model\": \"m\", \"prompt_version\": \"p\", \"source_sha256\": \"cd\", \"failed\": false, \"error\": null, "
                + "\"judgement\": {\"score\": 7, \"subject\": \"a rover\", \"category\": \"surface\", "
                + "\"focal_point\": {\"x\": 0.5, \"y\": 0.5}, \"subject_box\": {\"x\": 0.1, \"y\": 0.1, \"w\": 0.5, \"h\": 0.5}, "
                + "\"subject_match\": true, \"reject_reason\": null}, \"usage\": {\"input_tokens\": 1, \"output_tokens\": 2}, "
                + "\"scored_at\": \"2026-11-01T12:00:00.000Z\"}").getBytes(StandardCharsets.UTF_8);
    }

    // ---- properties ----------------------------------------------------------------------------

    @Property(tries = 200, seed = "9001", shrinking = ShrinkingMode.BOUNDED)
    void arbitraryBytes(@ForAll("reader") Reader reader, @ForAll @Size(max = 300) byte[] bytes) throws Exception {
        readOnly(reader, bytes);
    }

    @Property(tries = 300, seed = "9002", shrinking = ShrinkingMode.BOUNDED)
    void jsonTokenSoup(@ForAll("reader") Reader reader, @ForAll("soup") String text) throws Exception {
        readOnly(reader, text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 600, seed = "9003", shrinking = ShrinkingMode.BOUNDED)
    void mutatedRealFiles(@ForAll("mutants") Mutant m) throws Exception {
        readOnly(m.reader(), m.bytes());
    }

    /**
     * Exhaustive where random tries are thin: in every real sample, every value in turn swapped for
     * every hostile value, and every field in turn removed.
     */
    @Example
    void everySingleValueSwappedOrRemoved() throws Exception {
        int reads = 0;
        for (Reader reader : readers) {
            JsonNode sample = JSON.readTree(reader.sample());
            List<JsonNode> containers = new ArrayList<>();
            collect(sample, containers);
            for (int c = 0; c < containers.size(); c++) {
                int slots = containers.get(c).size();
                for (int slot = 0; slot < slots; slot++) {
                    for (int v : SWEEP) {
                        JsonNode copy = sample.deepCopy();
                        List<JsonNode> inCopy = new ArrayList<>();
                        collect(copy, inCopy);
                        JsonNode target = inCopy.get(c);
                        if (target instanceof ObjectNode o) {
                            String name = new ArrayList<>(iterable(o.fieldNames())).get(slot);
                            if (v < 0) o.remove(name);
                            else o.set(name, hostileValue(v));
                        } else if (target instanceof ArrayNode a) {
                            if (v < 0) a.remove(slot);
                            else a.set(slot, hostileValue(v));
                        }
                        readOnly(reader, JSON.writeValueAsBytes(copy));
                        reads++;
                    }
                }
            }
        }
        assertThat(reads).isGreaterThan(1500);
    }

    static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    record Mutant(Reader reader, byte[] bytes) {
        @Override
        public String toString() {
            return reader.name() + ": " + new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Provide
    Arbitrary<Reader> reader() {
        return Arbitraries.of(readers);
    }

    @Provide
    Arbitrary<String> soup() {
        return Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\"path\"", "\"entries\"", "\"version\"", "\"missions\"",
                        "\"variants\"", "\"x\"", "null", "true", "false", "0", "-1", "1e999", "99999999999999999999", "1.5",
                        "\"\\u0000\"", "\"\\ud800\"", " ", "\n", "\\", "NaN", "/*", "//")
                .list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<Mutant> mutants() {
        return Combinators.combine(Arbitraries.of(readers), Arbitraries.longs(), Arbitraries.integers().between(1, 3))
                .as((reader, seed, n) -> {
                    Random r = new Random(seed);
                    byte[] b = reader.sample();
                    for (int i = 0; i < n; i++) b = mutate(b, r);
                    return new Mutant(reader, b);
                });
    }

    static byte[] mutate(byte[] bytes, Random r) {
        int kind = r.nextInt(10);
        if (kind < 6) {
            try {
                JsonNode tree = JSON.readTree(bytes);
                if (tree != null && (tree.isContainerNode())) return JSON.writeValueAsBytes(mutateTree(tree, r));
            } catch (IOException e) {
                // already broken text: mutate the text instead
            }
        }
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.isEmpty()) return "{".getBytes(StandardCharsets.UTF_8);
        int at = r.nextInt(s.length());
        String out = switch (kind % 5) {
            case 0 -> s.substring(0, at); // cut short
            case 1 -> s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + r.nextInt(8))); // bytes lost
            case 2 -> "[".repeat(3000) + s + "]".repeat(3000); // nesting past any sane depth
            case 3 -> { // a key repeated
                int brace = s.indexOf('{', at);
                yield brace < 0 ? s + "}" : s.substring(0, brace + 1) + "\"path\": 1, \"path\": 2, " + s.substring(brace + 1);
            }
            default -> s.substring(0, at) + "\u0000\uFEFF\\u0000" + s.substring(at); // control and BOM characters
        };
        return out.getBytes(StandardCharsets.UTF_8);
    }

    /** One node somewhere in the tree replaced by another type, removed, renamed or duplicated. */
    static JsonNode mutateTree(JsonNode root, Random r) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(r.nextInt(containers.size()));
        JsonNode value = hostileValue(r);
        if (target instanceof ObjectNode o && !o.isEmpty()) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(r.nextInt(names.size()));
            switch (r.nextInt(4)) {
                case 0 -> o.remove(name);
                case 1 -> o.set(name.toUpperCase(java.util.Locale.ROOT) + "_", o.remove(name));
                case 2 -> o.set("unknown_" + r.nextInt(3), value);
                default -> o.set(name, value);
            }
        } else if (target instanceof ArrayNode a && !a.isEmpty()) {
            int i = r.nextInt(a.size());
            switch (r.nextInt(3)) {
                case 0 -> a.remove(i);
                case 1 -> a.add(a.get(i).deepCopy());
                default -> a.set(i, value);
            }
        } else if (target instanceof ArrayNode a) {
            a.add(value);
        } else if (target instanceof ObjectNode o) {
            o.set("path", value);
        }
        return root;
    }

    static void collect(JsonNode n, List<JsonNode> out) {
        if (!n.isContainerNode()) return;
        out.add(n);
        for (JsonNode child : n) collect(child, out);
    }

    static final int HOSTILE_VALUES = 16;
    /** The sweep's substitutions, one of each kind: removal (-1), null, "", -1, a 40-digit number, true, [], {}, control characters. */
    static final int[] SWEEP = {-1, 0, 1, 4, 6, 9, 10, 11, 14};

    static JsonNode hostileValue(Random r) {
        return hostileValue(r.nextInt(HOSTILE_VALUES));
    }

    static JsonNode hostileValue(int which) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (which) {
            case 0 -> f.nullNode();
            case 1 -> f.textNode("");
            case 2 -> f.textNode("../../../etc/passwd");
            case 3 -> f.numberNode(0);
            case 4 -> f.numberNode(-1);
            case 5 -> f.numberNode(Long.MAX_VALUE);
            case 6 -> f.numberNode(new BigInteger("9".repeat(40)));
            case 7 -> f.numberNode(1e308);
            case 8 -> f.numberNode(-0.5);
            case 9 -> f.booleanNode(true);
            case 10 -> f.arrayNode();
            case 11 -> f.objectNode();
            case 12 -> f.arrayNode().add(f.nullNode());
            case 13 -> f.textNode("x".repeat(5000));
            case 14 -> f.textNode("\u0000\u001b[2J\u202e");
            default -> f.objectNode().set("x", f.arrayNode().add(f.objectNode()));
        };
    }

    /** Reads; passes when the reader returns or throws its documented error, fails on anything else. */
    static void readOnly(Reader reader, byte[] bytes) throws Exception {
        bounded.run(reader.name() + " on " + bytes.length + " bytes", () -> {
            try {
                reader.read().read(dir, bytes);
            } catch (SiteFileException e) {
                assertThat(reader.name()).as("a site file error from a reader that documents none: " + e)
                        .isNotIn("flag-payload", "stat-index", "score-cache");
                assertThat(e.getMessage()).as("names the file").contains(dir.toString());
                assertThat(e.getMessage()).doesNotContain("null:").doesNotContain("NullPointerException");
            } catch (CurationException e) {
                assertThat(reader.name()).as("a payload error from " + reader.name() + ": " + e).isEqualTo("flag-payload");
                assertThat(e.getMessage()).isNotBlank();
            }
            return null;
        });
    }
}
