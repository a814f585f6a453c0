package dev.imagevision.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.report.AuditData.LastRun;
import dev.imagevision.report.AuditData.LedgerCost;
import dev.imagevision.site.Json;
import dev.imagevision.site.SiteFileException;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the cost ledger says, for the report (spec S5): each image's calls over every run, and the
 * last paid run's calls ({@link #lastRun}). Read leniently: only per-call rows that name an
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

    static Read read(Path file) {
        if (!Files.exists(file)) return new Read(Map.of(), null, 0, null);
        JsonNode tree;
        try {
            tree = Json.readTree(file);
        } catch (SiteFileException e) {
            return new Read(Map.of(), null, 0, "cost ledger not shown: " + e.getMessage());
        }
        return of(tree.isObject() ? tree.path("entries") : tree);
    }

    /** Pure: the figures from the ledger's {@code entries}. */
    static Read of(JsonNode entries) {
        Map<String, LedgerCost> out = new TreeMap<>();
        if (!entries.isArray()) return new Read(out, null, 0, null);
        int legacy = 0;
        for (JsonNode e : entries) {
            if (e.has("images_processed")) legacy++;
            String path = e.path("image_path").asText(null);
            JsonNode cost = e.path("cost_usd");
            if (path == null || !cost.isNumber()) continue;
            out.merge(path, new LedgerCost(1, cost.asDouble()), LedgerCosts::plus);
        }
        return new Read(out, lastRun(entries), legacy, null);
    }

    /**
     * The run whose call is the newest (by {@code ts}; on a tie, the later row, as the ledger only
     * appends) and all its rows. A run is its {@code run_id}: the rows a later run folded in from a
     * killed one keep the killed run's id, so they are counted where they were spent.
     */
    static LastRun lastRun(JsonNode entries) {
        String latestId = null, latestTs = null;
        for (JsonNode e : entries) {
            if (!call(e)) continue;
            String ts = e.path("ts").asText("");
            if (latestTs == null || ts.compareTo(latestTs) >= 0) {
                latestTs = ts;
                latestId = e.get("run_id").asText();
            }
        }
        if (latestId == null) return null;
        Map<String, BigDecimal> usd = new TreeMap<>();
        Map<String, Integer> calls = new TreeMap<>();
        String started = null;
        int unconfirmed = 0;
        for (JsonNode e : entries) {
            if (!call(e) || !latestId.equals(e.get("run_id").asText())) continue;
            String path = e.get("image_path").asText();
            usd.merge(path, e.get("cost_usd").decimalValue(), BigDecimal::add);
            calls.merge(path, 1, Integer::sum);
            String ts = e.path("ts").asText("");
            if (started == null || ts.compareTo(started) < 0) started = ts;
            if (e.path("call_id").asText("").startsWith("unconfirmed:")) unconfirmed++;
        }
        Map<String, LedgerCost> byImage = new TreeMap<>();
        usd.forEach((path, v) -> byImage.put(path, new LedgerCost(calls.get(path), v.doubleValue())));
        return new LastRun(latestId, started.isEmpty() ? null : started, byImage, unconfirmed);
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
