package dev.imagevision.pipeline;

import dev.imagevision.cache.FanOut;
import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.cache.VariantCache;
import dev.imagevision.inventory.Inventory;
import dev.imagevision.inventory.Problem;
import dev.imagevision.judgements.Spending;
import dev.imagevision.site.Site;
import dev.imagevision.inventory.Image;
import dev.imagevision.judgements.BatchScoring;
import dev.imagevision.judgements.Decision;
import dev.imagevision.judgements.Judged;
import dev.imagevision.judgements.Judgements;
import dev.imagevision.variants.Variants;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The judgements and variants stages over the images in scope, streamed: an image's variants are
 * cut the moment its judgement is there, so on a paid run the cutting hides behind the API's waits
 * instead of following the last answer. Judgements run as many at once as the provider allows,
 * cuts one per core.
 */
public final class PerImage {
    private PerImage() {}

    /** One image after both stages; {@code cut} is null when its variants were not looked at this run. */
    public record Done(Judged judged, Variants.Cut cut) {}

    /** Every image in scope after both stages (path order), and what the run did, counted. */
    public record Processed(Map<String, Done> done, RunSummary.Tally tally) {
        /** The problems of every image, in path order, judgements before variants. */
        public List<Problem> problems() {
            List<Problem> out = new ArrayList<>();
            for (Done d : done.values()) out.addAll(d.judged().problems());
            for (Done d : done.values()) if (d.cut() != null) out.addAll(d.cut().problems());
            return out;
        }
    }

    /**
     * Opens the provider session when an image needs a call (closing it folds the run's spending into
     * the cost ledger before the manifest and report are written), builds the variants stage unless
     * {@code --skip-crops}, and runs both over the images in scope.
     */
    static Processed run(Site site, RunOptions o, Inventory inventory, Map<String, Decision> decisions,
                         List<String> denyReasons, ScoreCache scores, StatIndex index, Path cacheDir) throws IOException {
        List<Image> images = inventory.images().stream().filter(i -> decisions.containsKey(i.path())).toList();
        if (!images.isEmpty()) o.codec().loadNatives(); // once, here, before the judging and cutting threads start
        Variants variants = o.skipCrops() ? null : new Variants(site.root(), site.config().variants(), index,
                new VariantCache(cacheDir), o.codec(), site.config().maxInputPixels());
        if (!decisions.containsValue(Decision.CALL)) {
            if (o.provider().paid()) Spending.foldLeftover(site); // a journal a killed run left behind
            Map<String, Done> done = run(images, decisions, null, false, variants, o.progress());
            return new Processed(done, tally(decisions, done, null));
        }
        try (Judgements.Session calls = Judgements.Session.open(site, o.provider(), denyReasons, o.clock(), o.log(), scores)) {
            Map<String, Done> done = run(images, decisions, calls, o.batch(), variants, o.progress());
            return new Processed(done, tally(decisions, done, calls));
        }
    }

    private static RunSummary.Tally tally(Map<String, Decision> decisions, Map<String, Done> done,
                                          Judgements.Session calls) {
        return tally(decisions, done, calls == null ? 0 : calls.calls(), calls == null ? 0 : calls.costUsd(),
                calls == null ? 0 : calls.unconfirmedUsd(), calls == null ? 0 : calls.unconfirmedCalls(),
                calls != null && calls.halted());
    }

    /** What the two stages did to the images in scope, with the calls, cost and halt of the provider session(s). */
    public static RunSummary.Tally tally(Map<String, Decision> decisions, Map<String, Done> done, int providerCalls,
                                         double costUsd, double unconfirmedUsd, int unconfirmedCalls, boolean halted) {
        int scored = 0, cropped = 0;
        for (Done d : done.values()) {
            if (d.judged().fresh()) scored++;
            if (d.cut() != null && d.cut().cut()) cropped++;
        }
        int cached = count(decisions, Decision.CACHED);
        int skipped = count(decisions, Decision.FLAGGED) + count(decisions, Decision.NOT_SCORED);
        return new RunSummary.Tally(decisions.size(), scored, cached, count(decisions, Decision.ADOPTED), cropped, skipped,
                providerCalls, costUsd, unconfirmedUsd, unconfirmedCalls, halted);
    }

    private static int count(Map<String, Decision> decisions, Decision d) {
        return (int) decisions.values().stream().filter(d::equals).count();
    }

    /**
     * @param calls    the provider session, or null when no image needs a call
     * @param variants the variants stage, or null with {@code --skip-crops}
     */
    public static Map<String, Done> run(List<Image> images, Map<String, Decision> decisions, Judgements.Session calls,
                                 boolean batch, Variants variants, Progress progress) throws IOException {
        Map<String, Judged> batched = new HashMap<>();
        if (calls != null) {
            List<Image> toCall = images.stream().filter(i -> decisions.get(i.path()) == Decision.CALL).toList();
            BatchScoring.Result b = calls.batches(toCall, batch); // resumes pending batches; with --batch, submits
            for (Judged j : b.judged()) batched.put(j.path(), j);
        }
        Map<String, Done> done = Collections.synchronizedMap(new TreeMap<>());
        int threads = calls == null ? Runtime.getRuntime().availableProcessors() : calls.threads();
        progress.start("score and crop", images.size());
        try {
            FanOut.twoSteps(images, threads, image -> {
                Decision d = decisions.get(image.path());
                Judged j = batched.get(image.path());
                if (j == null) j = d == Decision.CALL ? calls.judge(image) : Judgements.without(image, d);
                if (variants != null && image.croppable(j.judgement())) return j;
                done.put(image.path(), new Done(j, null));
                progress.step();
                return null;
            }, Runtime.getRuntime().availableProcessors(), j -> {
                try {
                    done.put(j.path(), new Done(j, variants.cut(j.image(), j.judgement())));
                } finally {
                    progress.step();
                }
            });
        } finally {
            progress.finish();
        }
        return done;
    }

}
