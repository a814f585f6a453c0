package dev.imagevision.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.bench.LedgerBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code imagevision bench ledger}: a paid run's ledger work on a long history (bench/ledger.sh runs it at three sizes). */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = {"With --rows: write a cost ledger of N per-call rows under DIR and stop. Without: time one paid run's "
                + "ledger work there (open and check it, journal --calls calls, fold them in) and print it with the "
                + "process's peak RSS. Run it in a fresh process per measurement (peak RSS is the process's)."})
public final class BenchLedgerCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the ledger and its cache folder are.")
    Path dir;

    @Option(names = "--rows", paramLabel = "N", description = "Generate a ledger of N rows (replacing one there) and stop.")
    Long rows;

    @Option(names = "--calls", paramLabel = "K", description = "Calls the timed run journals and folds in (default: 2).")
    int calls = 2;

    @Option(names = "--json", description = "Print the figures as one JSON object on stdout.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    record Figures(@JsonProperty("rows") long rows, @JsonProperty("ledger_bytes") long bytes,
                   @JsonProperty("calls") int calls, @JsonProperty("open_s") double open,
                   @JsonProperty("journal_s") double journal, @JsonProperty("fold_s") double fold,
                   @JsonProperty("seconds") double seconds, @JsonProperty("peak_rss_bytes") Long peakRss) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (calls < 0 || calls > 1_000_000) throw new IllegalArgumentException("--calls must be 0..1000000, got " + calls);
        if (rows != null) {
            if (rows < 0) throw new IllegalArgumentException("--rows must not be negative, got " + rows);
            Files.deleteIfExists(LedgerBench.journalFile(dir));
            long bytes = LedgerBench.generate(dir, rows);
            out.printf(Locale.ROOT, "wrote %,d rows (%,d bytes) to %s%n", rows, bytes, LedgerBench.ledgerFile(dir));
            out.flush();
            return Main.OK;
        }
        LedgerBench.Result r = LedgerBench.run(dir, calls, System::nanoTime);
        Long rss = dev.imagevision.bench.PeakRss.bytes();
        if (json) {
            out.println(dev.imagevision.site.Json.COMPACT.writeValueAsString(new Figures(r.rows(), r.bytes(), r.calls(),
                    r.openSeconds(), r.journalSeconds(), r.foldSeconds(), r.seconds(), rss)));
        } else {
            out.printf(Locale.ROOT, "rows %d bytes %d calls %d open_s %.3f journal_s %.3f fold_s %.3f seconds %.3f peak_rss_mib %s%n",
                    r.rows(), r.bytes(), r.calls(), r.openSeconds(), r.journalSeconds(), r.foldSeconds(), r.seconds(),
                    rss == null ? "unknown" : Long.toString(rss >> 20));
        }
        out.flush();
        return Main.OK;
    }
}
