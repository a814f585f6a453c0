package dev.imagevision.pipeline;

import dev.imagevision.cache.Hashing;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.ledger.Estimate;
import dev.imagevision.vision.BatchJudge;
import dev.imagevision.vision.ProviderException;

import java.io.IOException;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scoring through a batch API (Anthropic Message Batches, half price): batches a killed run left
 * behind are collected first; with {@code --batch} the remaining images are submitted (each batch
 * id persisted before anything else), polled until they end, and their results mapped back by
 * request id into the score cache. Requests that fail inside a batch are scored one by one.
 */
final class BatchScoring {
    private BatchScoring() {}

    /** Where the pending-batch bookkeeping keeps what it needs while a batch runs. */
    private record State(BatchJudge judge, PendingBatches pending, Map<String, Item> live, Set<Item> settled,
                         List<Item> retry) {}

    /** Returns the items still to be scored one by one. */
    static List<Item> run(Scoring.Run run, List<Item> toCall) throws IOException {
        PendingBatches pending = new PendingBatches(run.site.file(run.site.config().paths().cache()));
        Map<String, Item> live = new HashMap<>();
        for (Item i : toCall) live.put(liveKey(i.scoreKey, i.path()), i);
        State st = new State((BatchJudge) run.provider, pending, live, new HashSet<>(), new ArrayList<>());

        for (PendingBatches.Batch b : pending.list(run.o.log())) {
            run.o.log().println("resuming batch " + b.batchId() + " (" + b.items().size() + " images, submitted "
                    + b.submittedAt() + ")");
            collect(run, st, b);
        }
        List<Item> open = toCall.stream().filter(i -> !st.settled().contains(i) && !st.retry().contains(i)).toList();
        if (!run.o.batch()) {
            List<Item> out = new ArrayList<>(st.retry());
            out.addAll(open);
            return out;
        }

        int affordable = affordable(run, open.size());
        for (Item i : open.subList(affordable, open.size())) {
            run.problems.add(new Problem(i.path(), "score", Scoring.notCalledForCost(run)));
        }
        List<PendingBatches.Batch> submitted = submit(run, st, open.subList(0, affordable));
        for (PendingBatches.Batch b : submitted) collect(run, st, b);
        return st.retry();
    }

