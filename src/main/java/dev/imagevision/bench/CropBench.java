package dev.imagevision.bench;

import dev.imagevision.site.Json;
import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.cache.FanOut;
import dev.imagevision.cache.Hashing;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.crop.CropSpec;
import dev.imagevision.crop.DecodeBudget;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageCodec;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The crop stage alone, timed: every image of a folder through the full variant job (header and
 * guard, windows, one decode, scale, encode, write), the way the variants stage does it, without
 * caches. What to cut is settled before the clock starts, as the peer benchmark does.
 */
public final class CropBench {
    private static final Pattern VARIANT = Pattern.compile(".*\\.\\d+x\\d+\\.jpe?g$", Pattern.CASE_INSENSITIVE);

    private CropBench() {}

    /** One image to cut, with the focal point and box it is cut around (null: the centre, no box). */
    public record Job(Path file, FocalPoint focal, SubjectBox box) {}

    /** What a folder holds for the benchmark: the jobs, the specs and the pixel guard to use. */
    public record Work(List<Job> jobs, List<CropSpec> specs, long maxInputPixels, boolean siteRoot, int withFocalPoint) {}

    /** A failed image and why. */
    public record Failure(Path file, String message) {}

    public record Result(int images, int failed, double seconds, int threads, List<Failure> failures) {
        public double imagesPerSecond() {
            return seconds <= 0 ? 0 : images / seconds;
        }
    }

    /**
     * A site root (it has provenance): its source images, each around its cached focal point and
     * box when the site's score cache has one. Any other folder: every file in it, recursively,
     * except variants we wrote ({@code name.WxH.jpg}), around the centre; non-images fail like
     * they would in a run.
     */
    public static Work work(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(SiteConfig.Paths.defaults().provenance()))
                || Files.isRegularFile(dir.resolve(SiteConfig.FILE_NAME))) {
            return siteWork(dir);
        }
        SiteConfig d = SiteConfig.defaults();
        List<Job> jobs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).filter(p -> !VARIANT.matcher(p.getFileName().toString()).matches())
                    .sorted().forEach(p -> jobs.add(new Job(p, null, null)));
        }
        return new Work(jobs, d.variants(), d.maxInputPixels(), false, 0);
    }

    private static Work siteWork(Path dir) throws IOException {
        Site site = Site.load(dir);
        SiteRoot root = site.root();
        Map<String, Judgement> bySha = cachedJudgements(site.file(site.config().paths().cache()).resolve("scores"),
                site.config().provider());
        List<Job> jobs = new ArrayList<>();
        int withFocal = 0;
        for (SourceImage s : site.sources()) {
            Path file;
            try {
                file = root.readableImage(s.path());
            } catch (SiteRoot.PathEscapeException e) {
                continue;
            }
            if (!Files.isRegularFile(file)) continue;
            Judgement j = bySha.get(Hashing.file(file));
            if (j != null) withFocal++;
            jobs.add(new Job(file, j == null ? null : j.focalPoint(), j == null ? null : j.subjectBox()));
        }
        return new Work(jobs, site.config().variants(), site.config().maxInputPixels(), true, withFocal);
    }

    /** Usable cached judgements by source hash; the configured provider's win, then the first by key. */
    static Map<String, Judgement> cachedJudgements(Path scoresDir, String preferredProvider) throws IOException {
        Map<String, ScoreRecord> best = new TreeMap<>();
        if (!Files.isDirectory(scoresDir)) return Map.of();
        List<Path> files;
        try (Stream<Path> s = Files.walk(scoresDir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            ScoreRecord r;
            try {
                r = Json.LENIENT.readValue(f.toFile(), ScoreRecord.class);
            } catch (IOException | RuntimeException e) {
                continue; // a foreign or torn file is no focal point
            }
            if (r == null || !r.usable() || r.sourceSha256() == null) continue;
            ScoreRecord had = best.get(r.sourceSha256());
            if (had == null || !preferredProvider.equals(had.provider()) && preferredProvider.equals(r.provider())) {
                best.put(r.sourceSha256(), r);
            }
        }
        Map<String, Judgement> out = new TreeMap<>();
        best.forEach((sha, r) -> out.put(sha, r.judgement()));
        return out;
    }

    /** Cuts every job on {@code threads} workers within the default decode budget, writing into {@code out}. */
    public static Result run(Work work, Path out, int threads, LongSupplier nanoTime, ImageCodec codec) throws IOException {
        VariantCutter cutter = new VariantCutter(codec, work.maxInputPixels());
        DecodeBudget budget = new DecodeBudget(DecodeBudget.DEFAULT_BYTES);
        Files.createDirectories(out);
        List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        int n = Math.max(1, threads);
        long t0 = nanoTime.getAsLong();
        FanOut.forEach(java.util.stream.IntStream.range(0, work.jobs().size()).boxed().toList(), n, i -> {
            Job job = work.jobs().get(i);
            String base = String.format("%05d", i);
            try {
                VariantCutter.Plan plan = cutter.plan(job.file(), job.focal(), job.box(), work.specs());
                VariantCutter.Cut cut = budget.run(plan.decodedBytes(), () -> cutter.cut(plan));
                for (VariantCutter.Variant v : cut.variants()) {
                    AtomicFiles.write(out.resolve(base + "." + v.spec().id() + ".jpg"), v.jpeg());
                }
            } catch (ImageException e) {
                failures.add(new Failure(job.file(), e.getMessage()));
            }
        });
        double seconds = (nanoTime.getAsLong() - t0) / 1e9;
        List<Failure> sorted = new ArrayList<>(failures);
        sorted.sort(java.util.Comparator.comparing(f -> f.file().toString()));
        return new Result(work.jobs().size() - sorted.size(), sorted.size(), seconds, n, sorted);
    }
}
