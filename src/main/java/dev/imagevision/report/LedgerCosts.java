package dev.imagevision.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.report.AuditData.LastRun;
import dev.imagevision.report.AuditData.LedgerCost;
import dev.imagevision.ledger.LedgerFile;
import dev.imagevision.site.Json;
import dev.imagevision.site.SiteFileException;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the cost ledger says, for the report (spec S5): each image's calls over every run, and the
 * last paid run's calls ({@link #lastRun}), streamed from the file. Read leniently: only per-call rows that name an
 * {@code image_path} count (the site's older per-run rows do not name one), and a ledger that
 * cannot be read costs the report a note, not the report itself.
 */
final class LedgerCosts {
    private LedgerCosts() {}

    /**
     * @param costs       per image, every call the ledger holds (all runs)
     * @param lastRun     the most recent run with calls in the ledger, or null when there is none
     * @param legacyRows  the site's older per-run rows (no per-image breakdown)
     */
    record Read(Map<String, LedgerCost> costs, LastRun lastRun, int legacyRows, String problem) {}

    /**
     * The figures from the ledger file, read one entry at a time in two passes (every image, and the
     * newest run; then that run's rows), so a ledger of a million rows costs time, not memory.
     */
    static Read read(Path file) {
        if (!Files.exists(file)) return new Read(Map.of(), null, 0, null);
        Tally all = new Tally();
        try {
            LedgerFile.forEachEntry(file, all::add);
            if (all.latestId == null) return new Read(all.costs, null, all.legacy, null);
            RunTally run = new RunTally(all.latestId);
            LedgerFile.forEachEntry(file, run::add);
            return new Read(all.costs, run.lastRun(), all.legacy, null);
        } catch (SiteFileException e) {
            try {
                JsonNode tree = Json.readTree(file);
                if (tree.isArray()) return of(tree); // a bare list of rows: shown, though no run appends to it
            } catch (SiteFileException unreadable) {
                // the note below says why
            }
            return new Read(Map.of(), null, 0, "cost ledger not shown: " + e.getMessage());
        } catch (IOException e) {
            return new Read(Map.of(), null, 0, "cost ledger not shown: " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** Pure: the figures from the ledger's {@code entries}. */
    static Read of(JsonNode entries) {
        if (!entries.isArray()) return new Read(new TreeMap<>(), null, 0, null);
        Tally all = new Tally();
        entries.forEach(all::add);
        return new Read(all.costs, lastRun(entries), all.legacy, null);
    }

    /** Each image's calls over every run, the older per-run rows, and the run of the newest call. */
    private static final class Tally {
        final Map<String, LedgerCost> costs = new TreeMap<>();
        int legacy;
        String latestId, latestTs;

        void add(JsonNode e) {
            if (e.has("images_processed")) legacy++;
            String path = e.path("image_path").asText(null);
            JsonNode cost = e.path("cost_usd");
            if (path != null && cost.isNumber()) costs.merge(path, new LedgerCost(1, cost.asDouble()), LedgerCosts::plus);
            if (!call(e)) return;
            String ts = e.path("ts").asText("");
            if (latestTs == null || ts.compareTo(latestTs) >= 0) {
                latestTs = ts;
                latestId = e.get("run_id").asText();
            }
        }
    }

    /** One run's rows: what it spent per image, when it started, how many calls were charged their ceiling. */
    private static final class RunTally {
        final String runId;
        final Map<String, BigDecimal> usd = new TreeMap<>();
        final Map<String, Integer> calls = new TreeMap<>();
        String started;
        int unconfirmed;

        RunTally(String runId) {
            this.runId = runId;
        }

        void add(JsonNode e) {
            if (!call(e) || !runId.equals(e.get("run_id").asText())) return;
            String path = e.get("image_path").asText();
            usd.merge(path, e.get("cost_usd").decimalValue(), BigDecimal::add);
            calls.merge(path, 1, Integer::sum);
            String ts = e.path("ts").asText("");
            if (started == null || ts.compareTo(started) < 0) started = ts;
            if (e.path("call_id").asText("").startsWith("unconfirmed:")) unconfirmed++;
        }

        LastRun lastRun() {
            Map<String, LedgerCost> byImage = new TreeMap<>();
            usd.forEach((path, v) -> byImage.put(path, new LedgerCost(calls.get(path), v.doubleValue())));
            return new LastRun(runId, started == null || started.isEmpty() ? null : started, byImage, unconfirmed);
        }
    }

    /**
     * The run whose call is the newest (by {@code ts}; on a tie, the later row, as the ledger only
     * appends) and all its rows. A run is its {@code run_id}: the rows a later run folded in from a
     * killed one keep the killed run's id, so they are counted where they were spent.
     */
    static LastRun lastRun(JsonNode entries) {
        Tally all = new Tally();
        entries.forEach(all::add);
        if (all.latestId == null) return null;
        RunTally run = new RunTally(all.latestId);
        entries.forEach(run::add);
        return run.lastRun();
    }

    /** A per-call row of ours that belongs to a run. */
    private static boolean call(JsonNode e) {
        return e.hasNonNull("image_path") && e.path("cost_usd").isNumber() && e.hasNonNull("run_id")
                && !e.get("run_id").asText().isBlank();
    }

    private static LedgerCost plus(LedgerCost a, LedgerCost b) {
        return new LedgerCost(a.calls() + b.calls(), a.usd() + b.usd());
    }
}
