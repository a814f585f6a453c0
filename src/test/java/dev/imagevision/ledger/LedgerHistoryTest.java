package dev.imagevision.ledger;

import dev.imagevision.site.SiteFileException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run adds its rows to the cost ledger without parsing the ledger's history (issue 13, item 11),
 * yet no edit to that history escapes it. The proof of the first: across runs, the ledger and its id
 * filter stay the same files (a rewrite or a rebuild would replace them through a rename), and the
 * history's bytes are untouched. The proof of the second: a byte deep in the history made invalid, the
 * length and modification time kept (what the file's old fingerprint, its last 64 KiB, could not see),
 * stops the next paid run with the line and column of the fault.
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

    static Object inode(Path p) throws IOException {
        return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    @Test
    void runsAppendWithoutParsingTheHistory() throws IOException {
        try (CostLedger first = CostLedger.open(ledger(), journal())) {
            for (int i = 0; i < 400; i++) first.record(call("msg_h" + i, 1000 + i)); // ~170 KiB of history
        }
        try (CostLedger second = CostLedger.open(ledger(), journal())) {
            second.record(call("msg_second", 1500)); // appended by its tail: the state now knows the file
        }
        String history = Files.readString(ledger());
        Path ids = journal().resolveSibling(LedgerStore.IDS);
        Object ledgerFile = inode(ledger()), idsFile = inode(ids);
        org.junit.jupiter.api.Assumptions.assumeTrue(ledgerFile != null, "this file system names no inodes");

        for (int run = 0; run < 3; run++) {
            try (CostLedger next = CostLedger.open(ledger(), journal())) {
                next.record(call("msg_new" + run, 1500));
            }
        }

        String after = Files.readString(ledger());
        int end = history.indexOf("msg_second");
        assertThat(after).startsWith(history.substring(0, end)); // the history, untouched
        assertThat(after).contains("msg_new0", "msg_new1", "msg_new2");
        assertThat(inode(ledger())).as("the ledger was never rewritten whole").isEqualTo(ledgerFile);
        assertThat(inode(ids)).as("the id filter was never rebuilt from the history").isEqualTo(idsFile);
        assertThat(journal()).doesNotExist();
    }

    @Test
    void anEditDeepInTheHistoryThatKeepsLengthAndTimeIsNoticed() throws IOException {
        try (CostLedger first = CostLedger.open(ledger(), journal())) {
            for (int i = 0; i < 400; i++) first.record(call("msg_h" + i, 1000 + i));
        }
        String text = Files.readString(ledger());
        FileTime time = Files.getLastModifiedTime(ledger());
        String broken = text.replaceFirst("\"input_tokens\": 1001,", "\"input_tokens\": 1!01,");
        assertThat(broken).isNotEqualTo(text).hasSameSizeAs(text);
        Files.writeString(ledger(), broken, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(ledger(), time);

        assertThatThrownBy(() -> CostLedger.open(ledger(), journal())).isInstanceOf(SiteFileException.class)
                .hasMessageContaining("is not valid JSON at line");
        assertThat(Files.readString(ledger())).isEqualTo(broken); // refused, never overwritten
    }
}
