package dev.imagevision.judgements;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.ledger.Budget;
import dev.imagevision.ledger.CallEntry;
import dev.imagevision.ledger.CostLedger;
import dev.imagevision.ledger.SentCall;
import dev.imagevision.ledger.Tokens;
import dev.imagevision.site.Json;
import dev.imagevision.site.Site;
import dev.imagevision.vision.CallRecorder;
import dev.imagevision.vision.OutgoingCall;
import dev.imagevision.vision.OverCostLimit;
import dev.imagevision.vision.PaidCall;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A run's money: every request goes to the ledger journal with its cost ceiling before it is sent,
 * every billed reply goes there too (durable before the reply is used) and to the budget, which
 * announces the soft limit once and starts a request only if its ceiling fits under the hard limit
 * beside what was spent and the ceilings still in flight, so the ledger never passes the hard limit. A request that may have been
 * billed but brought back no usage to trust stays charged its ceiling ("unconfirmed"): that counts
 * against the budget too, and the run's summary names it beside what was billed.
 */
public final class Spending implements CallRecorder, AutoCloseable {
    public static final String JOURNAL = "ledger-journal.jsonl";
    /** The CLI's documented exit code for a run the hard cost limit halted. */
    public static final int COST_HALT_EXIT = 3;
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * Where a run's calls are journaled, durable when each method returns: the site's cost ledger
     * journal for a CLI run; a file per task attempt for a distributed run, folded by its driver.
     */
    public interface CallJournal {
        void sent(SentCall call) throws IOException;

        /** @param requestId the journaled request it answers, or null (a batch result, an unconfirmed row) */
        void paid(CallEntry call, String requestId) throws IOException;

        void unbilled(String requestId) throws IOException;

        /** The request brought back no usage to trust: it stays charged its ceiling, marked unconfirmed. */
        void unconfirmed(String requestId, String why) throws IOException;

        /** Ends the journal (the CLI folds it into the ledger here). */
        void close() throws IOException;

        /**
         * A paid judgement whose score could not be written, kept until a run restores it. A journal that
         * cannot keep one says so, and the judgement is paid for again by a later run.
         */
        default void kept(ScoreRecord judgement) throws IOException {
            throw new IOException("this journal does not keep judgements");
        }
    }

    private final CallJournal ledger;
    private final Budget budget;
    private final String provider;
    private final String runId;
    private final String requestIdPrefix;
    private final Clock clock;
    private final PrintStream log;
    /** How long a request that does not fit beside those in flight waits for them before the run halts. */
    private final java.time.Duration patience;
    private final AtomicInteger paidCalls = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    /** Requests sent and not yet answered, with their ceilings: what the ledger charges them if nothing comes. */
    private final Map<String, BigDecimal> open = new ConcurrentHashMap<>();
    private BigDecimal billed = BigDecimal.ZERO;
    private BigDecimal unconfirmed = BigDecimal.ZERO;
    private int unconfirmedCalls;

    private Spending(CallJournal ledger, Budget budget, String provider, String runId, String requestIdPrefix,
                     Clock clock, PrintStream log, java.time.Duration patience) {
        this.patience = patience;
        this.ledger = ledger;
        this.budget = budget;
        this.provider = provider;
        this.runId = runId;
        this.requestIdPrefix = requestIdPrefix;
        this.clock = clock;
        this.log = log;
    }

    public static Path ledgerFile(Site site) {
        return site.file(site.config().paths().ledger());
    }

    static Path journalFile(Site site) {
        return site.file(site.config().paths().cache()).resolve(JOURNAL);
    }

    /**
     * Opens the ledger for this run (folding in what a killed run left) with the configured limits.
     * A free provider never touches the ledger: it has nothing to record.
     */
    static Spending open(Site site, ProviderChoice provider, Clock clock, PrintStream log) throws IOException {
        CostLedger ledger = provider.paid() ? CostLedger.open(ledgerFile(site), journalFile(site)) : null;
        if (ledger != null) {
            for (String note : ledger.notes()) log.println("!! cost ledger " + site.config().paths().ledger() + ": " + note);
        }
        // the time and pid alone can repeat (a pinned clock and a reused pid, or two runs in one JVM); the report
        // tells runs apart by this id, and a request id built on it must never repeat on a site, so a nonce is added
        String nonce = Long.toString(new java.security.SecureRandom().nextLong() >>> 1, 36);
        String runId = "run-" + RUN_ID.format(clock.instant()) + "-" + ProcessHandle.current().pid() + "-" + nonce;
        return new Spending(ledger == null ? null : journalOf(ledger),
                Budget.of(site.config().costSoftUsd(), site.config().costHardUsd()), provider.id(), runId, runId, clock, log,
                java.time.Duration.ofSeconds(site.config().imageTimeoutSeconds()));
    }

