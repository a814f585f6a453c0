package dev.imagevision.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.report.AuditData.LedgerCost;
import dev.imagevision.site.Json;
import dev.imagevision.site.SiteFileException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the cost ledger says each image cost, for the report's inline "calls, total" (spec S5).
 * Read leniently: only per-call rows that name an {@code image_path} count (the site's older
 * per-run rows do not name one), and a ledger that cannot be read costs the report a note, not
 * the report itself.
 */
final class LedgerCosts {
    private LedgerCosts() {}

    record Read(Map<String, LedgerCost> costs, String problem) {}

    static Read read(Path file) {
        if (!Files.exists(file)) return new Read(Map.of(), null);
        JsonNode tree;
        try {
            tree = Json.readTree(file);
        } catch (SiteFileException e) {
            return new Read(Map.of(), "cost ledger not shown: " + e.getMessage());
        }
        JsonNode entries = tree.isObject() ? tree.path("entries") : tree;
        Map<String, LedgerCost> out = new TreeMap<>();
        if (!entries.isArray()) return new Read(out, null);
        for (JsonNode e : entries) {
            String path = e.path("image_path").asText(null);
            JsonNode cost = e.path("cost_usd");
            if (path == null || !cost.isNumber()) continue;
            out.merge(path, new LedgerCost(1, cost.asDouble()),
                    (a, b) -> new LedgerCost(a.calls() + b.calls(), a.usd() + b.usd()));
        }
        return new Read(out, null);
    }
}
