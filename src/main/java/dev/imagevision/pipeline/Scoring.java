package dev.imagevision.pipeline;

import dev.imagevision.cache.FanOut;
import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.site.Mission;
import dev.imagevision.site.Site;
import dev.imagevision.vision.BatchJudge;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.VisionProvider;

import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Score stage: serves cached scores, calls the provider for the rest (several at once, or through
 * its batch API), writes each result to the cache the moment it arrives so a killed run loses
 * nothing it paid for. Every billed reply is in the ledger journal before it is used; once the
 * run's hard cost limit is reached no new call starts.
 */
final class Scoring {
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** @param costUsd billed by the replies' own usage; {@code unconfirmedUsd}: ceilings charged for want of it */
    record Outcome(int scored, int cached, int skipped, int calls, double costUsd, boolean halted,
                   List<Problem> problems, double unconfirmedUsd, int unconfirmedCalls) {}

    /** What the workers share while they score. */
    static final class Run {
        final Site site;
        final List<String> denyReasons;
        final RunOptions o;
        final ScoreCache cache;
        final Spending spending;
        final VisionProvider provider;
        final AtomicInteger scored = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<String> fatal = new AtomicReference<>();
        /** A batch was cut short because the rest would pass the hard cost limit. */
        final java.util.concurrent.atomic.AtomicBoolean costCapped = new java.util.concurrent.atomic.AtomicBoolean();
        final List<Problem> problems = Collections.synchronizedList(new ArrayList<>());

        Run(Site site, List<String> denyReasons, RunOptions o, ScoreCache cache, Spending spending, VisionProvider provider) {
            this.site = site;
            this.denyReasons = denyReasons;
            this.o = o;
            this.cache = cache;
            this.spending = spending;
            this.provider = provider;
        }
    }

    private Scoring() {}

    static Outcome run(Site site, List<Item> items, List<String> denyReasons, RunOptions o, ScoreCache cache)
            throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<Item> toCall = new ArrayList<>();
        int cached = 0, skipped = 0;
        for (Item item : items) {
            if (item.error != null) {
                problems.add(new Problem(item.path(), "select", item.error));
            } else if (item.flagged()) {
                skipped++; // on the deny-list: scored 0 by the editor, never sent to a provider
            } else if (item.judgement() != null && !o.forceScore()) {
                cached++;
            } else if (item.record != null && item.record.imageFault() && !o.forceScore()) {
                // these bytes failed before and would fail the same way: reported again, not re-sent
                problems.add(new Problem(item.path(), "score", item.record.error()));
            } else if (o.skipScoring()) {
                skipped++;
                problems.add(new Problem(item.path(), "score", "no cached score, and --skip-scoring never calls the provider"));
            } else {
                toCall.add(item);
            }
        }
        if (toCall.isEmpty()) {
            if (o.provider().paid()) Spending.foldLeftover(site);
            return new Outcome(0, cached, skipped, 0, 0, false, problems, 0, 0);
        }

        try (Spending spending = Spending.open(site, o)) {
            Run run = new Run(site, denyReasons, o, cache, spending, o.provider().get(spending));
            List<Item> individually = toCall;
            if (run.provider instanceof BatchJudge) {
                individually = BatchScoring.run(run, toCall); // resumes pending batches; with --batch, submits
            } else if (o.batch()) {
                throw new IllegalArgumentException("--batch needs a provider with a batch API; \"" + run.provider.id()
                        + "\" has none");
            }
            callEach(run, individually);
            problems.addAll(run.problems);
            // a paid provider counts billed replies (re-asks included; nothing for a refused key), the free one images judged
            int calls = o.provider().paid() ? spending.paidCalls() : run.calls.get();
            return new Outcome(run.scored.get(), cached, skipped, calls, spending.billed().doubleValue(),
                    spending.halted() || run.costCapped.get(), problems, spending.unconfirmed().doubleValue(),
                    spending.unconfirmedCalls());
        }
    }

    /** Calls the provider for each item, as many at once as the provider allows. */
    static void callEach(Run run, List<Item> toCall) throws IOException {
        if (toCall.isEmpty()) return;
        run.o.progress().start("score", toCall.size());
        try {
            FanOut.forEach(toCall, threadsFor(run.site, run.provider), item -> {
                try {
                    scoreOne(run, item);
                } finally {
                    run.o.progress().step();
                }
            });
        } finally {
            run.o.progress().finish();
        }
    }

    private static int threadsFor(Site site, VisionProvider provider) {
        return provider.id().equals("local") ? Runtime.getRuntime().availableProcessors() : site.config().concurrency();
    }

    private static void scoreOne(Run run, Item item) throws IOException {
        if (run.spending.halted()) {
            run.problems.add(new Problem(item.path(), "score", notCalledForCost(run)));
            return; // not a failure of the image: nothing is cached, the next run scores it
        }
        VisionProvider provider = run.provider;
        Clock clock = run.o.clock();
        String stop = run.fatal.get();
        ScoreRecord record;
        if (stop != null) {
            record = failed(item, provider, clock, stop, false);
        } else {
            try {
                run.calls.incrementAndGet();
                Scored s = provider.judge(item.file, context(run.site, item, run.denyReasons));
                record = new ScoreRecord(item.scoreKey, item.path(), provider.id(), provider.model(),
                        provider.promptVersion(), item.sha256, false, null, s.judgement(), s.usage(),
                        TIMESTAMP.format(clock.instant()));
                run.scored.incrementAndGet();
            } catch (ProviderException e) {
                fatal(run, e);
                record = failed(item, provider, clock, e.getMessage(), e.imageFault());
            }
        }
        keep(run, item, record);
    }

    /** Writes a result to the cache (a failure too, so the run can report it and a later run retries it or, for an image fault, does not). */
    static void keep(Run run, Item item, ScoreRecord record) throws IOException {
        if (record.failed()) {
            run.problems.add(new Problem(item.path(), "score", record.error()));
            if (item.judgement() != null) return; // a forced re-score failed: keep serving the score we had
        }
        run.cache.put(record);
        item.record = record;
    }

    /** The first fatal error is announced once; every image after it fails fast with the same reason. */
    static void fatal(Run run, ProviderException e) {
        if (e.fatal() && run.fatal.compareAndSet(null, e.getMessage())) {
            run.o.log().println("!! " + e.getMessage() + " — every image that needs a fresh score fails this run; "
                    + "cached scores are still served.");
        }
    }

    static String notCalledForCost(Run run) {
        return String.format(Locale.ROOT, "not scored: this run reached its hard cost limit of $%.2f (cost_hard_usd); "
                + "run again to continue", run.spending.hardLimit());
    }

    static ScoreRecord failed(Item item, VisionProvider provider, Clock clock, String why, boolean imageFault) {
        return new ScoreRecord(item.scoreKey, item.path(), provider.id(), provider.model(), provider.promptVersion(),
                item.sha256, true, why, null, null, TIMESTAMP.format(clock.instant()), imageFault);
    }

    /** What the provider is told about the entity the frame should show. */
    static ImageContext context(Site site, Item item, List<String> denyReasons) {
        var image = item.source.image();
        Mission m = image.isMission() ? site.missions().get(image.entity()) : null;
        String agency = item.source.provenance().agencyOrEmpty();
        if (agency.isBlank() && m != null && m.agency() != null) agency = m.agency();
        return new ImageContext(item.path(), image.segment(), image.entity(), agency,
                m == null || m.dest() == null ? "" : m.dest(), m == null || m.status() == null ? "" : m.status(),
                denyReasons);
    }
}
