package dev.imagevision.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.report.AuditData.LastRun;
import dev.imagevision.report.AuditData.LedgerCost;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** Which run the report calls "last paid run", and what it and all runs spent per image. */
class LedgerCostsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode call(String ts, String path, String cost, String runId, String callId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ts", ts).put("image_path", path).put("provider", "anthropic").put("model", "claude-sonnet-4-6")
                .put("input_tokens", 4000).put("output_tokens", 500).put("cost_usd", new BigDecimal(cost))
                .put("batch", false).put("run_id", runId).put("call_id", callId);
        return n;
    }

    static ObjectNode legacy() {
        ObjectNode n = JSON.createObjectNode();
        n.put("ts", "2026-05-24T01:00:48.545Z").put("scope", "all").put("images_processed", 40).put("images_cached", 3)
                .put("cost_usd", 0.24).put("provider", "anthropic").put("model", "claude-sonnet-4-6");
        return n;
    }

    static JsonNode entries(ObjectNode... rows) {
        ArrayNode a = JSON.createArrayNode();
        for (ObjectNode r : rows) a.add(r);
        return a;
    }

    /** A hand edit never shows as money: a row that cannot be counted is left out, a repeated call counted once, and said. */
    @Test
    void aRowThatCannotBeCountedIsLeftOutAndARepeatedCallCountedOnceAndTheReportSaysSo() {
        ObjectNode b = call("2026-07-01T10:00:02.000Z", "/b.jpg", "0.02", "run-1", "m3");
        JsonNode e = entries(call("2026-07-01T10:00:00.000Z", "/a.jpg", "0.0195", "run-1", "m1"), b, b.deepCopy(),
                call("2026-07-01T10:00:03.000Z", "/a.jpg", "-100", "run-1", "m9"));
        LedgerCosts.Read r = LedgerCosts.of(e);
        assertThat(r.costs().get("/a.jpg")).isEqualTo(new LedgerCost(1, 0.0195));
        assertThat(r.costs().get("/b.jpg")).isEqualTo(new LedgerCost(1, 0.02));
        assertThat(r.lastRun().byImage().get("/b.jpg")).isEqualTo(new LedgerCost(1, 0.02));
        assertThat(r.lastRun().byImage().get("/a.jpg")).isEqualTo(new LedgerCost(1, 0.0195));
        assertThat(r.problem()).contains("1 row that cannot be counted as money", "1 repeated row", "imagevision validate");
    }

    @Test
    void theLastRunIsTheRunOfTheNewestCallWithOnlyItsOwnRows() {
        JsonNode e = entries(legacy(),
                call("2026-07-01T10:00:00.000Z", "/a.jpg", "0.0195", "run-1", "m1"),
                call("2026-07-01T10:00:01.000Z", "/a.jpg", "0.0195", "run-1", "m2"), // a re-ask
                call("2026-07-01T10:00:02.000Z", "/b.jpg", "0.02", "run-1", "m3"),
                call("2026-07-02T09:00:00.000Z", "/b.jpg", "0.01", "run-2", "m4"),
                call("2026-07-02T09:00:05.000Z", "/c.jpg", "0.03", "run-2", "m5"));
        LedgerCosts.Read r = LedgerCosts.of(e);
        LastRun last = r.lastRun();
        assertThat(last.runId()).isEqualTo("run-2");
        assertThat(last.startedAt()).isEqualTo("2026-07-02T09:00:00.000Z");
        assertThat(last.byImage()).containsOnlyKeys("/b.jpg", "/c.jpg");
        assertThat(last.byImage().get("/b.jpg")).isEqualTo(new LedgerCost(1, 0.01));
        assertThat(last.unconfirmed()).isZero();
        // all runs, per image, stay as they were
        assertThat(r.costs().get("/a.jpg").calls()).isEqualTo(2);
        assertThat(r.costs().get("/b.jpg").calls()).isEqualTo(2);
        assertThat(r.costs().get("/b.jpg").usd()).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.legacyRows()).isEqualTo(1);
    }

    @Test
    void rowsOfAKilledRunFoldedInLaterCountForTheKilledRunNotTheLaterOne() {
        // run-2 folded run-1's journal when it started, so run-1's rows come after run-2's first rows in the file
        JsonNode e = entries(
                call("2026-07-02T09:00:00.000Z", "/b.jpg", "0.01", "run-2", "m4"),
                call("2026-07-01T10:00:00.000Z", "/a.jpg", "0.05", "run-1", "unconfirmed:run-1-1"));
        LastRun last = LedgerCosts.of(e).lastRun();
        assertThat(last.runId()).isEqualTo("run-2");
        assertThat(last.byImage()).containsOnlyKeys("/b.jpg");

        LastRun killed = LedgerCosts.of(entries(call("2026-07-01T10:00:00.000Z", "/a.jpg", "0.05", "run-1",
                "unconfirmed:run-1-1"))).lastRun();
        assertThat(killed.unconfirmed()).isEqualTo(1);
    }

    @Test
    void onATimeTieTheLaterRowWinsAsTheLedgerOnlyAppends() {
        // a pinned clock gives two runs the same timestamps
        JsonNode e = entries(call("2026-07-06T10:00:00.000Z", "/a.jpg", "0.0195", "run-x-1", "m1"),
                call("2026-07-06T10:00:00.000Z", "/b.jpg", "0.0195", "run-x-2", "m2"));
        assertThat(LedgerCosts.of(e).lastRun().runId()).isEqualTo("run-x-2");
    }

    @Test
    void aLedgerWithoutPerCallRowsHasNoLastRun() {
        assertThat(LedgerCosts.of(entries(legacy())).lastRun()).isNull();
        assertThat(LedgerCosts.of(entries()).lastRun()).isNull();
        ObjectNode noRun = call("2026-07-06T10:00:00.000Z", "/a.jpg", "0.0195", "x", "m1");
        noRun.remove("run_id");
        LedgerCosts.Read r = LedgerCosts.of(entries(noRun));
        assertThat(r.lastRun()).isNull();
        assertThat(r.costs()).containsKey("/a.jpg"); // still counted over all runs
    }
}
