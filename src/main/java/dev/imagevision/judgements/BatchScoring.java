package dev.imagevision.judgements;

import dev.imagevision.cache.Hashing;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.inventory.Image;
import dev.imagevision.inventory.Problem;
import dev.imagevision.ledger.Estimate;
import dev.imagevision.vision.BatchJudge;
import dev.imagevision.vision.ProviderException;

import java.io.IOException;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scoring through a batch API (Anthropic Message Batches, half price): batches a killed run left
 * behind are collected first; with {@code --batch} the remaining images are submitted (each batch
 * id persisted before anything else), polled until they end, and their results mapped back by
 * request id into the score cache. Requests that fail inside a batch are scored one by one.
 */
public final class BatchScoring {
    private BatchScoring() {}

    /**
     * Runs that may find a batch's status or results unreadable before it is given up. Results stay at
     * the API for 29 days and reading them is free, so a gateway's bad day is waited out; but a batch the
     * API keeps answering garbage about must not hold its images (and every later run) forever.
     */
    static final int UNREADABLE_RUNS = 3;

    /** What the batches judged, and the images still to be judged one by one. */
    public record Result(List<Judged> judged, List<Image> individually) {
        public Result {
            judged = List.copyOf(judged);
            individually = List.copyOf(individually);
        }
    }

    /** Where the pending-batch bookkeeping keeps what it needs while a batch runs. */
    private record State(Judgements.Session run, BatchJudge judge, PendingBatches pending, Map<String, Image> live,
                         Map<Image, Judged> settled, List<Image> retry) {}

    static Result run(Judgements.Session run, BatchJudge judge, List<Image> toCall, boolean batch) throws IOException {
        PendingBatches pending = new PendingBatches(run.site().file(run.site().config().paths().cache()));
        Map<String, Image> live = new HashMap<>();
        for (Image i : toCall) live.put(liveKey(i.scoreKey(), i.path()), i);
        State st = new State(run, judge, pending, live, new LinkedHashMap<>(), new ArrayList<>());

        for (PendingBatches.Batch b : pending.list(run.log())) {
            run.log().println("resuming batch " + b.batchId() + " (" + b.items().size() + " images, submitted "
                    + b.submittedAt() + ")");
            collect(st, b);
        }
        List<Image> open = toCall.stream().filter(i -> !st.settled().containsKey(i) && !st.retry().contains(i)).toList();
        if (!batch) {
            List<Image> out = new ArrayList<>(st.retry());
            out.addAll(open);
            return new Result(List.copyOf(st.settled().values()), out);
        }

        int affordable = affordable(run, open.size());
        for (Image i : open.subList(affordable, open.size())) {
            st.settled().put(i, new Judged(i, Decision.CALL, Judgements.Session.keptOnFailure(i), false,
                    List.of(new Problem(i.path(), Problem.DEFERRED, run.notCalledForCost()))));
        }
        List<PendingBatches.Batch> submitted = submit(st, open.subList(0, affordable));
        for (PendingBatches.Batch b : submitted) collect(st, b);
        return new Result(List.copyOf(st.settled().values()), st.retry());
    }