    private static CallJournal journalOf(CostLedger ledger) {
        return new CallJournal() {
            @Override
            public void sent(SentCall call) throws IOException {
                ledger.sent(call);
            }

            @Override
            public void paid(CallEntry call, String requestId) throws IOException {
                if (requestId == null) ledger.record(call);
                else ledger.record(call, requestId);
            }

            @Override
            public void unbilled(String requestId) throws IOException {
                ledger.unbilled(requestId);
            }

            @Override
            public void unconfirmed(String requestId, String why) throws IOException {
                ledger.unconfirmed(requestId, why);
            }

            @Override
            public void close() throws IOException {
                ledger.close();
            }

            @Override
            public void kept(ScoreRecord judgement) throws IOException {
                ledger.kept(Json.LEDGER_LINES.valueToTree(judgement));
            }
        };
    }

    /** A task's requests wait this long for room beside those in flight (a request's own time is bounded alike). */
    private static final java.time.Duration TASK_PATIENCE = java.time.Duration.ofMinutes(3);

    /**
     * A paid provider's spending journaled elsewhere than the site's ledger journal (one task attempt of
     * a distributed run). Every row carries {@code runId}; request ids are {@code requestIdPrefix-<n>},
     * so the prefix must never repeat on a site.
     */
    public static Spending journaledTo(CallJournal journal, Budget budget, String provider, String runId,
                                       String requestIdPrefix, Clock clock, PrintStream log) {
        return new Spending(journal, budget, provider, runId, requestIdPrefix, clock, log, TASK_PATIENCE);
    }

    /** The run id every row of this spending carries. */
    public String runId() {
        return runId;
    }

    /**
     * Keeps a paid judgement whose score file could not be written in the ledger's journal, the file its
     * billed reply has already reached, so a later run restores it instead of paying again.
     */
    void keep(ScoreRecord judgement) throws IOException {
        if (ledger == null) throw new IOException("a free provider's judgements are not kept: judging again costs nothing");
        ledger.kept(judgement);
    }

    /**
     * The paid judgements a run kept in the journal because it could not write them to the score
     * cache; a line that cannot be read as one is skipped.
     */
    public static List<ScoreRecord> keptJudgements(Site site, PrintStream log) throws IOException {
        List<ScoreRecord> out = new ArrayList<>();
        int skipped = 0;
        for (JsonNode n : CostLedger.keptJudgements(journalFile(site))) {
            try {
                ScoreRecord r = Json.LEDGER_LINES.treeToValue(n, ScoreRecord.class);
                if (dev.imagevision.cache.ScoreCache.consistent(r)) out.add(r);
                else skipped++;
            } catch (IOException | RuntimeException unreadable) {
                skipped++;
            }
        }
        if (skipped > 0) {
            log.println("!! " + skipped + " kept judgement line(s) in " + journalFile(site) + " are not the judgement of the "
                    + "image they name (edited, merged or unreadable): not used; those images are judged again");
        }
        return out;
    }

    /** Drops the kept judgements from the journal once they are in the score cache. Only before a session opens. */
    public static void forgetKept(Site site) throws IOException {
        CostLedger.forgetKept(journalFile(site));
    }

    /** A journal a killed run left behind is folded in even by a run that calls nothing. */
    public static void foldLeftover(Site site) throws IOException {
        CostLedger.fold(ledgerFile(site), journalFile(site));
    }

    /**
     * Journals the request with its ceiling. Its id must never repeat on a site (a reply replaces the
     * ceiling row of its request id): the run id carries a random nonce for that.
     */
    @Override
    public String sending(OutgoingCall c) throws IOException {
        if (ledger == null) throw new IllegalStateException("a free provider is sending a paid request");
        String requestId = requestIdPrefix + "-" + requests.incrementAndGet();
        SentCall sent = SentCall.priced(requestId, Judgements.TIMESTAMP.format(clock.instant()), c.imagePath(), provider,
                c.model(), c.inputTokensCeiling(), c.outputTokensCeiling(), c.batch(), runId);
        BigDecimal ceiling = sent.costCeilingUsd();
        // the ceiling is held against the hard limit while the request is out: the ledger may charge all of it
        Budget.Admission admission;
        try {
            admission = budget.admit(ceiling, patience);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for requests in flight to settle");
        }
        if (!admission.admitted()) {
            if (admission.step().crossing() == Budget.Crossing.HARD) log.println(noRoom(ceiling));
            throw new OverCostLimit(String.format(Locale.ROOT, "not sent: its cost ceiling of $%.4f does not fit under "
                    + "the hard limit of $%s (cost_hard_usd) beside what this run spent and has in flight",
                    ceiling, usd(budget.hard())));
        }
        try {
            ledger.sent(sent);
        } catch (IOException | RuntimeException e) {
            budget.settle(ceiling, BigDecimal.ZERO); // never sent
            throw e;
        }
        open.put(requestId, ceiling);
        return requestId;
    }

