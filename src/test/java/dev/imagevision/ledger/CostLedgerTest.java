package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Crash safety: a kill at any point neither corrupts the ledger nor loses a paid call. */
class CostLedgerTest {
    @TempDir
    Path dir;

    Path ledger() {
        return dir.resolve("static/data/image-vision-cost-ledger.json");
    }

    Path journal() {
        return dir.resolve(".image-cache/ledger-journal.jsonl");
    }

    static CallEntry call(String id) {
        return CallEntry.priced("2026-07-06T10:00:00.000Z", "/images/a/" + id + ".jpg", "anthropic", "claude-sonnet-4-6",
                new Tokens(1500, 120, 0, 0), false, "run-1", id);
    }

    @Test
    void callsRecordedBeforeAKillAreFoldedInByTheNextRun() throws IOException {
        CostLedger killed = CostLedger.open(ledger(), journal());
        killed.record(call("msg_1"));
        killed.record(call("msg_2"));
        // the process dies here: no close(), the ledger JSON was never touched
        assertThat(ledger()).doesNotExist();
        assertThat(Files.readAllLines(journal())).hasSize(2);

        try (CostLedger next = CostLedger.open(ledger(), journal())) {
            assertThat(journal()).doesNotExist();
            next.record(call("msg_3"));
        }
        JsonNode l = LedgerFile.read(ledger());
        assertThat(l.get("entries").size()).isEqualTo(3);
        assertThat(l.at("/monthly_totals/2026-07/anthropic").decimalValue()).isEqualByComparingTo("0.0189");
        assertThat(journal()).doesNotExist();
    }

    @Test
    void aKeptJudgementOutlivesTheFoldsUntilItIsForgotten() throws IOException {
        var judgement = Journal.LINES.createObjectNode().put("key", "k1").put("path", "/images/a/1.jpg");
        try (CostLedger run = CostLedger.open(ledger(), journal())) {
            run.record(call("msg_1"));
            run.kept(judgement);
        }
        assertThat(LedgerFile.read(ledger()).get("entries").size()).isEqualTo(1);
        assertThat(CostLedger.keptJudgements(journal())).containsExactly(judgement);

        CostLedger.open(ledger(), journal()).close(); // folding again neither charges the kept line nor drops it
        assertThat(LedgerFile.read(ledger()).get("entries").size()).isEqualTo(1);
        assertThat(CostLedger.keptJudgements(journal())).containsExactly(judgement);

        CostLedger.forgetKept(journal());
        assertThat(journal()).doesNotExist();
    }

    @Test
    void aLineTornByAKillMidAppendIsSkippedAndTheRestKept() throws IOException {
        CostLedger killed = CostLedger.open(ledger(), journal());
        killed.record(call("msg_1"));
        Files.writeString(journal(), "{\"ts\":\"2026-07-06T10:00:00.000Z\",\"image_path\":\"/ima", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        CostLedger.open(ledger(), journal()).close();
        assertThat(LedgerFile.read(ledger()).get("entries").size()).isEqualTo(1);
    }

    @Test
    void aKillBetweenWritingTheLedgerAndDeletingTheJournalCountsNothingTwice() throws IOException {
        CostLedger run = CostLedger.open(ledger(), journal());
        run.record(call("msg_1"));
        run.record(call("msg_2"));
        Path copy = dir.resolve("journal-copy");
        Files.copy(journal(), copy);
        run.close(); // folds and deletes the journal
        Files.copy(copy, journal()); // as if the delete never happened
        assertThat(CostLedger.fold(ledger(), journal())).isTrue();
        ObjectNode l = LedgerFile.read(ledger());
        assertThat(l.get("entries").size()).isEqualTo(2);
        assertThat(journal()).doesNotExist();
    }

    @Test
    void aMalformedLedgerStopsTheRunBeforeAnythingIsSpentAndTheJournalIsKept() throws IOException {
        CostLedger run = CostLedger.open(ledger(), journal());
        run.record(call("msg_1"));
        Files.createDirectories(ledger().getParent());
        Files.writeString(ledger(), "{ broken");
        assertThatThrownBy(run::close).hasMessageContaining("is not valid JSON");
        assertThat(journal()).exists(); // the paid call is still on disk
        assertThatThrownBy(() -> CostLedger.open(ledger(), journal())).hasMessageContaining("is not valid JSON");
        assertThat(Files.readString(ledger())).isEqualTo("{ broken");
    }

    @Test
    void nothingIsWrittenWhenNothingWasPaid() throws IOException {
        CostLedger.open(ledger(), journal()).close();
        assertThat(ledger()).doesNotExist();
        assertThat(journal()).doesNotExist();
    }

    static SentCall sent(String requestId) {
        return SentCall.priced(requestId, "2026-07-06T10:00:00.000Z", "/images/a/" + requestId + ".jpg", "anthropic",
                "claude-sonnet-4-6", 6000, 1024, false, "run-1");
    }

    static java.util.List<String> callIds(Path ledger) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        LedgerFile.read(ledger).get("entries").forEach(e -> ids.add(e.get("call_id").asText()));
        return ids;
    }

