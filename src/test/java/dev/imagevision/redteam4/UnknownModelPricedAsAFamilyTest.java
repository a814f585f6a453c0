package dev.imagevision.redteam4;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reply naming a model the price table does not know is to be priced as the model asked for. But
 * Prices.known treats any id that starts with a table row plus "-" as that row's dated snapshot, so
 * "claude-opus-4-7" (or "claude-opus-4-6", "claude-sonnet-4-gateway") is not unknown: a sonnet request
 * answered as "claude-opus-4-7" with 1,500 + 160 tokens is billed $0.0345 at claude-opus-4's $15/$75
 * instead of $0.0069, and with more output it exceeds the ceiling and the image fails as unconfirmed.
 * Only a dated snapshot suffix ("-20250929") should inherit a family's price.
 */
@Tag("reliability")
class UnknownModelPricedAsAFamilyTest {
    @Test
    void aModelIdOutsideTheTableIsPricedAsTheModelAskedFor(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number(), "claude-opus-4-7", 160)))) {
            Path site = HostileApi.site(dir, 1, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            HostileApi.Run run = HostileApi.score(site);
            assertEquals(0, run.exit(), run.err());

            JsonNode row = new ObjectMapper().readTree(site.resolve("static/data/image-vision-cost-ledger.json").toFile())
                    .get("entries").get(0);
            assertEquals(0, new BigDecimal("0.0069").compareTo(row.get("cost_usd").decimalValue()), row.toString());
        }
    }
}
