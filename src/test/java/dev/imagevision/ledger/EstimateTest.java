package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the dry run and the batch admission expect an image to cost, from what the ledger measured. */
class EstimateTest {
    static CallEntry call(String id, long input) {
        return CallEntry.priced("2026-07-06T10:00:00.000Z", "/images/a/" + id + ".jpg", "anthropic", "claude-sonnet-4-6",
                new Tokens(input, 150, 0, 0), false, "run-1", id);
    }

    /**
     * A hand-edited row with a negative token count made the measured price negative, and the batch
     * admission then let every image through past the hard cost limit ("a price of zero or less fits
     * anything"). A row that cannot be counted as money is no measurement.
     */
    @Test
    void aRowThatCannotBeCountedIsNoMeasurement() {
        ObjectNode honest = LedgerFile.withCalls(LedgerFile.empty(), List.of(call("msg_1", 1500)));
        ObjectNode edited = LedgerFile.withCalls(LedgerFile.empty(), List.of(call("msg_1", 1500), call("msg_2", 1500)));
        ((ObjectNode) edited.get("entries").get(1)).put("input_tokens", -1_000_000);
        Estimate expected = Estimate.from(honest, "claude-sonnet-4-6", true);
        Estimate measured = Estimate.from(edited, "claude-sonnet-4-6", true);
        assertThat(measured.perImageUsd()).isPositive().isEqualByComparingTo(expected.perImageUsd());
    }
}
