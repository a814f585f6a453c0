package dev.imagevision.spark;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.cache.VariantCache;
import dev.imagevision.inventory.Image;
import dev.imagevision.inventory.Problem;
import dev.imagevision.judgements.Decision;
import dev.imagevision.judgements.Judged;
import dev.imagevision.judgements.Judgements;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.judgements.Spending;
import dev.imagevision.ledger.Budget;
import dev.imagevision.pipeline.PerImage;
import dev.imagevision.pipeline.Progress;
import dev.imagevision.site.Json;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.variants.Variants;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Phase two, on the workers: the images the driver admitted are judged and cut through the CLI's
 * own stages ({@link PerImage#run}: {@code Judgements} then {@code Variants}, streamed), a chunk at a
 * time. Each source is staged from the store into a local folder laid out like the site, so the core
 * reads and writes files as it does in the CLI; each variant it writes there is then published to
 * the store (rename or PUT), and each score record goes to the store the moment it arrives.
 *
 * <p>Money: the attempt journals its calls in its own journal ({@link AttemptJournal}) through the
 * executor's one provider. A retried attempt looks in the store first: an image whose score record
 * an earlier attempt of this run wrote is not sent again.
 */
final class JudgeTask implements FlatMapFunction<Iterator<String>, String> {
    private static final long serialVersionUID = 1L;
    /** Sources staged on local disk at once, per task. */
    static final int CHUNK = 32;

    /** One admitted image: its facts from phase one and the driver's decision. */
    record Work(@JsonProperty("facts") ImageFacts facts, @JsonProperty("decision") Decision decision) {
        String json() {
            try {
                return Json.COMPACT.writeValueAsString(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Broadcast<RunContext> run;
    private final boolean skipCrops;

    JudgeTask(Broadcast<RunContext> run, boolean skipCrops) {
        this.run = run;
        this.skipCrops = skipCrops;
    }

    @Override
    public Iterator<String> call(Iterator<String> lines) throws IOException {
        RunContext ctx = run.value();
        Workers.Held w = Workers.site(ctx);
        List<Work> work = new ArrayList<>();
        while (lines.hasNext()) work.add(Json.LENIENT.readValue(lines.next(), Work.class));
        if (work.isEmpty()) return List.<String>of().iterator();

        var config = w.site().config();
        String cacheDir = config.paths().cache();
        Path stage = Files.createTempDirectory(Workers.scratch(), "task");
        SiteRoot staged = new SiteRoot(stage, config.paths().staticDir());
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        Variants variants = skipCrops ? null : new Variants(staged, config.variants(),
                StatIndex.load(stage.resolve("stat-index.json")), new VariantCache(Workers.scratch()), Workers.codec(),
                config.maxInputPixels());

        boolean calls = work.stream().anyMatch(x -> x.decision() == Decision.CALL);
        Judgements.Session session = null;
        Spending spending = null;
        if (calls) {
            ProviderChoice choice = Workers.provider(ctx, w);
            TaskContext tc = TaskContext.get();
            String attempt = tc == null ? "driver" : "s" + tc.stageId() + "-p" + tc.partitionId() + "-a"
                    + tc.attemptNumber() + "-t" + tc.taskAttemptId();
            spending = Spending.journaledTo(choice.paid() ? new AttemptJournal(ctx.store(), cacheDir, ctx.runId(), attempt) : null,
                    Budget.of(config.costSoftUsd(), config.costHardUsd()), choice.id(), ctx.runId(),
                    ctx.runId() + "-" + attempt, ctx.clock(), log);
            session = Judgements.Session.open(w.site(), choice, w.curation().recentReasons(), ctx.clock(), log,
                    r -> ScoreStore.put(ctx.store(), cacheDir, r), spending);
        }
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (int from = 0; from < work.size(); from += CHUNK) {
                List<Work> chunk = work.subList(from, Math.min(work.size(), from + CHUNK));
                outcomes.addAll(chunk(ctx, w, chunk, staged, session, spending, variants, cacheDir));
            }
        } finally {
            if (session != null) session.close();
            SiteFiles.deleteTree(stage);
        }
        List<String> logLines = logBytes.toString(StandardCharsets.UTF_8).lines().toList();
        TaskResult result = new TaskResult(outcomes, session == null ? 0 : session.calls(), logLines);
        return List.of(Json.COMPACT.writeValueAsString(result)).iterator();
    }

    private List<Outcome> chunk(RunContext ctx, Workers.Held w, List<Work> chunk, SiteRoot staged,
                                Judgements.Session session, Spending spending, Variants variants, String cacheDir)
            throws IOException {
        List<Outcome> out = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        Map<String, Decision> decisions = new LinkedHashMap<>();
        Map<String, ScoreRecord> scoredBefore = new LinkedHashMap<>();
        List<String> claimed = new ArrayList<>();
        try {
            for (Work x : chunk) {
                ImageFacts f = x.facts();
                var source = w.sources().get(f.path());
                var row = w.curation().byPath().get(f.path());
                var entry = w.previous().entries().get(f.path());
                Decision d = x.decision();
                Path file = f.error() == null ? staged.resolveImage(f.path()) : null;
                if (f.error() == null) {
                    Optional<String> changed = stage(ctx.store(), f, file);
                    if (changed.isPresent()) {
                        Image image = f.image(source, file, row, entry);
                        out.add(new Outcome(f.path(), d, image.cachedJudgement() != null ? image.cached() : null, false,
                                List.of(new Problem(f.path(), "inventory", changed.get())), null));
                        continue;
                    }
                }
                ImageFacts facts = f;
                if (d == Decision.CALL) {
                    ScoreRecord now = ScoreStore.get(ctx.store(), cacheDir, f.scoreKey());
                    if (now != null && !now.equals(f.cached())) {
                        // an earlier attempt of this run paid for it: served from its record, never sent again
                        scoredBefore.put(f.path(), now);
                        facts = withCached(f, now);
                        d = Decision.CACHED;
                    }
                }
                Image image = facts.image(source, file, row, entry);
                images.add(image);
                decisions.put(image.path(), d);
                if (d == Decision.CALL && spending != null && session != null) {
                    Workers.ROUTER.claim(image.path(), spending);
                    claimed.add(image.path());
                }
            }
            Map<String, PerImage.Done> done = PerImage.run(images, decisions, session, false, variants, Progress.NONE);
            for (Image image : images) {
                PerImage.Done d = done.get(image.path());
                publishVariants(ctx.store(), staged, d);
                ScoreRecord before = scoredBefore.get(image.path());
                if (before != null) {
                    Judged j = d.judged();
                    List<Problem> problems = before.failed() ? List.of(new Problem(image.path(), "score", before.error()))
                            : List.of();
                    d = new PerImage.Done(new Judged(j.image(), Decision.CALL, before, before.usable(), problems), d.cut());
                }
                out.add(Outcome.of(d));
            }
        } finally {
            for (String p : claimed) Workers.ROUTER.release(p, spending);
            for (Work x : chunk) {
                if (x.facts().error() == null) Files.deleteIfExists(staged.resolveImage(x.facts().path()));
            }
        }
        return out;
    }

    /** Copies a source from the store; empty when its bytes are the ones phase one hashed, else why not. */
    private static Optional<String> stage(SiteStore store, ImageFacts f, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Optional<String> sha = store.download(f.relative(), file);
        if (sha.isEmpty()) return Optional.of("the image file disappeared during the run; the next run takes it");
        if (!sha.get().equals(f.sha256())) {
            Files.delete(file);
            return Optional.of("the image file changed during the run; the next run takes it");
        }
        return Optional.empty();
    }

    private static ImageFacts withCached(ImageFacts f, ScoreRecord r) {
        return new ImageFacts(f.path(), f.relative(), f.sha256(), f.scoreKey(), r, f.slots(), f.width(), f.height(),
                f.error(), f.missing(), f.thumbnailError());
    }

    /** Publishes what the variants stage wrote into the staged site; a variant that is there already is not rewritten. */
    private static void publishVariants(SiteStore store, SiteRoot staged, PerImage.Done d) throws IOException {
        if (d.cut() == null || d.cut().variants() == null) return;
        for (String variant : d.cut().variants().values()) {
            Path file = staged.resolveImage(variant);
            if (!Files.isRegularFile(file)) continue; // up to date: nothing was written
            store.writeIfChanged(ImageFacts.relative(staged, file), Files.readAllBytes(file));
            Files.delete(file);
        }
    }
}