    @Override
    public void unbilled(String requestId) throws IOException {
        if (ledger != null) ledger.unbilled(requestId);
        BigDecimal ceiling = open.remove(requestId);
        if (ceiling != null) announce(budget.settle(ceiling, BigDecimal.ZERO));
    }

    @Override
    public void unconfirmed(String requestId, String why) throws IOException {
        if (ledger == null) throw new IllegalStateException("a free provider reported an unconfirmed call");
        ledger.unconfirmed(requestId, why);
        BigDecimal ceiling = open.remove(requestId);
        if (ceiling != null) charge(ceiling, ceiling);
    }

    @Override
    public void unconfirmed(OutgoingCall c, String callKey, String why) throws IOException {
        if (ledger == null) throw new IllegalStateException("a free provider reported an unconfirmed call");
        CallEntry row = SentCall.priced(callKey, Judgements.TIMESTAMP.format(clock.instant()), c.imagePath(), provider,
                c.model(), c.inputTokensCeiling(), c.outputTokensCeiling(), c.batch(), runId).unconfirmed();
        ledger.paid(row, null);
        charge(BigDecimal.ZERO, row.costUsd());
    }

    /**
     * A ceiling the ledger charges as unconfirmed: spent as far as the limits are concerned.
     *
     * @param held what the request held in flight (zero for a batch result, which had none)
     */
    private void charge(BigDecimal held, BigDecimal ceiling) {
        synchronized (this) {
            unconfirmed = unconfirmed.add(ceiling);
            unconfirmedCalls++;
        }
        announce(budget.settle(held, ceiling));
    }

    @Override
    public void paid(PaidCall c) throws IOException {
        if (ledger == null) throw new IllegalStateException("a free provider reported a paid call");
        var u = c.usage();
        CallEntry e = CallEntry.priced(Judgements.TIMESTAMP.format(clock.instant()), c.imagePath(), provider, c.model(),
                new Tokens(u.inputTokens(), u.outputTokens(), u.cacheReadTokens(), u.cacheWriteTokens()), c.batch(),
                runId, c.callId());
        ledger.paid(e, c.requestId());
        BigDecimal held = c.requestId() == null ? null : open.remove(c.requestId());
        paidCalls.incrementAndGet();
        synchronized (this) {
            billed = billed.add(e.costUsd());
        }
        announce(budget.settle(held == null ? BigDecimal.ZERO : held, e.costUsd()));
    }

    private String noRoom(BigDecimal ceiling) {
        return String.format(Locale.ROOT, "!! cost: this run has spent $%.4f and has $%.4f in flight at their ceilings; "
                + "a request whose ceiling is $%.4f would pass the hard limit of $%s (cost_hard_usd): no new calls; "
                + "calls in flight finish and everything scored is kept (exit code %d)",
                budget.spent(), budget.inFlight(), ceiling, usd(budget.hard()), COST_HALT_EXIT);
    }

    private void announce(Budget.Crossing crossing) {
        switch (crossing) {
            case SOFT -> log.println(String.format(Locale.ROOT,
                    "!! cost: this run has spent $%.2f, past the soft limit of $%s (cost_soft_usd); scoring goes on "
                            + "until the hard limit of $%s", budget.spent(), usd(budget.soft()), usd(budget.hard())));
            case HARD -> log.println(String.format(Locale.ROOT,
                    "!! cost: this run has spent $%.4f and reached the hard limit of $%s (cost_hard_usd): no new "
                            + "calls; calls in flight finish and everything scored is kept (exit code %d)",
                    budget.spent(), usd(budget.hard()), COST_HALT_EXIT));
            case NONE -> { }
        }
    }

    /** A limit as it was configured, never rounded up or down ($0.045, not $0.05), with at least cents. */
    public static String usd(BigDecimal amount) {
        BigDecimal plain = amount.stripTrailingZeros();
        return (plain.scale() < 2 ? plain.setScale(2) : plain).toPlainString();
    }

    /** The hard limit is reached: no new call may start. */
    boolean halted() {
        return budget.halted();
    }

    /** Everything this run counts against its limits: billed plus charged unconfirmed. */
    public BigDecimal spent() {
        return budget.spent();
    }

    /** What the replies of this run were billed, by their own usage. */
    public synchronized BigDecimal billed() {
        return billed;
    }

    /**
     * What the ledger charges this run's requests at their ceilings because no usage to trust came
     * back: those reported so, and any still open (the fold charges them too).
     */
    public synchronized BigDecimal unconfirmed() {
        BigDecimal out = unconfirmed;
        for (BigDecimal c : open.values()) out = out.add(c);
        return out;
    }

    public synchronized int unconfirmedCalls() {
        return unconfirmedCalls + open.size();
    }

    BigDecimal remaining() {
        return budget.remaining();
    }

    BigDecimal hardLimit() {
        return budget.hard();
    }

    public int paidCalls() {
        return paidCalls.get();
    }

    /** Folds the run's journal into the ledger file. */
    @Override
    public void close() throws IOException {
        if (ledger != null) ledger.close();
    }
}
