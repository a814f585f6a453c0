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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's side of the money: every task attempt's journal (and a CLI run's journal a kill left
 * in the store) folded into the cost ledger once, through the core's fold, then removed. A driver
 * killed between publishing the ledger and removing the journals leaves them for the next run, whose
 * fold skips what the ledger already holds.
 */
final class Journals {
    private Journals() {}

    /**
     * What was folded for the run: its billed replies and their cost, the requests the ledger charges at
     * their ceilings because no usage to trust came back (reported so, or with no answer on record), and
     * the folders folded.
     */
    record Folded(int billed, BigDecimal billedUsd, int unconfirmed, BigDecimal unconfirmedUsd, List<String> folders) {}

    /**
     * Folds every journal in the store into {@code ledgerFile} (a local copy of the site's ledger).
     * Counts the billed and unconfirmed calls of {@code runId}. The caller publishes the ledger, then
     * calls {@link #remove}.
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
        int billed = 0, unconfirmed = 0;
        BigDecimal usd = BigDecimal.ZERO, unconfirmedUsd = BigDecimal.ZERO;
        Map<String, BigDecimal> open = new HashMap<>(); // this run's requests with no usage on record yet
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
                    if (n.hasNonNull("sent")) {
                        open.put(n.get("sent").asText(), n.path("cost_usd").decimalValue());
                    } else if (n.hasNonNull("unbilled")) {
                        open.remove(n.get("unbilled").asText());
                    } else if (n.hasNonNull("call_id")) {
                        if (n.hasNonNull("request_id")) open.remove(n.get("request_id").asText());
                        if (n.get("call_id").asText().startsWith("unconfirmed:")) {
                            unconfirmed++; // a row charged its ceiling outright
                            unconfirmedUsd = unconfirmedUsd.add(n.path("cost_usd").decimalValue());
                        } else {
                            billed++;
                            usd = usd.add(n.path("cost_usd").decimalValue());
                        }
                    }
                    // an {"unconfirmed": id} line leaves its request open: the fold charges its ceiling
                }
            }
        }
        for (BigDecimal ceiling : open.values()) {
            unconfirmed++;
            unconfirmedUsd = unconfirmedUsd.add(ceiling);
        }
        if (lines.isEmpty()) return new Folded(0, BigDecimal.ZERO, 0, BigDecimal.ZERO, folders);
        Path journal = Files.createTempFile(ledgerFile.toAbsolutePath().getParent(), "spark-journal", ".jsonl");
        Files.writeString(journal, lines, StandardCharsets.UTF_8);
        CostLedger.fold(ledgerFile, journal); // removes the local journal
        return new Folded(billed, usd, unconfirmed, unconfirmedUsd, folders);
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
