package dev.imagevision.spark;

import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.crop.ImageCodec;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.crop.Raster;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.inventory.Image;
import dev.imagevision.inventory.Inventory;
import dev.imagevision.inventory.Problem;
import dev.imagevision.judgements.Decision;
import dev.imagevision.judgements.Judged;
import dev.imagevision.judgements.Judgements;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.judgements.Spending;
import dev.imagevision.ledger.CostLedger;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestBuilder;
import dev.imagevision.pipeline.DryRun;
import dev.imagevision.pipeline.ManifestStage;
import dev.imagevision.pipeline.PerImage;
import dev.imagevision.pipeline.Pipeline;
import dev.imagevision.pipeline.PreviousManifest;
import dev.imagevision.pipeline.Progress;
import dev.imagevision.pipeline.ReportStage;
import dev.imagevision.pipeline.RunLock;
import dev.imagevision.pipeline.RunOptions;
import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.report.AuditReport;
import dev.imagevision.report.Thumbnails;
import dev.imagevision.scope.Scope;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Json;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.site.SourceImage;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code score} run on Apache Spark. The driver holds the site's small files (config,
 * provenance, manifest, curation, ledger) in a local folder and runs the CLI's stages on them; the
 * per-image work runs in tasks, in two phases:
 * <ol>
 *   <li>facts: each source's bytes, hash, score key, cached score and variant paths ({@link FactsTask});
 *       the driver then takes scope and the one {@link Decision} per image as the CLI does, and admits
 *       the images that need a paid call under the hard cost limit at their cost ceiling;</li>
 *   <li>judge and cut: the admitted images through {@code Judgements} and {@code Variants}
 *       ({@link JudgeTask}).</li>
 * </ol>
 * The driver then writes the manifest, folds the tasks' journals into the cost ledger, writes the
 * report and publishes what changed. It never decodes an image or calls a provider: its codec
 * refuses to decode, and the report's thumbnails and crop sizes come from the tasks.
 */