    @Test
    void aRequestSentButNeverAnsweredInTheJournalIsChargedItsCeiling() throws IOException {
        CostLedger killed = CostLedger.open(ledger(), journal());
        killed.sent(sent("r-1"));
        killed.record(call("msg_1"), "r-1");
        killed.sent(sent("r-2")); // the API billed it; the process died before the reply was journaled
        killed.sent(sent("r-3"));
        killed.unbilled("r-3"); // a 529: not billed
        CostLedger.open(ledger(), journal()).close();

        assertThat(callIds(ledger())).containsExactly("msg_1", "unconfirmed:r-2");
        JsonNode ceiling = LedgerFile.read(ledger()).get("entries").get(1);
        // 6000 input tokens at the cache-write rate ($3.75/M) + 1024 output tokens at $15/M
        assertThat(ceiling.get("cost_usd").decimalValue()).isEqualByComparingTo("0.03786");
        assertThat(ceiling.get("input_tokens").asLong()).isEqualTo(6000);
        assertThat(ceiling.get("output_tokens").asLong()).isEqualTo(1024);
        assertThat(ceiling.get("cost_usd").decimalValue()).isGreaterThan(call("x").costUsd());
        assertThat(LedgerFile.read(ledger()).at("/monthly_totals/2026-07/anthropic").decimalValue())
                .isEqualByComparingTo("0.04416");
    }

    @Test
    void aReplyJournaledAfterItsCeilingWasFoldedReplacesTheCeiling() throws IOException {
        CostLedger run = CostLedger.open(ledger(), journal());
        run.sent(sent("r-1"));
        run.close(); // a fold while the request was still out (a worker outlived the run's end)
        assertThat(callIds(ledger())).containsExactly("unconfirmed:r-1");

        CostLedger straggler = CostLedger.open(ledger(), journal());
        straggler.record(call("msg_1"), "r-1");
        Path copy = dir.resolve("journal-copy");
        Files.copy(journal(), copy);
        straggler.close();
        assertThat(callIds(ledger())).containsExactly("msg_1");
        Files.copy(copy, journal()); // folded twice: still one row
        CostLedger.fold(ledger(), journal());
        assertThat(callIds(ledger())).containsExactly("msg_1");
        assertThat(LedgerFile.read(ledger()).at("/monthly_totals/2026-07/anthropic").decimalValue())
                .isEqualByComparingTo("0.0063");
    }

    @Test
    void aCeilingFoldedTwiceIsChargedOnce() throws IOException {
        CostLedger run = CostLedger.open(ledger(), journal());
        run.sent(sent("r-1"));
        Path copy = dir.resolve("journal-copy");
        Files.copy(journal(), copy);
        run.close();
        Files.copy(copy, journal());
        CostLedger.fold(ledger(), journal());
        assertThat(callIds(ledger())).containsExactly("unconfirmed:r-1");
    }

    @Test
    void aTornReplyLineLeavesItsRequestChargedTheCeiling() throws IOException {
        CostLedger killed = CostLedger.open(ledger(), journal());
        killed.sent(sent("r-1"));
        Files.writeString(journal(), "{\"ts\":\"2026-07-06T10:00:00.000Z\",\"call_id\":\"msg_1\",\"request_id\":\"r",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        CostLedger.open(ledger(), journal()).close();
        assertThat(callIds(ledger())).containsExactly("unconfirmed:r-1");
    }

    @Test
    void aLineAppendedAfterATornOneIsNotGluedToIt() throws IOException {
        Files.createDirectories(journal().getParent());
        Files.writeString(journal(), "{\"sent\":\"r-0\",\"ts\":\"2026-07-06T1", StandardCharsets.UTF_8);
        try (Journal j = new Journal(journal())) { // e.g. reopened after a write failed half way
            j.sent(sent("r-1"));
            j.paid(call("msg_1"), "r-1");
        }
        CostLedger.fold(ledger(), journal());
        assertThat(callIds(ledger())).containsExactly("msg_1");
    }
}
