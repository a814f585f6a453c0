package dev.imagevision.redteam2;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cost_hard_usd is a hard limit, yet with concurrency 8 a run starts 8 calls whose ceilings (about $0.04 each)
 * it already knows, so a $0.05 limit ends with $0.34 in the ledger (unreadable 200s are charged at their
 * ceilings) and a $0.10 limit with $0.15 of billed replies. Calls in flight should count against the limit
 * at their ceilings before another one starts.
 */
@Tag("reliability")
class HardCapWithConcurrencyTest {
    @Test
    void theLedgerNeverPassesTheHardLimit(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> new HostileApi.Reply(200, "<html>gateway</html>", 300))) {
            Path site = HostileApi.site(dir, 8,
                    "{\"provider\": \"anthropic\", \"concurrency\": 8, \"cost_hard_usd\": 0.05}", api.baseUrl());

            HostileApi.Run run = HostileApi.score(site);
            assertEquals(3, run.exit(), run.out());

            JsonNode ledger = new ObjectMapper().readTree(site.resolve("static/data/image-vision-cost-ledger.json").toFile());
            double total = 0;
            for (JsonNode e : ledger.get("entries")) total += e.get("cost_usd").asDouble();
            assertTrue(total <= 0.05, "the ledger charges this run $" + total + " against a hard limit of $0.05 ("
                    + api.messageCalls() + " requests started)");
        }
    }
}
