package dev.imagevision.bench;

import dev.imagevision.ledger.CallEntry;
import dev.imagevision.ledger.CostLedger;
import dev.imagevision.ledger.LedgerFile;
import dev.imagevision.ledger.SentCall;
import dev.imagevision.ledger.Tokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The ledger's side of a paid run, timed on a long history ({@code imagevision bench ledger},
 * {@code bench/ledger.sh}): open the ledger (check it, fold a leftover journal), journal each call
 * as it is sent and answered, fold the journal into the ledger at the end. The history is a
 * generated ledger of per-call rows exactly as this tool writes them.
 */
public final class LedgerBench {
    private LedgerBench() {}

    /** Images the generated rows cycle through: about the first site's size. */
    static final int IMAGES = 1_350;
    /** Rows per generated run. */
    static final int ROWS_PER_RUN = 100;

    /** Where a benchmark keeps its ledger and the cache folder beside it. */
    public static Path ledgerFile(Path dir) {
        return dir.resolve("static/data/image-vision-cost-ledger.json");
    }

    public static Path journalFile(Path dir) {
        return dir.resolve(".image-cache/ledger-journal.jsonl");
    }

    /** One generated history row: a scored image of some earlier run. */
    static CallEntry row(long i) {
        String ts = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", 2024 + i / 400_000 % 3,
                1 + i / 33_000 % 12, 1 + i / 1_100 % 28, i / 46 % 24, i % 60, (i * 7) % 60);
        return CallEntry.priced(ts, String.format(Locale.ROOT, "/images/missions/m%03d/%02d.jpg", i % IMAGES / 20, i % 20),
                "anthropic", "claude-sonnet-4-6", new Tokens(1200 + i % 700, 90 + i % 80, i % 3 == 0 ? 1000 : 0, 0),
                false, "run-bench-" + i / ROWS_PER_RUN, String.format(Locale.ROOT, "msg_bench%012d", i));
    }

    /**
     * Writes a ledger of {@code rows} per-call rows, streaming (the generator never holds them all),
     * in the bytes this tool writes, {@code monthly_totals} included. Returns the file's size.
     */
    public static long generate(Path dir, long rows) throws IOException {
        Path file = ledgerFile(dir);
        Files.createDirectories(file.getParent());
        LedgerFile.write(file, () -> java.util.stream.LongStream.range(0, rows).mapToObj(LedgerBench::row).iterator());
        return Files.size(file);
    }

    /**
     * What one paid run's ledger work took.
     *
     * @param openSeconds checking the ledger and folding a leftover journal (the first run after a
     *                    clone or a pull also reads the history once, to rebuild what lets later runs skip it)
     * @param foldSeconds folding this run's journal into the ledger
     */
    public record Result(long rows, long bytes, int calls, double openSeconds, double journalSeconds, double foldSeconds) {
        public double seconds() {
            return openSeconds + journalSeconds + foldSeconds;
        }
    }

    /** One paid run's ledger work with {@code calls} new calls, timed with {@code nanos}. */
    public static Result run(Path dir, int calls, LongSupplier nanos) throws IOException {
        Path ledger = ledgerFile(dir);
        if (!Files.exists(ledger)) throw new IllegalArgumentException("no ledger at " + ledger + "; generate one with --rows");
        long t0 = nanos.getAsLong();
        CostLedger l = CostLedger.open(ledger, journalFile(dir));
        long t1 = nanos.getAsLong();
        String runId = "run-bench-now-" + Long.toString(t0, 36);
        for (int i = 0; i < calls; i++) {
            String requestId = runId + "-" + i;
            l.sent(SentCall.priced(requestId, "2026-07-06T10:00:00.000Z", "/images/bench/" + i + ".jpg", "anthropic",
                    "claude-sonnet-4-6", 3_000, 1_024, false, runId));
            l.record(CallEntry.priced("2026-07-06T10:00:00.000Z", "/images/bench/" + i + ".jpg", "anthropic",
                    "claude-sonnet-4-6", new Tokens(1500, 120, 0, 0), false, runId, "msg_" + requestId), requestId);
        }
        long t2 = nanos.getAsLong();
        l.close();
        long t3 = nanos.getAsLong();
        return new Result(rows(dir), Files.size(ledger), calls, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }

    /** The rows the ledger holds, as its sidecar state knows them (no pass over the file). */
    private static long rows(Path dir) throws IOException {
        return CostLedger.knownRows(ledgerFile(dir), journalFile(dir));
    }
}