    /** How many images fit under the hard limit at the measured batch price per image. */
    private static int affordable(Scoring.Run run, int wanted) {
        if (wanted == 0) return 0;
        Estimate est;
        try {
            est = Estimate.from(Spending.ledgerFile(run.site), run.provider.model(), true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (est.perImageUsd().signum() <= 0) return wanted;
        long fit = run.spending.remaining().divide(est.perImageUsd(), 0, RoundingMode.FLOOR).longValue();
        if (fit >= wanted) return wanted;
        run.costCapped.set(true);
        run.o.log().println(String.format(Locale.ROOT, "!! cost: %d images at about $%s each (%s) would pass the hard "
                        + "limit of $%.2f (cost_hard_usd); %d are submitted, the rest are left for the next run",
                wanted, est.perImageUsd().toPlainString(), est.basis(), run.spending.hardLimit(), fit));
        return (int) fit;
    }

    private static List<PendingBatches.Batch> submit(Scoring.Run run, State st, List<Item> items) throws IOException {
        List<PendingBatches.Batch> out = new ArrayList<>();
        List<Item> queue = items;
        while (!queue.isEmpty()) {
            Map<String, Item> byId = new LinkedHashMap<>();
            List<BatchJudge.Request> requests = new ArrayList<>();
            for (Item i : queue) {
                String id = requestId(i);
                byId.put(id, i);
                requests.add(new BatchJudge.Request(id, i.file, Scoring.context(run.site, i, run.denyReasons)));
            }
            BatchJudge.Submitted s;
            try {
                s = st.judge().submit(requests);
            } catch (ProviderException e) {
                Scoring.fatal(run, e);
                for (Item i : queue) Scoring.keep(run, i, Scoring.failed(i, run.provider, run.o.clock(), e.getMessage(), false));
                break;
            }
            for (Map.Entry<String, String> r : s.refused().entrySet()) {
                Item i = byId.get(r.getKey());
                Scoring.keep(run, i, Scoring.failed(i, run.provider, run.o.clock(), r.getValue(), false));
            }
            if (s.batchId() != null) {
                List<PendingBatches.Entry> entries = new ArrayList<>();
                for (Map.Entry<String, Item> e : byId.entrySet()) {
                    if (s.refused().containsKey(e.getKey()) || s.deferred().contains(e.getKey())) continue;
                    Item i = e.getValue();
                    entries.add(new PendingBatches.Entry(e.getKey(), i.path(), i.scoreKey, i.sha256,
                            s.inputCeilings().get(e.getKey())));
                }
                PendingBatches.Batch b = new PendingBatches.Batch(s.batchId(), run.provider.id(), run.provider.model(),
                        run.provider.promptVersion(), Scoring.TIMESTAMP.format(run.o.clock().instant()), entries);
                st.pending().save(b); // first, so a kill from here on resumes instead of paying twice
                run.o.log().println("submitted batch " + b.batchId() + " (" + entries.size() + " images)");
                out.add(b);
            } else if (!s.deferred().isEmpty()) {
                throw new IllegalStateException("the provider deferred every request of a batch");
            }
            queue = s.deferred().stream().map(byId::get).toList();
        }
        return out;
    }

    /** Waits for a batch, caches every result it holds (in scope or not: all were paid for), then forgets it. */
    private static void collect(Scoring.Run run, State st, PendingBatches.Batch b) throws IOException {
        Map<String, String> paths = new LinkedHashMap<>();
        Map<String, Long> ceilings = new LinkedHashMap<>();
        for (PendingBatches.Entry e : b.items()) {
            paths.put(e.id(), e.path());
            if (e.inputTokensCeiling() != null) ceilings.put(e.id(), e.inputTokensCeiling());
        }
        Map<String, BatchJudge.Outcome> results;
        String[] last = {""};
        try {
            results = st.judge().await(b.batchId(), paths, ceilings, p -> {
                String line = String.format(Locale.ROOT, "batch %s: %s, %d of %d done", p.batchId(), p.status(),
                        p.succeeded() + p.errored() + p.canceled() + p.expired(), b.items().size());
                if (!line.equals(last[0])) run.o.log().println(line);
                last[0] = line;
            });
        } catch (ProviderException e) {
            Scoring.fatal(run, e);
            for (PendingBatches.Entry en : b.items()) {
                Item i = st.live().get(liveKey(en.scoreKey(), en.path()));
                if (i == null) continue;
                st.settled().add(i);
                run.problems.add(new Problem(i.path(), "score", "batch " + b.batchId() + " was not collected ("
                        + e.getMessage() + "); the next run collects it"));
            }
            return; // the pending file stays: its results are paid for and still waiting
        }
        for (PendingBatches.Entry en : b.items()) {
            BatchJudge.Outcome oc = results.get(en.id());
            Item i = st.live().get(liveKey(en.scoreKey(), en.path()));
            if (oc instanceof BatchJudge.Judged j) {
                ScoreRecord r = new ScoreRecord(en.scoreKey(), en.path(), b.provider(), b.model(), b.promptVersion(),
                        en.sourceSha256(), false, null, j.scored().judgement(), j.scored().usage(),
                        Scoring.TIMESTAMP.format(run.o.clock().instant()));
                run.cache.put(r);
                if (i != null && st.settled().add(i)) {
                    i.record = r;
                    run.scored.incrementAndGet();
                }
            } else if (i != null && !st.settled().contains(i) && !st.retry().contains(i)) {
                String why = oc instanceof BatchJudge.Failed f ? f.reason() : "no result";
                run.o.log().println("  " + en.path() + ": " + why + "; scoring it on its own");
                st.retry().add(i);
            }
        }
        st.pending().remove(b);
    }

    /** A request id the API accepts (1–64 of [A-Za-z0-9_-]), stable for the same image and score key. */
    static String requestId(Item i) {
        return Hashing.parts("batch-request", i.scoreKey, i.path());
    }

    private static String liveKey(String scoreKey, String path) {
        return scoreKey + "\u0000" + path;
    }
}
