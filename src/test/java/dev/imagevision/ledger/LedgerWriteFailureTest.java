package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A ledger write that fails part way (a file size limit, a full disk, an I/O error) never leaves the
 * committed ledger cut short while saying it is intact: under a size limit or on a full disk the
 * file stays byte for byte as it was; where nothing can be put back, the error says so and the next
 * run puts it back. Found by running a paid run under {@code ulimit -f} over a 200,000-row ledger:
 * the tail was truncated before the old one was written back, that write failed too, and the run
 * said "the ledger is intact".
 */
class LedgerWriteFailureTest {
    Path dir;

    @BeforeTry
    void makeDir() throws IOException {
        dir = LedgerDirs.make("ledger-failure-");
    }

    @AfterTry
    void removeDir() throws IOException {
        LedgerDirs.remove(dir);
    }

    Path ledger() {
        return LedgerDirs.ledger(dir);
    }

    Path cache() {
        return LedgerDirs.cache(dir);
    }

    static CallEntry call(String id, long input) {
        return CallEntry.priced("2026-07-06T10:00:00.000Z", "/images/a/" + id + ".jpg", "anthropic",
                "claude-sonnet-4-6", new Tokens(input, 120, 0, 0), false, "run-1", id);
    }

    /** A history written as runs write it (the first fold whole, the later ones by their tail). */
    void history(int folds, int rowsPerFold) throws IOException {
        for (int f = 0; f < folds; f++) {
            List<CallEntry> rows = new ArrayList<>();
            for (int r = 0; r < rowsPerFold; r++) rows.add(call("msg_h" + f + "_" + r, 1000 + r));
            new LedgerStore(ledger(), cache()).append(rows, Set.of());
        }
    }

    byte[] oracle(byte[] before, List<CallEntry> calls) throws IOException {
        Path f = dir.resolve("oracle.json");
        Files.write(f, before);
        ObjectNode l = LedgerFile.read(f);
        return LedgerFile.bytes(LedgerFile.withCalls(l, calls, Set.of()));
    }

    static List<CallEntry> fresh(int n) {
        List<CallEntry> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(call("msg_new" + i, 1500 + i));
        return rows;
    }

    enum Limit { SIZE_LIMIT, DISK_FULL }

    /**
     * Under a file size limit anywhere below what the append needs (below the file's own length, as
     * with the 200,000-row ledger, or between it and the new length) and on a disk that fills part
     * way, a failed append leaves the ledger byte for byte as it was, with its modification time, and
     * no undo record for the next run to act on; the next run appends as if nothing had happened.
     */
    @Property(tries = 60)
    void aWriteCutShortBySizeOrSpaceLeavesTheLedgerAsItWas(@ForAll @IntRange(min = 1, max = 4) int folds,
                                                           @ForAll @IntRange(min = 1, max = 12) int rowsPerFold,
                                                           @ForAll @IntRange(min = 1, max = 4) int newRows,
                                                           @ForAll Limit limit,
                                                           @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where)
            throws IOException {
        history(folds, rowsPerFold);
        byte[] before = Files.readAllBytes(ledger());
        FileTime modified = Files.getLastModifiedTime(ledger());
        List<CallEntry> rows = fresh(newRows);
        byte[] expected = oracle(before, rows);
        FailingDisk disk = limit == Limit.SIZE_LIMIT
                ? FailingDisk.sizeLimit((long) (where * expected.length))
                : FailingDisk.spaceLeft((long) (where * (expected.length - before.length)));

        assertThatThrownBy(() -> new LedgerStore(ledger(), cache(), disk).append(rows, Set.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(ledger().toString())
                .hasMessageContaining("as it was");

        assertThat(new String(Files.readAllBytes(ledger()), StandardCharsets.UTF_8))
                .isEqualTo(new String(before, StandardCharsets.UTF_8));
        assertThat(Files.getLastModifiedTime(ledger())).isEqualTo(modified);
        assertThat(cache().resolve(LedgerStore.UNDO)).doesNotExist();
        assertThat(ledger().resolveSibling("." + ledger().getFileName() + ".rewrite.tmp")).doesNotExist();

        new LedgerStore(ledger(), cache()).append(rows, Set.of());
        assertThat(new String(Files.readAllBytes(ledger()), StandardCharsets.UTF_8))
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }

    /**
     * An I/O error after any number of written bytes, in place or not: the ledger is either as it was
     * (and the error says so) or the error says it was left incomplete and the next run puts it back
     * before appending; never incomplete under an error that claims otherwise.
     */
    @Property(tries = 60)
    void anyFailedWriteIsEitherUndoneOrSaidToBeIncomplete(@ForAll @IntRange(min = 1, max = 4) int folds,
                                                          @ForAll @IntRange(min = 1, max = 12) int rowsPerFold,
                                                          @ForAll @IntRange(min = 1, max = 4) int newRows,
                                                          @ForAll("aroundTheEnd") int around) throws IOException {
        history(folds, rowsPerFold);
        byte[] before = Files.readAllBytes(ledger());
        List<CallEntry> rows = fresh(newRows);
        byte[] expected = oracle(before, rows);
        // bytes written before the error, counted from where the file's old end is rewritten in place
        int written = Math.max(0, expected.length - before.length + around);

        IOException failure = null;
        try {
            new LedgerStore(ledger(), cache(), FailingDisk.failAfter(written)).append(rows, Set.of());
        } catch (IOException e) {
            failure = e;
        }
        byte[] now = Files.readAllBytes(ledger());
        if (failure == null) {
            assertThat(new String(now, StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
            return;
        }
        boolean asItWas = java.util.Arrays.equals(now, before);
        net.jqwik.api.statistics.Statistics.collect(asItWas ? "as it was" : "incomplete");
        if (asItWas) {
            assertThat(failure).hasMessageContaining("as it was");
        } else {
            assertThat(failure).hasMessageContaining("left incomplete").hasMessageContaining(LedgerStore.UNDO);
            assertThat(cache().resolve(LedgerStore.UNDO)).exists();
        }
        new LedgerStore(ledger(), cache()).append(rows, Set.of());
        assertThat(new String(Files.readAllBytes(ledger()), StandardCharsets.UTF_8))
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<Integer> aroundTheEnd() {
        return Arbitraries.integers().between(-2_000, 300);
    }
}
