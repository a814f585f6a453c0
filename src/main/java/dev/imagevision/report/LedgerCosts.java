package dev.imagevision.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.report.AuditData.LastRun;
import dev.imagevision.report.AuditData.LedgerCost;
import dev.imagevision.ledger.LedgerAudit;
import dev.imagevision.ledger.LedgerFile;
import dev.imagevision.site.Json;
import dev.imagevision.site.SiteFileException;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
     * The figures from the ledger file, read one entry at a time in two passes (rows checked and the
     * newest run found; then every image's and that run's rows counted, each call once), so a ledger
     * of a million rows costs time, not memory. Rows that cannot be counted as money are left out, and
     * the note says how many (validate names them).
     */
    static Read read(Path file) {
        if (!Files.exists(file)) return new Read(Map.of(), null, 0, null);
        try {
            LedgerAudit audit = LedgerAudit.forBytes(Files.size(file));
            Latest latest = new Latest();
            LedgerFile.forEachRow(file, (e, index, line) -> latest.add(e, audit.first(e, index, line)));
            Tally all = new Tally(audit, latest.runId);
            LedgerFile.forEachRow(file, all::add);
            return all.read(latest.legacy);
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
        LedgerAudit audit = new LedgerAudit(entries.size());
        Latest latest = new Latest();
        long i = 0;
        for (JsonNode e : entries) latest.add(e, audit.first(e, i++, 0));
        Tally all = new Tally(audit, latest.runId);
        i = 0;
        for (JsonNode e : entries) all.add(e, i++, 0);
        return all.read(latest.legacy);
    }

    /** The first pass: the run of the newest call (a row that cannot be counted names none), the older per-run rows. */
    private static final class Latest {
        int legacy;
        String runId, ts;

        void add(JsonNode e, boolean countable) {
            if (e.has("images_processed")) legacy++;
            if (!countable || !call(e)) return;
            String t = e.path("ts").asText("");
            if (ts == null || t.compareTo(ts) >= 0) {
                ts = t;
                runId = e.get("run_id").asText();
            }
        }
    }

    /** The second pass: each image's calls over every run, and the newest run's, counting what the audit counts. */
    private static final class Tally {
        final LedgerAudit audit;
        final Map<String, LedgerCost> costs = new TreeMap<>();
        final RunTally run;

        Tally(LedgerAudit audit, String latestRun) {
            this.audit = audit;
            this.run = latestRun == null ? null : new RunTally(latestRun);
        }

        void add(JsonNode e, long index, long line) {
            if (!audit.counts(e, index, line)) return;
            String path = e.path("image_path").asText(null);
            if (path != null) costs.merge(path, new LedgerCost(1, e.get("cost_usd").asDouble()), LedgerCosts::plus);
            if (run != null) run.add(e);
        }

        Read read(int legacy) {
            List<String> left = new java.util.ArrayList<>();
            if (audit.problemCount() > 0) {
                left.add(audit.problemCount() == 1 ? "1 row that cannot be counted as money is left out"
                        : audit.problemCount() + " rows that cannot be counted as money are left out");
            }
            if (audit.repeatCount() > 0) {
                left.add(audit.repeatCount() == 1 ? "1 repeated row is counted once"
                        : audit.repeatCount() + " repeated rows are counted once");
            }
            String note = left.isEmpty() ? null
                    : "cost ledger: " + String.join(", ", left) + " (imagevision validate names them)";
            return new Read(costs, run == null ? null : run.lastRun(), legacy, note);
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
        return of(entries).lastRun();
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
