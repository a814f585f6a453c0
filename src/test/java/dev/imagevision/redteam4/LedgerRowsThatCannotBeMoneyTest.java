package dev.imagevision.redteam4;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-edited ledgers the row checks let through. */
@Tag("reliability")
class LedgerRowsThatCannotBeMoneyTest {
    private static final String ROW = """
            {"ts": "2026-12-05T20:10:55.836Z", "image_path": "/images/missions/crs-21/01.jpg", "provider": "anthropic",
             "model": "claude-sonnet-4-6", "input_tokens": 1500, "output_tokens": 160, "cache_read_tokens": 0,
             "cache_write_tokens": 0, "cost_usd": COST, "batch": false, "run_id": "run-old", "call_id": "msg_old_1"}""";

    /**
     * cost_usd 1e-999999999 is a number, not negative and under $28.35, so validate says "valid" and the paid
     * run starts, sends nothing and ends with exit 5: "could not write outputs: Attempt to write plain
     * `java.math.BigDecimal` … with illegal scale (999999999) … Free disk space, raise the file size limit …",
     * blaming the disk, on every paid run. It should be refused like any row that cannot be money: exit 2, the
     * row named by index and line, and validate reporting it.
     */
    @Test
    void aCostWithAnExponentTheLedgerCannotWriteBackIsRefusedByName(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 1, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            Files.writeString(site.resolve("static/data/image-vision-cost-ledger.json"),
                    "{\"version\": \"1.0\", \"entries\": [" + ROW.replace("COST", "1e-999999999") + "], \"monthly_totals\": {}}");

            HostileApi.Run validate = HostileApi.validate(site);
            HostileApi.Run run = HostileApi.score(site);

            assertEquals(2, run.exit(), run.err());
            assertTrue(run.err().contains("entries[0]"), run.err());
            assertEquals(2, validate.exit(), validate.err() + validate.out());
        }
    }

    /**
     * A ledger with the "entries" key twice (a merge leaves {"entries": [], "entries": [...]}) is read as valid
     * by validate and by a paid run. The run then writes each new call into both arrays: on the sample site
     * (29 old rows, 29 new calls) the file ends with 29 + 58 rows, the 29 new call ids twice each, and
     * monthly_totals $0.6003 where the calls cost $0.4002; validate then warns 29 repeats. A repeated key
     * should make the ledger malformed (exit 2, line named) like any other JSON it cannot read one way.
     */
    @Test
    void aLedgerWithTheEntriesKeyTwiceIsRefusedNotWrittenTwice(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 1, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            Path ledger = site.resolve("static/data/image-vision-cost-ledger.json");
            Files.writeString(ledger, "{\"version\": \"1.0\", \"entries\": [],\n \"entries\": [" + ROW.replace("COST", "0.0069")
                    + "], \"monthly_totals\": {\"2026-12\": {\"anthropic\": 0.0069}}}");

            HostileApi.Run run = HostileApi.score(site);

            String after = Files.readString(ledger);
            int copies = after.split("msg_hostile_000001", -1).length - 1;
            assertTrue(run.exit() == 2 || copies == 1, "exit " + run.exit() + ", the new call's row written " + copies
                    + " times:\n" + after);
        }
    }

    /**
     * cost_usd 0.0069e-2147483648 stops validate and the paid run with exit 2, but with Jackson's words only
     * ("imagevision: Value "0.0069e-2147483648" can not be deserialized as `java.math.BigDecimal`, reason:
     * Exponent overflow."): neither the ledger file nor the row (index, line) is named, unlike every other row
     * that cannot be money.
     */
    @Test
    void aCostWhoseExponentOverflowsIsNamedByRow(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 1, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            Files.writeString(site.resolve("static/data/image-vision-cost-ledger.json"), "{\"version\": \"1.0\", \"entries\": ["
                    + ROW.replace("COST", "0.0069e-2147483648") + "], \"monthly_totals\": {}}");

            HostileApi.Run run = HostileApi.score(site);

            assertEquals(2, run.exit(), run.err());
            assertEquals(0, api.messageCalls());
            assertTrue(run.err().contains("entries[0]") && run.err().contains("image-vision-cost-ledger.json"), run.err());
        }
    }
}
