package dev.imagevision.pipeline;

import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.site.Mission;
import dev.imagevision.site.Site;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.VisionProvider;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Score stage: serves cached scores, calls the provider for the rest (several at once), writes
 * each result to the cache the moment it arrives so a killed run loses nothing it paid for.
 */
final class Scoring {
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    record Outcome(int scored, int cached, int skipped, int calls, double costUsd, List<Problem> problems) {}

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
            } else if (o.skipScoring()) {
                skipped++;
                problems.add(new Problem(item.path(), "score", "no cached score, and --skip-scoring never calls the provider"));
            } else {
                toCall.add(item);
            }
        }
        if (toCall.isEmpty()) return new Outcome(0, cached, skipped, 0, 0, problems);

        VisionProvider provider = o.provider().get();
        int threads = Math.max(1, Math.min(toCall.size(), threadsFor(site, provider)));
        AtomicInteger scored = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<String> fatal = new AtomicReference<>();
        List<Problem> callProblems = java.util.Collections.synchronizedList(new ArrayList<>());
        double[] cost = new double[1];
        o.progress().start("score", toCall.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Item item : toCall) {
                futures.add(pool.submit(() -> {
                    try {
                        scoreOne(site, item, denyReasons, provider, o.clock(), cache, fatal, scored, calls, cost,
                                callProblems, o.log());
                    } finally {
                        o.progress().step();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while scoring", e);
                }
            }
        } finally {
            pool.shutdownNow();
            o.progress().finish();
        }
        problems.addAll(callProblems);
        return new Outcome(scored.get(), cached, skipped, calls.get(), cost[0], problems);
    }

    private static int threadsFor(Site site, VisionProvider provider) {
        return provider.id().equals("local") ? Runtime.getRuntime().availableProcessors() : site.config().concurrency();
    }

    private static void scoreOne(Site site, Item item, List<String> denyReasons, VisionProvider provider, Clock clock,
                                 ScoreCache cache, AtomicReference<String> fatal, AtomicInteger scored,
                                 AtomicInteger calls, double[] cost, List<Problem> problems, PrintStream log)
            throws IOException {
        String stop = fatal.get();
        ScoreRecord record;
        if (stop != null) {
            record = failed(item, provider, clock, stop);
        } else {
            try {
                calls.incrementAndGet();
                Scored s = provider.judge(item.file, context(site, item, denyReasons));
                record = new ScoreRecord(item.scoreKey, item.path(), provider.id(), provider.model(),
                        provider.promptVersion(), item.sha256, false, null, s.judgement(), s.usage(),
                        TIMESTAMP.format(clock.instant()));
                synchronized (cost) {
                    cost[0] += s.usage().costUsd();
                }
                scored.incrementAndGet();
            } catch (ProviderException e) {
                if (e.fatal() && fatal.compareAndSet(null, e.getMessage())) {
                    log.println("!! " + e.getMessage() + " — every image that needs a fresh score fails this run; "
                            + "cached scores are still served.");
                }
                record = failed(item, provider, clock, e.getMessage());
            }
        }
        if (record.failed()) {
            problems.add(new Problem(item.path(), "score", record.error()));
            if (item.judgement() != null) return; // a forced re-score failed: keep serving the score we had
        }
        cache.put(record);
        item.record = record;
    }

    private static ScoreRecord failed(Item item, VisionProvider provider, Clock clock, String why) {
        return new ScoreRecord(item.scoreKey, item.path(), provider.id(), provider.model(), provider.promptVersion(),
                item.sha256, true, why, null, null, TIMESTAMP.format(clock.instant()));
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
