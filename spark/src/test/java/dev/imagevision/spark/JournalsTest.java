package dev.imagevision.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.ledger.CallEntry;
import dev.imagevision.ledger.LedgerFile;
import dev.imagevision.ledger.SentCall;
import dev.imagevision.ledger.Tokens;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver's fold of the attempts' journals, through the store (file:// by Hadoop's API): a billed
 * reply is one row, a request killed mid-call is charged its ceiling, an error reply nothing, and a
 * fold repeated (a driver killed before it removed the journals) counts nothing twice.
 */
class JournalsTest {
    @TempDir
    Path site;

    static final String MODEL = "claude-sonnet-4-6";

    @Test
    void everyBilledCallOnceAndAKilledCallAtItsCeiling() throws Exception {
        SiteStore store = SiteStore.at(site.toUri().toString(), new Configuration());
        String run = "run-20260706T100000Z-spark-x";
        AttemptJournal first = new AttemptJournal(store, ".image-cache", run, "s1-p0-a0-t1");
        AttemptJournal retry = new AttemptJournal(store, ".image-cache", run, "s1-p0-a1-t5");
        // attempt 0: one call answered, one killed while out
        first.sent(SentCall.priced(run + "-t1-1", "2026-07-06T10:00:00.000Z", "/images/a.jpg", "anthropic", MODEL, 4000, 1024, false, run));
        first.paid(CallEntry.priced("2026-07-06T10:00:00.000Z", "/images/a.jpg", "anthropic", MODEL, new Tokens(1500, 120, 0, 0), false, run, "msg_1"), run + "-t1-1");
        first.sent(SentCall.priced(run + "-t1-2", "2026-07-06T10:00:00.000Z", "/images/b.jpg", "anthropic", MODEL, 4000, 1024, false, run));
        // attempt 1: b again (answered), c refused with an error status (not billed)
        retry.sent(SentCall.priced(run + "-t5-1", "2026-07-06T10:00:01.000Z", "/images/b.jpg", "anthropic", MODEL, 4000, 1024, false, run));
        retry.paid(CallEntry.priced("2026-07-06T10:00:01.000Z", "/images/b.jpg", "anthropic", MODEL, new Tokens(1500, 120, 0, 0), false, run, "msg_2"), run + "-t5-1");
        retry.sent(SentCall.priced(run + "-t5-2", "2026-07-06T10:00:01.000Z", "/images/c.jpg", "anthropic", MODEL, 4000, 1024, false, run));
        retry.unbilled(run + "-t5-2");

        Path ledger = Files.createDirectories(site.resolve("static/data")).resolve("image-vision-cost-ledger.json");
        Journals.Folded f = Journals.fold(store, ".image-cache", ledger, run);
        assertThat(f.billed()).isEqualTo(2);
        assertThat(f.unconfirmed()).isEqualTo(1);
        List<JsonNode> rows = LedgerFile.callRows(LedgerFile.read(ledger));
        assertThat(rows).extracting(r -> r.get("call_id").asText())
                .containsExactly("msg_1", "unconfirmed:" + run + "-t1-2", "msg_2");
        assertThat(rows.get(1).get("cost_usd").decimalValue())
                .isEqualByComparingTo(SentCall.priced("x", "t", "p", "anthropic", MODEL, 4000, 1024, false, run).costCeilingUsd());
        byte[] once = Files.readAllBytes(ledger);

        // the driver died before removing the journals: the next fold adds nothing
        Journals.fold(store, ".image-cache", ledger, "another-run");
        assertThat(Files.readAllBytes(ledger)).isEqualTo(once);
        Journals.remove(store, f);
        assertThat(store.list(".image-cache/" + AttemptJournal.DIR)).isEmpty();
        assertThat(rows.stream().map(r -> r.get("cost_usd").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isPositive();
    }

    @Test
    void aReplyWithNoUsageToTrustStaysChargedItsCeilingAndIsCountedUnconfirmedNotBilled() throws Exception {
        SiteStore store = SiteStore.at(site.toUri().toString(), new Configuration());
        String run = "run-20260706T100000Z-spark-y";
        AttemptJournal a = new AttemptJournal(store, ".image-cache", run, "s1-p0-a0-t1");
        SentCall garbled = SentCall.priced(run + "-t1-1", "2026-07-06T10:00:00.000Z", "/images/a.jpg", "anthropic", MODEL, 4000, 1024, false, run);
        a.sent(garbled);
        a.unconfirmed(run + "-t1-1", "a 200 whose body is not a message");
        SentCall batchRow = SentCall.priced(run + "-batch-b", "2026-07-06T10:00:00.000Z", "/images/b.jpg", "anthropic", MODEL, 4000, 1024, true, run);
        a.paid(batchRow.unconfirmed(), null);

        Path ledger = Files.createDirectories(site.resolve("static/data")).resolve("image-vision-cost-ledger.json");
        Journals.Folded f = Journals.fold(store, ".image-cache", ledger, run);
        assertThat(f.billed()).isZero();
        assertThat(f.unconfirmed()).isEqualTo(2);
        assertThat(f.unconfirmedUsd()).isEqualByComparingTo(garbled.costCeilingUsd().add(batchRow.costCeilingUsd()));
        assertThat(LedgerFile.callRows(LedgerFile.read(ledger))).extracting(r -> r.get("call_id").asText())
                .containsExactlyInAnyOrder("unconfirmed:" + run + "-t1-1", "unconfirmed:" + run + "-batch-b");
    }

    @Test
    void aJournalEntryIsWrittenOnceAndNoChecksumFileLandsInTheSite() throws Exception {
        SiteStore store = SiteStore.at(site.toString(), new Configuration());
        assertThat(store.writeOnce("a/b.json", new byte[] {1})).isTrue();
        assertThat(store.writeOnce("a/b.json", new byte[] {2})).isFalse();
        assertThat(Files.readAllBytes(site.resolve("a/b.json"))).containsExactly(1);
        store.write("a/c.json", new byte[] {3});
        store.write("a/c.json", new byte[] {4});
        assertThat(Files.readAllBytes(site.resolve("a/c.json"))).containsExactly(4);
        try (var files = Files.list(site.resolve("a"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("b.json", "c.json");
        }
    }
}
