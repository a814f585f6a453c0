package dev.imagevision.redteam3;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request holds its ceiling priced at the model it asks for (claude-sonnet-4-6, about $0.04), but its
 * reply is billed at the model the reply names. Behind a gateway that names models its own way
 * ("us.anthropic.claude-sonnet-4-6", Bedrock style) the price table does not know the name, so each reply
 * is priced at the dearest row (Opus 4.1, five times Sonnet): $0.099 for 1,500 input and 1,024 output
 * tokens, more than twice the ceiling it held. With concurrency 4 and a $0.10 limit the ledger ends at
 * about $0.40. The hard limit should hold whatever model a reply names (price the reply no higher than
 * the ceiling it held, or charge a reply whose model is not the one asked for at its ceiling).
 */
@Tag("reliability")
class HardLimitPricedByReplyModelTest {
    @Test
    void aReplyNamingAnotherModelCannotCarryTheLedgerPastTheHardLimit(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(
                HostileApi.judgement(r.number(), "us.anthropic.claude-sonnet-4-6", 1024)))) {
            Path site = HostileApi.site(dir, 8,
                    "{\"provider\": \"anthropic\", \"concurrency\": 4, \"cost_hard_usd\": 0.10}", api.baseUrl());

            HostileApi.Run run = HostileApi.score(site);
            assertEquals(3, run.exit(), run.out());

            JsonNode ledger = new ObjectMapper().readTree(site.resolve("static/data/image-vision-cost-ledger.json").toFile());
            BigDecimal total = BigDecimal.ZERO;
            for (JsonNode e : ledger.get("entries")) total = total.add(e.get("cost_usd").decimalValue());
            assertTrue(total.compareTo(new BigDecimal("0.10")) <= 0, "the ledger charges this run $" + total
                    + " against a hard limit of $0.10 (" + api.messageCalls() + " requests)");
        }
    }
}
