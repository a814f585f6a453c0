package dev.imagevision.ledger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run adds its rows to the cost ledger without reading the ledger's history (issue 13, item 11):
 * the proof is a history a read would choke on. A byte deep in it is made invalid in a way the
 * file's fingerprint (length, modification time, last 64 KiB) cannot see; every later run still
 * appends, because nothing before the file's tail is read, let alone parsed or rewritten.
 */
@Tag("reliability")
class LedgerHistoryTest {
    @TempDir
    Path dir;

    Path ledger() {
        return dir.resolve("static/data/image-vision-cost-ledger.json");
    }

    Path journal() {
        return dir.resolve(".image-cache/ledger-journal.jsonl");
    }

    static CallEntry call(String id, long input) {
        return CallEntry.priced("2026-06-06T10:00:00.000Z", "/images/a/" + id + ".jpg", "anthropic", "claude-sonnet-4-6",
                new Tokens(input, 120, 0, 0), false, "run-1", id);
    }

    @Test
    void runsAppendWithoutReadingTheHistory() throws IOException {
        try (CostLedger first = CostLedger.open(ledger(), journal())) {
            for (int i = 0; i < 400; i++) first.record(call("msg_h" + i, 1000 + i)); // ~170 KiB of history
        }
        String text = Files.readString(ledger());
        FileTime time = Files.getLastModifiedTime(ledger());
        String broken = text.replaceFirst("\"input_tokens\": 1001,", "\"input_tokens\": 1!01,");
        assertThat(broken).isNotEqualTo(text).hasSameSizeAs(text);
        Files.writeString(ledger(), broken, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(ledger(), time);

        for (int run = 0; run < 3; run++) {
            try (CostLedger next = CostLedger.open(ledger(), journal())) {
                next.record(call("msg_new" + run, 1500));
            }
        }

        String after = Files.readString(ledger());
        assertThat(after).startsWith(broken.substring(0, broken.indexOf("1!01") + 10)); // the history, untouched
        assertThat(after).contains("msg_new0", "msg_new1", "msg_new2");
        assertThat(journal()).doesNotExist();
    }
}
