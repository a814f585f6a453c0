package dev.imagevision.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.imagevision.pipeline.Pipeline;
import dev.imagevision.pipeline.Progress;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.pipeline.RunOptions;
import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Site;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.VisionProvider;
import dev.imagevision.vision.local.LocalProvider;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real site for the report tests: five images from the bundled sample site in three
 * groups, provenance in the site's format with hostile text in it, a missions index, and a
 * provider that is the real local one with two hostile subjects put in its mouth, counting calls.
 * Shared with the preview's browser tests.
 */
public final class FixtureSite {
    public static final String XSS_IMG = "<img src=x onerror=alert(1)>";
    public static final String XSS_SCRIPT = "</script><script>alert(2)</script>";
    public static final String XSS_CREDIT = "<img src=x onerror=alert(5)>";
    public static final String XSS_TITLE = "</script><script>alert(6)</script><!--";
    /** A real file name that is also markup. */
    public static final String ODD_NAME = "\"><svg onload=alert(4)>.jpg";

    public static final String ARTEMIS_02 = "/images/missions/artemis3/02.jpg";
    public static final String ARTEMIS_03 = "/images/missions/artemis3/03.jpg";
    public static final String CREW_03 = "/images/missions/crew-4/03.jpg";
    public static final String CREW_ODD = "/images/missions/crew-4/" + ODD_NAME;
    public static final String RS25 = "/images/fleet-galleries/rs-25/01.jpg";

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-08-01T10:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private FixtureSite() {}

    /** The bundled sample site (tests run with the project folder as working directory). */
    static Path sample() {
        Path p = Path.of("sample-site").toAbsolutePath();
        if (!Files.isDirectory(p)) throw new IllegalStateException("run the tests from the project folder: " + p + " is missing");
        return p;
    }

    public static Site create(Path root) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(ARTEMIS_02, "/images/missions/artemis3/02.jpg");
        files.put(ARTEMIS_03, "/images/missions/artemis3/03.jpg");
        files.put(CREW_03, "/images/missions/crew-4/03.jpg");
        files.put(CREW_ODD, "/images/missions/crew-4/02.jpg");
        files.put(RS25, "/images/fleet-galleries/rs-25/01.jpg");
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path dest = root.resolve("static").resolve(f.getKey().substring(1));
            Files.createDirectories(dest.getParent());
            Files.copy(sample().resolve("static").resolve(f.getValue().substring(1)), dest, StandardCopyOption.REPLACE_EXISTING);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", "fixture" + n++);
            row.put("path", f.getKey());
            row.put("source_type", "curated-url");
            row.put("agency", "NASA");
            row.put("title", f.getKey().equals(RS25) ? XSS_TITLE : "Sample frame " + n);
            row.put("author", "NASA");
            row.put("credit", f.getKey().equals(RS25) ? XSS_CREDIT : "NASA/JSC");
            row.put("license_short", "PD-NASA");
            row.put("license_url", f.getKey().equals(RS25) ? "javascript:alert(3)" : "https://www.nasa.gov/multimedia/guidelines/");
            rows.add(row);
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("schema_version", 1);
        provenance.put("generated_at", "2026-07-01T00:00:00.000Z");
        provenance.put("entries", rows);
        Path data = root.resolve("static/data");
        Files.createDirectories(data.resolve("missions"));
        JSON.writeValue(data.resolve("image-provenance.json").toFile(), provenance);
        JSON.writeValue(data.resolve("missions/index.json").toFile(), List.of(
                Map.of("id", "artemis3", "agency", "NASA", "dest", "Moon", "status", "PLANNED"),
                Map.of("id", "crew-4", "agency", "NASA/SpaceX", "dest", "ISS", "status", "FLOWN")));
        JSON.writeValue(root.resolve("imagevision.json").toFile(), Map.of("provider", "local"));
        return Site.load(root);
    }

    public static RunSummary score(Site site, VisionProvider provider) throws IOException {
        RunOptions o = new RunOptions(ScopeRequest.defaults(), false, false, false, false, ProviderChoice.of(provider),
                CLOCK, Progress.NONE, new PrintStream(OutputStream.nullOutputStream()), true, false, dev.imagevision.testing.Runs.CODEC);
        return Pipeline.run(Site.load(site.root().root()), o);
    }

    /** The local provider, counting calls, with hostile subjects for two images. */
    public static final class Scripted implements VisionProvider {
        final AtomicInteger calls = new AtomicInteger();
        private final LocalProvider local;

        public Scripted(Site site) {
            this.local = new LocalProvider(dev.imagevision.testing.Runs.CODEC, site.config().maxInputPixels());
        }

        @Override
        public String id() {
            return local.id();
        }

        @Override
        public String model() {
            return local.model();
        }

        @Override
        public String promptVersion() {
            return local.promptVersion();
        }

        @Override
        public Scored judge(Path image, ImageContext context) throws ProviderException {
            calls.incrementAndGet();
            Scored s = local.judge(image, context);
            String subject = switch (context.path()) {
                case ARTEMIS_02 -> XSS_IMG;
                case ARTEMIS_03 -> XSS_SCRIPT;
                default -> null;
            };
            if (subject == null) return s;
            Judgement j = s.judgement();
            return new Scored(new Judgement(j.score(), subject, j.category(), j.focalPoint(), j.subjectBox(),
                    j.subjectMatch(), j.rejectReason()), s.usage());
        }
    }
}