    /** How many images fit under the hard limit at the measured batch price per image. */
    private static int affordable(Judgements.Session run, int wanted) {
        if (wanted == 0) return 0;
        Estimate est;
        try {
            est = Estimate.from(Spending.ledgerFile(run.site()), run.provider().model(), true); // streamed
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (est.perImageUsd().signum() <= 0) return wanted;
        long fit = run.spending().remaining().divide(est.perImageUsd(), 0, RoundingMode.FLOOR).longValue();
        if (fit >= wanted) return wanted;
        run.capped();
        run.log().println(String.format(Locale.ROOT, "!! cost: %d images at about $%s each (%s) would pass the hard "
                        + "limit of $%s (cost_hard_usd); %d are submitted, the rest are left for the next run",
                wanted, est.perImageUsd().toPlainString(), est.basis(), Spending.usd(run.spending().hardLimit()), fit));
        return (int) fit;
    }

    private static List<PendingBatches.Batch> submit(State st, List<Image> images) throws IOException {
        Judgements.Session run = st.run();
        List<PendingBatches.Batch> out = new ArrayList<>();
        List<Image> queue = images;
        while (!queue.isEmpty()) {
            Map<String, Image> byId = new LinkedHashMap<>();
            List<BatchJudge.Request> requests = new ArrayList<>();
            for (Image i : queue) {
                String id = requestId(i);
                byId.put(id, i);
                requests.add(new BatchJudge.Request(id, i.file(), run.context(i)));
            }
            BatchJudge.Submitted s;
            try {
                s = st.judge().submit(requests);
            } catch (ProviderException e) {
                run.fatal(e);
                for (Image i : queue) st.settled().put(i, run.keep(i, run.failed(i, e.getMessage(), false)));
                break;
            }
            for (Map.Entry<String, String> r : s.refused().entrySet()) {
                Image i = byId.get(r.getKey());
                st.settled().put(i, run.keep(i, run.failed(i, r.getValue(), false)));
            }
            if (s.batchId() != null) {
                List<PendingBatches.Entry> entries = new ArrayList<>();
                for (Map.Entry<String, Image> e : byId.entrySet()) {
                    if (s.refused().containsKey(e.getKey()) || s.deferred().contains(e.getKey())) continue;
                    Image i = e.getValue();
                    entries.add(new PendingBatches.Entry(e.getKey(), i.path(), i.scoreKey(), i.sha256(),
                            s.inputCeilings().get(e.getKey())));
                }
                PendingBatches.Batch b = new PendingBatches.Batch(s.batchId(), run.provider().id(), run.provider().model(),
                        run.provider().promptVersion(), run.now(), entries);
                st.pending().save(b); // first, so a kill from here on resumes instead of paying twice
                run.log().println("submitted batch " + b.batchId() + " (" + entries.size() + " images)");
                out.add(b);
            } else if (!s.deferred().isEmpty()) {
                throw new IllegalStateException("the provider deferred every request of a batch");
            }
            queue = s.deferred().stream().map(byId::get).toList();
        }
        return out;
    }

    /** Waits for a batch, caches every result it holds (in scope or not: all were paid for), then forgets it. */
    private static void collect(State st, PendingBatches.Batch b) throws IOException {
        Judgements.Session run = st.run();
        Map<String, String> paths = new LinkedHashMap<>();
        Map<String, Long> ceilings = new LinkedHashMap<>();
        for (PendingBatches.Entry e : b.items()) {
            paths.put(e.id(), e.path());
            if (e.inputTokensCeiling() != null) ceilings.put(e.id(), e.inputTokensCeiling());
        }
        Map<String, BatchJudge.Outcome> results;
        String[] last = {""};
        boolean lastTry = b.unreadableRuns() + 1 >= UNREADABLE_RUNS;
        try {
            results = st.judge().await(b.batchId(), paths, ceilings, lastTry, p -> {
                String line = String.format(Locale.ROOT, "batch %s: %s, %d of %d done", p.batchId(), p.status(),
                        p.succeeded() + p.errored() + p.canceled() + p.expired(), b.items().size());
                if (!line.equals(last[0])) run.log().println(line);
                last[0] = line;
            });
        } catch (BatchJudge.Unreadable e) {
            PendingBatches.Batch again = b.unreadableOnceMore();
            st.pending().save(again); // the count, so that a later run gives it up instead of waiting forever
            String why = e.getMessage() + "; the next run asks again (" + again.unreadableRuns() + " of " + UNREADABLE_RUNS
                    + " runs; after the last the batch is given up: each request without a result to trust is charged its "
                    + "ceiling, and its image is scored on its own)";
            run.log().println("!! " + why);
            for (PendingBatches.Entry en : b.items()) {
                Image i = st.live().get(liveKey(en.scoreKey(), en.path()));
                if (i != null) st.settled().put(i, new Judged(i, Decision.CALL, Judgements.Session.keptOnFailure(i), false,
                        List.of(new Problem(i.path(), "score", why))));
            }
            return;
        } catch (ProviderException e) {
            run.fatal(e);
            for (PendingBatches.Entry en : b.items()) {
                Image i = st.live().get(liveKey(en.scoreKey(), en.path()));
                if (i == null) continue;
                st.settled().put(i, new Judged(i, Decision.CALL, Judgements.Session.keptOnFailure(i), false,
                        List.of(new Problem(i.path(), "score", "batch " + b.batchId() + " was not collected ("
                                + e.getMessage() + "); the next run collects it"))));
            }
            return; // the pending file stays: its results are paid for and still waiting
        }
        if (lastTry && b.unreadableRuns() > 0) {
            run.log().println("batch " + b.batchId() + ": this is the last of " + UNREADABLE_RUNS + " runs that may read "
                    + "it, and it is forgotten after this one: a request with no result to trust is charged its ceiling "
                    + "in the ledger as unconfirmed, and its image is scored on its own");
        }
        for (PendingBatches.Entry en : b.items()) {
            BatchJudge.Outcome oc = results.get(en.id());
            Image i = st.live().get(liveKey(en.scoreKey(), en.path()));
            if (oc instanceof BatchJudge.Judged j) {
                ScoreRecord r = new ScoreRecord(en.scoreKey(), en.path(), b.provider(), b.model(), b.promptVersion(),
                        en.sourceSha256(), false, null, j.scored().judgement(), j.scored().usage(), run.now());
                run.cache().put(r);
                if (i != null && !st.settled().containsKey(i)) st.settled().put(i, new Judged(i, Decision.CALL, r, true, List.of()));
            } else if (i != null && !st.settled().containsKey(i) && !st.retry().contains(i)) {
                String why = oc instanceof BatchJudge.Failed f ? f.reason() : "no result";
                run.log().println("  " + en.path() + ": " + why + "; scoring it on its own");
                st.retry().add(i);
            }
        }
        st.pending().remove(b);
    }

    /** A request id the API accepts (1–64 of [A-Za-z0-9_-]), stable for the same image and score key. */
    static String requestId(Image i) {
        return Hashing.parts("batch-request", i.scoreKey(), i.path());
    }

    private static String liveKey(String scoreKey, String path) {
        return scoreKey + "\u0000" + path;
    }
}
