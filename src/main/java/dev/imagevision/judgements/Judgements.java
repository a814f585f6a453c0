package dev.imagevision.judgements;

import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.inventory.Image;
import dev.imagevision.inventory.Problem;
import dev.imagevision.site.Mission;
import dev.imagevision.site.Site;
import dev.imagevision.vision.BatchJudge;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.OverCostLimit;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.VisionProvider;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The judgements stage: what every image in scope goes on with. An image that needs no call is
 * judged from the inventory alone ({@link #without}); for the rest a {@link Session} calls the
 * provider, one image at a time and from as many threads as the provider allows, writes each
 * result to the score cache the moment it arrives (a killed run loses nothing it paid for), and
 * keeps the run's money in its {@link Spending}: every billed reply is in the ledger journal before
 * it is used, and once the hard cost limit is reached no new call starts.
 */
public final class Judgements {
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Judgements() {}

    /** An image whose decision is anything but a call: judged from what the inventory found. Pure. */
    public static Judged without(Image image, Decision decision) {
        return switch (decision) {
            case UNUSABLE -> new Judged(image, decision, null, false, List.of(new Problem(image.path(), "inventory", image.error())));
            case FLAGGED -> new Judged(image, decision, image.cached(), false, List.of());
            case CACHED -> new Judged(image, decision, image.cached(), false, List.of());
            case ADOPTED -> new Judged(image, decision, null, false, List.of());
            case REMEMBERED_FAULT -> new Judged(image, decision, image.cached(), false,
                    List.of(new Problem(image.path(), "score", image.cached().error())));
            case NOT_SCORED -> new Judged(image, decision, image.cached(), false, List.of(new Problem(image.path(), "score",
                    "no cached score, and --skip-scoring never calls the provider")));
            case CALL -> throw new IllegalArgumentException("an image that needs a call is judged by a Session");
        };
    }

    /** Where a session keeps each result the moment it has it (the score cache, for the CLI). */
    @FunctionalInterface
    public interface ScoreKeeper {
        void put(ScoreRecord record) throws IOException;
    }

    /**
     * The run's calls to its provider. Opening one opens the cost ledger (for a paid provider);
     * closing it folds the run's journal into the ledger. Safe to use from many threads.
     */
    public static final class Session implements AutoCloseable {
        private final Site site;
        private final List<String> denyReasons;
        private final Clock clock;
        private final PrintStream log;
        private final ScoreKeeper cache;
        private final Spending spending;
        private final ProviderChoice choice;
        private final VisionProvider provider;
        private final AtomicInteger attempts = new AtomicInteger();
        private final AtomicReference<String> fatal = new AtomicReference<>();
        private volatile boolean costCapped;

        private Session(Site site, List<String> denyReasons, Clock clock, PrintStream log, ScoreKeeper cache,
                        Spending spending, ProviderChoice choice) {
            this.site = site;
            this.denyReasons = List.copyOf(denyReasons);
            this.clock = clock;
            this.log = log;
            this.cache = cache;
            this.spending = spending;
            this.choice = choice;
            this.provider = choice.get(spending);
        }

        public static Session open(Site site, ProviderChoice choice, List<String> denyReasons, Clock clock,
                                   PrintStream log, ScoreCache cache) throws IOException {
            Spending spending = Spending.open(site, choice, clock, log);
            try {
                return new Session(site, denyReasons, clock, log, cache::put, spending, choice);
            } catch (RuntimeException e) {
                spending.close();
                throw e;
            }
        }

        /**
         * A session that keeps its results and journals its spending where the caller says: one task
         * of a distributed run, whose score records go to the site's store and whose calls go to the
         * task's own journal. Closing it closes {@code spending}.
         */
        public static Session open(Site site, ProviderChoice choice, List<String> denyReasons, Clock clock,
                                   PrintStream log, ScoreKeeper scores, Spending spending) {
            return new Session(site, denyReasons, clock, log, scores, spending, choice);
        }

        /** How many images may be judged at once: the configured concurrency, or every core for the offline provider. */
        public int threads() {
            return choice.paid() ? site.config().concurrency() : Runtime.getRuntime().availableProcessors();
        }

        /**
         * Batches first, for a provider with a batch API: batches a killed run left behind are
         * collected; with {@code batch} the images are submitted and awaited. Returns what the
         * batches judged and the images still to be judged one by one.
         */
        public BatchScoring.Result batches(List<Image> toCall, boolean batch) throws IOException {
            if (provider instanceof BatchJudge judge) return BatchScoring.run(this, judge, toCall, batch);
            if (batch) {
                throw new IllegalArgumentException("--batch needs a provider with a batch API; \"" + provider.id()
                        + "\" has none");
            }
            return new BatchScoring.Result(List.of(), toCall);
        }

        /** Judges one image that needs a call. */
        public Judged judge(Image image) throws IOException {
            if (spending.halted()) return notCalledForCost(image);
            String stop = fatal.get();
            if (stop != null) return keep(image, failed(image, stop, false));
            try {
                attempts.incrementAndGet();
                Scored s = provider.judge(image.file(), context(image));
                return keep(image, new ScoreRecord(image.scoreKey(), image.path(), provider.id(), provider.model(),
                        provider.promptVersion(), image.sha256(), false, null, s.judgement(), s.usage(), now()));
            } catch (ProviderException e) {
                fatal(e);
                return keep(image, failed(image, e.getMessage(), e.imageFault()));
            } catch (OverCostLimit e) { // a request of this image did not fit under the hard limit
                return notCalledForCost(image);
            }
        }

        /** Not a failure of the image: nothing is cached, the next run scores it. */
        private Judged notCalledForCost(Image image) {
            return new Judged(image, Decision.CALL, keptOnFailure(image), false,
                    List.of(new Problem(image.path(), Problem.DEFERRED, notCalledForCost())));
        }

        /** Caches a result (a failure too, so the run reports it and a later run retries it or, for an image fault, does not). */
        Judged keep(Image image, ScoreRecord record) throws IOException {
            if (record.failed()) {
                Problem p = new Problem(image.path(), "score", record.error());
                // a forced re-score failed: keep serving the score we had
                if (image.cachedJudgement() != null) return new Judged(image, Decision.CALL, image.cached(), false, List.of(p));
                cache.put(record);
                return new Judged(image, Decision.CALL, record, false, List.of(p));
            }
            try {
                cache.put(record);
            } catch (IOException e) {
                if (!choice.paid()) throw e;
                try {
                    spending.keep(record);
                } catch (IOException again) {
                    e.addSuppressed(again);
                    throw e;
                }
                throw new IOException(e.getMessage() + "; the paid judgement of " + image.path() + " is kept in the cost "
                        + "ledger's journal, and the next run restores it instead of paying again", e);
            }
            return new Judged(image, Decision.CALL, record, true, List.of());
        }

        /** The first fatal error is announced once; every image after it fails fast with the same reason. */
        void fatal(ProviderException e) {
            if (e.fatal() && fatal.compareAndSet(null, e.getMessage())) {
                log.println("!! " + e.getMessage() + " — every image that needs a fresh score fails this run; "
                        + "cached scores are still served.");
            }
        }

        String notCalledForCost() {
            return "not scored: the hard cost limit of $" + Spending.usd(spending.hardLimit()) + " (cost_hard_usd) left no "
                    + "room for its request beside what this run spent and had in flight; the next run scores it";
        }

        ScoreRecord failed(Image image, String why, boolean imageFault) {
            return new ScoreRecord(image.scoreKey(), image.path(), provider.id(), provider.model(),
                    provider.promptVersion(), image.sha256(), true, why, null, null, now(), imageFault);
        }

        /** What an image that was not called goes on with: the score it had, if any. */
        static ScoreRecord keptOnFailure(Image image) {
            return image.cachedJudgement() != null ? image.cached() : null;
        }

        String now() {
            return TIMESTAMP.format(clock.instant());
        }

        /** What the provider is told about the entity the frame should show. */
        ImageContext context(Image image) {
            var path = image.source().image();
            Mission m = path.isMission() ? site.missions().get(path.entity()) : null;
            String agency = image.source().provenance().agencyOrEmpty();
            if (agency.isBlank() && m != null && m.agency() != null) agency = m.agency();
            return new ImageContext(image.path(), path.segment(), path.entity(), agency,
                    m == null || m.dest() == null ? "" : m.dest(), m == null || m.status() == null ? "" : m.status(),
                    denyReasons);
        }

        Site site() {
            return site;
        }

        Spending spending() {
            return spending;
        }

        Clock clock() {
            return clock;
        }

        PrintStream log() {
            return log;
        }

        ScoreKeeper cache() {
            return cache;
        }

        VisionProvider provider() {
            return provider;
        }

        void capped() {
            costCapped = true;
        }

        /** Billed replies for a paid provider (re-asks included; nothing for a refused key), images judged for the free one. */
        public int calls() {
            return choice.paid() ? spending.paidCalls() : attempts.get();
        }

        /** What the replies were billed by their own usage. */
        public double costUsd() {
            return spending.billed().doubleValue();
        }

        /** What the ledger charges at their ceilings for calls that brought back no usage to trust. */
        public double unconfirmedUsd() {
            return spending.unconfirmed().doubleValue();
        }

        public int unconfirmedCalls() {
            return spending.unconfirmedCalls();
        }

        /** The hard cost limit stopped new calls, or cut a batch short. */
        public boolean halted() {
            return spending.halted() || costCapped;
        }

        @Override
        public void close() throws IOException {
            spending.close();
        }
    }
}