public final class SparkPipeline {
    private SparkPipeline() {}

    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * One run's options: the CLI's, plus where the site is and how the work is split.
     *
     * @param site         the site root as a Hadoop file system URI ({@code file:///…}, {@code hdfs://…}, {@code s3a://…}) or a local path
     * @param providerName {@code --provider}, or null for the site's config
     * @param partitions   tasks per phase at most; 0 for the cluster's default parallelism
     */
    public record Options(String site, ScopeRequest scope, boolean forceScore, boolean skipScoring, boolean skipCrops,
                         boolean dryRun, String providerName, boolean writeReport, Clock clock, PrintStream log,
                         int partitions, ProviderFactory providers) {
        public Options withClock(Clock c) {
            return new Options(site, scope, forceScore, skipScoring, skipCrops, dryRun, providerName, writeReport, c, log,
                    partitions, providers);
        }
    }

    /**
     * The run's summary (as {@code score --json} prints it) and how Spark ran it.
     *
     * @param provider the provider the run used
     * @param tasks    tasks that ran the per-image work, both phases
     */
    public record Result(RunSummary summary, String provider, String master, int partitions, int tasks) {}

    /** Which library (and revision of its use) the workers cut with: part of every variant's cache key. */
    static final String WORKER_LIBRARY = new OpenCvCodec().libraryMajorVersion(); // loads no native code

    /** The codec of the driver: it knows which library the workers cut with, and refuses to decode. */
    static final ImageCodec DRIVER_CODEC = new ImageCodec() {
        @Override
        public Raster decode(Path file, ImageHeader header, int reduction) throws ImageException {
            throw new IllegalStateException("the driver never decodes an image (" + file + "): that is the workers' job");
        }

        @Override
        public byte[] cutScaleEncode(Raster raster, int x, int y, int w, int h, int outW, int outH, int quality) {
            throw new IllegalStateException("the driver never cuts an image: that is the workers' job");
        }

        @Override
        public String libraryMajorVersion() {
            return WORKER_LIBRARY;
        }
    };

    public static Result run(SparkSession spark, Options o) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SiteStore store = SiteStore.at(o.site(), jsc.hadoopConfiguration());
        SiteFiles files = SiteFiles.pull(store);
        Path mirror = files.materialize(Files.createTempDirectory("imagevision-driver"));
        try {
            return run(jsc, store, files, mirror, o);
        } finally {
            SiteFiles.deleteTree(mirror);
        }
    }

    private static Result run(JavaSparkContext jsc, SiteStore store, SiteFiles files, Path mirror, Options o)
            throws IOException {
        SiteConfig config = SiteConfig.load(mirror);
        if (o.providerName() != null) config = config.withProvider(o.providerName());
        if (files.get(config.paths().provenance()).isEmpty()) {
            throw new IllegalArgumentException(store.root() + " is not a site root: it has no " + config.paths().provenance()
                    + " (the site's image provenance). Pass the folder that holds static/ as the site URI");
        }
        Site site = Site.load(mirror, config);
        // a site on this machine's file system takes the CLI's lock: never two writers at once, either engine
        try (RunLock lock = o.dryRun() || !store.scheme().equals("file") ? null
                : RunLock.acquire(Path.of(java.net.URI.create(store.root())).resolve(config.paths().cache()))) {
            if (lock != null) {
                Path local = Path.of(java.net.URI.create(store.root()));
                lock.sweepAfterUncleanExit(local.resolve(config.paths().staticDir()), local.resolve(config.paths().cache()));
            }
            Result r = run(jsc, store, files, mirror, o, config, site);
            if (lock != null) lock.markClean();
            return r;
        }
    }

    private static Result run(JavaSparkContext jsc, SiteStore store, SiteFiles files, Path mirror, Options o,
                              SiteConfig config, Site site) throws IOException {
        PrintStream log = o.log();
        if (o.scope().changedPaths() != null) {
            throw new IllegalArgumentException("--changed-since needs the site's git work tree; the Spark engine reads the "
                    + "site through a file system URI. Use the CLI, or another scope flag");
        }
        Scope.validate(site.sources(), o.scope(), config.fleetAssets(), site.missions().keySet());
        Curation curation = CurationFile.read(site.file(config.paths().curation()));
        List<Problem> problems = new ArrayList<>();
        Manifest previous = PreviousManifest.read(site, problems, log, o.dryRun());
        boolean malformedManifest = !problems.isEmpty();
        ProviderChoice choice = o.providers().choose(site); // its identity only: the driver never builds a provider

        String nonce = Long.toString(new java.security.SecureRandom().nextLong() >>> 1, 36);
        String runId = "run-" + RUN_ID.format(o.clock().instant()) + "-spark-" + nonce;
        int executors = executors(jsc);
        int share = Math.max(1, (config.concurrency() + executors - 1) / executors);
        var id = choice.identity();
        RunContext ctx = new RunContext(store, files, runId, o.clock(), config.provider(), share,
                new String[] {id.id(), id.model(), id.promptVersion()}, o.writeReport() && !o.dryRun(), o.providers());
        Broadcast<RunContext> bc = jsc.broadcast(ctx);
        int partitions = o.partitions() > 0 ? o.partitions() : jsc.defaultParallelism();
        int tasks = 0;

        // phase one: every source's facts, read by the workers
        List<String> paths = site.sources().stream().map(SourceImage::path).toList();
        Map<String, ImageFacts> facts = new HashMap<>();
        if (!paths.isEmpty()) {
            JavaRDD<String> sources = jsc.parallelize(paths, Math.min(partitions, paths.size()));
            tasks += sources.getNumPartitions();
            for (String line : sources.mapPartitions(new FactsTask(bc)).collect()) {
                ImageFacts f = ImageFacts.fromJson(line);
                facts.put(f.path(), f);
            }
        }
        Map<String, CurationEntry> rows = curation.byPath();
        List<Image> images = new ArrayList<>();
        for (SourceImage s : site.sources()) {
            ImageFacts f = facts.get(s.path());
            images.add(f.image(s, f.relative() == null ? null : site.root().root().resolve(f.relative()), rows.get(s.path()),
                    previous.entries().get(s.path())));
        }
        Inventory inventory = Inventory.of(site, images);
        if (inventory.note() != null) log.println(inventory.note());
        RunOptions ro = new RunOptions(o.scope(), o.forceScore(), o.skipScoring(), o.skipCrops(), o.dryRun(), choice,
                o.clock(), Progress.NONE, log, o.writeReport(), false, DRIVER_CODEC);
        Map<String, Decision> decisions = Pipeline.decisions(
                Pipeline.inScope(inventory, site, ro, DRIVER_CODEC.libraryMajorVersion()), ro);
        if (o.dryRun()) {
            List<ManifestBuilder.Dropped> wouldDrop = ManifestBuilder.gone(previous, inventory.present());
            for (ManifestBuilder.Dropped d : wouldDrop) log.println("would drop " + d.path() + " from the manifest: " + d.reason());
            problems.addAll(inventory.problems());
            return new Result(DryRun.summary(decisions.values(), ro, Spending.ledgerFile(site),
                    java.math.BigDecimal.valueOf(site.config().costHardUsd()), wouldDrop.size(), problems),
                    config.provider(), jsc.master(), partitions, tasks);
        }
        if (choice.paid()) {
            // a malformed ledger, or one with a row that cannot be counted as money, stops a paid run before it
            // spends; the state it keeps sits where Journals.fold's journal does, so the fold need not read it again
            Path ledgerFile = Spending.ledgerFile(site);
            CostLedger.check(ledgerFile, ledgerFile.resolveSibling("spark-journal.jsonl"));
        }

        // admission: what the hard cost limit allows, at each image's ceiling, before anything is sent
        Map<String, Image> byPath = new LinkedHashMap<>();
        for (Image i : inventory.images()) if (decisions.containsKey(i.path())) byPath.put(i.path(), i);
        Admission admission = Admission.of(byPath.values(), decisions, choice, config);
        Map<String, PerImage.Done> done = new TreeMap<>();
        List<String> work = new ArrayList<>();
        for (Image i : byPath.values()) {
            Decision d = decisions.get(i.path());
            if (d == Decision.UNUSABLE) {
                done.put(i.path(), new PerImage.Done(Judgements.without(i, d), null));
            } else if (d == Decision.CALL && !admission.admitted().contains(i.path())) {
                ScoreRecord kept = i.cachedJudgement() != null ? i.cached() : null;
                Judged j = new Judged(i, Decision.CALL, kept, false,
                        List.of(new Problem(i.path(), Problem.DEFERRED, admission.refusal())));
                // a forced re-score not admitted keeps its score and is cut from it, as the CLI does
                if (kept != null && !o.skipCrops()) work.add(new JudgeTask.Work(facts.get(i.path()), Decision.CACHED).json());
                done.put(i.path(), new PerImage.Done(j, null));
            } else {
                work.add(new JudgeTask.Work(facts.get(i.path()), d).json());
            }
        }

        // phase two: judge and cut, in the workers
        int freeCalls = 0;
        Map<String, Outcome> outcomes = new HashMap<>();
        if (!work.isEmpty()) {
            JavaRDD<String> rdd = jsc.parallelize(work, Math.min(partitions, work.size()));
            tasks += rdd.getNumPartitions();
            LinkedHashSet<String> lines = new LinkedHashSet<>();
            for (String json : rdd.mapPartitions(new JudgeTask(bc, o.skipCrops())).collect()) {
                TaskResult r = Json.LENIENT.readValue(json, TaskResult.class);
                for (Outcome out : r.outcomes()) outcomes.put(out.path(), out);
                freeCalls += r.calls();
                lines.addAll(r.log());
            }
            lines.forEach(log::println);
        }
        for (Image i : byPath.values()) {
            Outcome out = outcomes.get(i.path());
            if (out == null) continue;
            PerImage.Done d = out.done(i);
            PerImage.Done before = done.get(i.path());
            // an image not admitted keeps its judgement and the refusal; the workers only cut it
            done.put(i.path(), before == null ? d : new PerImage.Done(before.judged(), d.cut()));
        }

        ManifestStage.Written manifest = ManifestStage.write(site, previous, inventory, done, curation, log);

        // money: every attempt's journal folded into the ledger, once
        int calls = freeCalls;
        double cost = 0, unconfirmedUsd = 0;
        int unconfirmedCalls = 0;
        Journals.Folded folded = null;
        if (choice.paid()) {
            folded = Journals.fold(store, config.paths().cache(), Spending.ledgerFile(site), runId);
            calls = folded.billed();
            cost = folded.billedUsd().doubleValue();
            unconfirmedCalls = folded.unconfirmed();
            unconfirmedUsd = folded.unconfirmedUsd().doubleValue();
            BigDecimal spent = folded.billedUsd().add(folded.unconfirmedUsd());
            if (spent.compareTo(BigDecimal.valueOf(config.costSoftUsd())) >= 0 && config.costSoftUsd() > 0) {
                log.println(String.format(Locale.ROOT, "!! cost: this run has spent $%.2f, past the soft limit of $%.2f "
                        + "(cost_soft_usd)", spent, config.costSoftUsd()));
            }
        }

        Path report = null;
        if (o.writeReport()) {
            pullThumbnails(store, site, facts);
            Path index = mirror.resolve(config.paths().cache()).resolve("stat-index.json");
            report = ReportStage.write(site, manifest, curation, dev.imagevision.cache.StatIndex.load(index),
                    new TaskSources(site, facts), DRIVER_CODEC, log);
        }

        // publish: what changed, the ledger before the journals it holds are removed
        publish(store, site, config.paths().manifest());
        if (malformedManifest) publish(store, site, config.paths().manifest() + ".malformed");
        if (folded != null) {
            publish(store, site, config.paths().ledger());
            Journals.remove(store, folded);
        }
        if (report != null) {
            publish(store, site, config.paths().report());
            publish(store, site, config.paths().preview());
        }

        problems.addAll(inventory.problems());
        problems.addAll(new PerImage.Processed(done, null).problems());
        RunSummary.Tally tally = PerImage.tally(decisions, done, calls, cost, unconfirmedUsd, unconfirmedCalls,
                admission.halted());
        RunSummary summary = RunSummary.completed(tally, problems, config.paths().manifest(),
                report == null ? null : config.paths().report(), manifest.built().dropped().size());
        return new Result(summary, config.provider(), jsc.master(), partitions, tasks);
    }

    /** Executors serving the run (1 in local mode): the provider's concurrency is split across them. */
    static int executors(JavaSparkContext jsc) {
        if (jsc.sc().isLocal()) return 1;
        int registered = Math.max(1, jsc.sc().getExecutorMemoryStatus().size() - 1); // less the driver
        int configured = jsc.getConf().getInt("spark.executor.instances", 0);
        return Math.max(registered, configured);
    }

    private static void publish(SiteStore store, Site site, String relative) throws IOException {
        Path local = site.file(relative);
        if (Files.isRegularFile(local)) store.writeIfChanged(relative, Files.readAllBytes(local));
    }

    /** The report's thumbnails, made by the workers, into the driver's copy of the cache. */
    private static void pullThumbnails(SiteStore store, Site site, Map<String, ImageFacts> facts) throws IOException {
        String cacheDir = site.config().paths().cache();
        Thumbnails thumbs = new Thumbnails(site.file(cacheDir), () -> DRIVER_CODEC, WORKER_LIBRARY,
                site.config().maxInputPixels());
        List<String> shas = facts.values().stream().map(ImageFacts::sha256).filter(java.util.Objects::nonNull).distinct().toList();
        IOException[] failure = {null};
        shas.parallelStream().forEach(sha -> {
            String entry = thumbs.cacheEntry(sha);
            try {
                var bytes = store.read(cacheDir + "/" + entry);
                if (bytes.isPresent()) {
                    Path f = site.file(cacheDir).resolve(entry);
                    Files.createDirectories(f.getParent());
                    Files.write(f, bytes.get());
                }
            } catch (IOException e) {
                synchronized (failure) {
                    failure[0] = e;
                }
            }
        });
        if (failure[0] != null) throw failure[0];
    }

    /** The report's sources as the workers read them: hashes, sizes, and why a thumbnail could not be made. */
    record TaskSources(Site site, Map<String, ImageFacts> facts) implements AuditReport.Sources {
        private ImageFacts of(String path) throws IOException {
            ImageFacts f = facts.get(path);
            if (f == null) {
                String rel;
                try {
                    rel = ImageFacts.relative(site.root(), site.root().resolveImage(path));
                } catch (SiteRoot.PathEscapeException e) {
                    throw new IOException(e.getMessage());
                }
                throw new IOException("image file is missing: " + rel);
            }
            if (f.error() != null) throw new IOException(f.error());
            return f;
        }

        @Override
        public String sha256(String path) throws IOException {
            return of(path).sha256();
        }

        @Override
        public Path file(String path) throws IOException {
            ImageFacts f = of(path);
            throw new IOException(f.thumbnailError() != null ? f.thumbnailError()
                    : "no thumbnail: the workers could not store one for " + path);
        }

        @Override
        public int[] orientedSize(String path) throws IOException {
            ImageFacts f = of(path);
            if (f.width() <= 0 || f.height() <= 0) throw new IOException("the size of " + path + " is unknown");
            return new int[] {f.width(), f.height()};
        }
    }
}
