package dev.imagevision.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.judgements.Spending;
import dev.imagevision.ledger.CostLedger;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's side of the money: every task attempt's journal (and a CLI run's journal a kill left
 * in the store) folded into the cost ledger once, through the core's fold, then removed. A driver
 * killed between publishing the ledger and removing the journals leaves them for the next run, whose
 * fold skips what the ledger already holds.
 */
final class Journals {
    private Journals() {}

    /** What was folded: the run's billed replies and their cost, and whether anything changed the ledger. */
    record Folded(int billed, BigDecimal billedUsd, int unconfirmed, List<String> folders) {}

    /**
     * Folds every journal in the store into {@code ledgerFile} (a local copy of the site's ledger).
     * Counts the billed replies of {@code runId}. The caller publishes the ledger, then calls
     * {@link #remove}.
     */
    static Folded fold(SiteStore store, String cacheDir, Path ledgerFile, String runId) throws IOException {
        StringBuilder lines = new StringBuilder();
        List<String> folders = new ArrayList<>();
        String cliJournal = cacheDir + "/" + Spending.JOURNAL;
        store.read(cliJournal).ifPresent(b -> {
            String s = new String(b, StandardCharsets.UTF_8);
            lines.append(s);
            if (!s.isEmpty() && !s.endsWith("\n")) lines.append('\n'); // a torn last line must not swallow the next
            folders.add(cliJournal);
        });
        int billed = 0, sent = 0, answered = 0;
        BigDecimal usd = BigDecimal.ZERO;
        String root = cacheDir + "/" + AttemptJournal.DIR;
        for (String run : store.list(root)) {
            folders.add(root + "/" + run);
            for (String attempt : store.list(root + "/" + run)) {
                for (String event : store.list(root + "/" + run + "/" + attempt)) {
                    if (!event.endsWith(".json")) continue; // a temporary object of an interrupted write
                    byte[] b = store.read(root + "/" + run + "/" + attempt + "/" + event).orElse(new byte[0]);
                    String line = new String(b, StandardCharsets.UTF_8).strip();
                    if (line.isEmpty()) continue;
                    lines.append(line).append('\n');
                    if (!run.equals(runId)) continue;
                    JsonNode n = parse(line);
                    if (n == null) continue;
                    if (n.hasNonNull("sent")) sent++;
                    else if (n.hasNonNull("unbilled")) answered++;
                    else if (n.hasNonNull("call_id")) {
                        billed++;
                        if (n.hasNonNull("request_id")) answered++;
                        usd = usd.add(n.path("cost_usd").decimalValue());
                    }
                }
            }
        }
        if (lines.isEmpty()) return new Folded(0, BigDecimal.ZERO, 0, folders);
        Path journal = Files.createTempFile(ledgerFile.toAbsolutePath().getParent(), "spark-journal", ".jsonl");
        Files.writeString(journal, lines, StandardCharsets.UTF_8);
        CostLedger.fold(ledgerFile, journal); // removes the local journal
        return new Folded(billed, usd, Math.max(0, sent - answered), folders);
    }

    private static JsonNode parse(String line) {
        try {
            return AttemptJournal.LINES.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /** Removes what {@link #fold} folded, once the ledger holding it is published. */
    static void remove(SiteStore store, Folded folded) throws IOException {
        for (String f : folded.folders()) store.deleteTree(f);
    }
}
