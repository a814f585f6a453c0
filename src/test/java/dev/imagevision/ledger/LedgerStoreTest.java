package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger grows by rewriting its tail, yet every file it writes is byte for byte what the
 * whole-file writer ({@link LedgerFile#withCalls}) makes of the same calls, across kills, repeated
 * folds, confirmed ceilings and edits made behind its back.
 */
class LedgerStoreTest {
    /** Made for each test and each try (jqwik does not inject JUnit's @TempDir). */
    Path dir;

    @BeforeEach
    @BeforeTry
    void makeDir() throws IOException {
        dir = LedgerDirs.make("ledger-store-");
    }

    @AfterEach
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

    LedgerStore store() {
        return new LedgerStore(ledger(), cache());
    }

    static CallEntry call(String id, String month, long input) {
        return CallEntry.priced("2026-" + month + "-06T10:00:00.000Z", "/images/a/" + id + ".jpg", "anthropic",
                "claude-sonnet-4-6", new Tokens(input, 120, 7, 0), false, "run-1", id);
    }

    static CallEntry ceiling(String requestId) {
        return SentCall.priced(requestId, "2026-07-06T10:00:00.000Z", "/images/a/x.jpg", "anthropic",
                "claude-sonnet-4-6", 5000, 1024, false, "run-1").unconfirmed();
    }

    /** What the whole-file writer makes of the ledger plus these calls: the oracle. */
    byte[] oracle(byte[] before, List<CallEntry> calls, Set<String> confirmed) throws IOException {
        Path f = dir.resolve("oracle.json");
        if (before == null) Files.deleteIfExists(f);
        else Files.write(f, before);
        ObjectNode l = LedgerFile.read(f);
        return LedgerFile.bytes(LedgerFile.withCalls(l, calls, confirmed));
    }

    byte[] bytes() throws IOException {
        return Files.exists(ledger()) ? Files.readAllBytes(ledger()) : null;
    }

    /** Appends through the store and checks the file against the oracle; returns the new bytes. */
    byte[] appendAndCompare(List<CallEntry> calls, Set<String> confirmed) throws IOException {
        byte[] before = bytes();
        byte[] expected = oracle(before, calls, confirmed);
        store().append(calls, confirmed);
        assertThat(new String(bytes(), StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
        return expected;
    }

    @Test
    void appendsMatchTheWholeFileWriterFromTheSitesOwnLedger() throws IOException {
        Files.createDirectories(ledger().getParent());
        Files.copy(Path.of("src/test/resources/orrery-format/cost-ledger.json"), ledger());
        appendAndCompare(List.of(call("msg_1", "07", 1500)), Set.of()); // the first: the file is rewritten whole
        appendAndCompare(List.of(call("msg_2", "07", 1600), call("msg_3", "08", 10)), Set.of()); // then the tail only
        appendAndCompare(List.of(call("msg_2", "07", 1600)), Set.of()); // already there: nothing
        appendAndCompare(List.of(call("msg_4", "08", 99), call("msg_4", "08", 99)), Set.of()); // twice in one journal
        assertThat(LedgerFile.read(ledger()).get("thresholds")).isNotNull(); // the site's own fields stay
    }

    @Test
    void aNewLedgerAnEmptyOneAndOneWithoutEntriesMatchTheWholeFileWriter() throws IOException {
        appendAndCompare(List.of(call("msg_1", "07", 1500)), Set.of());
        Files.writeString(ledger(), "");
        appendAndCompare(List.of(call("msg_2", "07", 1500)), Set.of());
        Files.writeString(ledger(), "{\"version\": \"1.0\", \"note\": {\"by\": \"hand\"}}\n");
        appendAndCompare(List.of(call("msg_3", "07", 1500)), Set.of());
        Files.writeString(ledger(), "{\n  \"version\": \"1.0\",\n  \"entries\": [ ]\n}\n");
        appendAndCompare(List.of(call("msg_4", "07", 1500)), Set.of());
        appendAndCompare(List.of(call("msg_5", "07", 1500)), Set.of());
    }

    @Test
    void aLedgerChangedBehindItsBackIsReadAgainNotTrusted() throws IOException {
        store().append(List.of(call("msg_1", "07", 1500)), Set.of());
        // a teammate's run merged in: a row this machine's state does not know
        byte[] merged = oracle(bytes(), List.of(call("msg_theirs", "07", 2000)), Set.of());
        Files.write(ledger(), merged);
        appendAndCompare(List.of(call("msg_theirs", "07", 2000), call("msg_2", "07", 1500)), Set.of());
        assertThat(LedgerFile.read(ledger()).at("/monthly_totals/2026-07/anthropic").decimalValue())
                .isEqualByComparingTo(LedgerFile.read(ledger()).get("entries").findValues("cost_usd").stream()
                        .map(n -> n.decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add)
                        .setScale(6, java.math.RoundingMode.HALF_UP));
    }

    /**
     * An edit that keeps the file's length, in the middle of its history, with the modification time
     * put back (an editor or a copy that preserves it, a checkout): the state must not vouch for it.
     * The totals then follow the edited row.
     */
    @Test
    void aSameSizeEditWithItsModificationTimeRestoredIsReadAgain() throws IOException {
        List<CallEntry> history = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) history.add(call("msg_" + i, "07", 1500)); // well past the 64 KiB tail
        store().append(history.subList(0, 1_500), Set.of());
        store().append(history.subList(1_500, 3_000), Set.of());
        String text = Files.readString(ledger());
        var modified = Files.getLastModifiedTime(ledger());
        String row = "\"call_id\": \"msg_10\"";
        int at = text.indexOf(row);
        int cost = text.lastIndexOf("\"cost_usd\": 0.", at);
        assertThat(at).isPositive();
        assertThat(cost).isPositive();
        int digit = cost + "\"cost_usd\": 0.".length();
        String edited = text.substring(0, digit) + "9" + text.substring(digit + 1); // 0.00x… becomes 0.90x…
        assertThat(edited).hasSameSizeAs(text);
        Files.writeString(ledger(), edited);
        Files.setLastModifiedTime(ledger(), modified);

        appendAndCompare(List.of(call("msg_new", "07", 1500)), Set.of());
    }

    /**
     * A run reads its ledger once, when it opens it; the append at its end trusts that check while the
     * file keeps its length, time and inode. An edit made in between, keeping all three, is therefore
     * not seen by that run, but the fingerprint it saves comes from the bytes it checked, so the next
     * run sees the edit and the totals follow it.
     */
    @Test
    void anEditMadeWhileARunWorksIsSeenByTheNextRun() throws IOException {
        Path journal = cache().resolve("ledger-journal.jsonl");
        List<CallEntry> history = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) history.add(call("msg_" + i, "07", 1500));
        store().append(history.subList(0, 1_500), Set.of());
        store().append(history.subList(1_500, 3_000), Set.of());

        CostLedger run = CostLedger.open(ledger(), journal);
        run.record(call("msg_during", "07", 1500));
        String text = Files.readString(ledger());
        var modified = Files.getLastModifiedTime(ledger());
        int cost = text.lastIndexOf("\"cost_usd\": 0.", text.indexOf("\"call_id\": \"msg_10\""));
        int digit = cost + "\"cost_usd\": 0.".length();
        try (var ch = java.nio.channels.FileChannel.open(ledger(), java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'9'}), digit); // in place: the same inode
        }
        Files.setLastModifiedTime(ledger(), modified);
        run.close();
        byte[] afterRun = bytes();

        try (CostLedger next = CostLedger.open(ledger(), journal)) {
            next.record(call("msg_next", "07", 1500));
        }
        byte[] expected = oracle(afterRun, List.of(call("msg_next", "07", 1500)), Set.of());
        assertThat(new String(bytes(), StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
        assertThat(LedgerFile.read(ledger()).at("/monthly_totals/2026-07/anthropic").decimalValue())
                .isGreaterThan(new BigDecimal("0.9"));
    }

    @Test
    void aReplyThatArrivesAfterItsCeilingWasChargedReplacesIt() throws IOException {
        appendAndCompare(List.of(call("msg_1", "07", 1500), ceiling("run-1-2")), Set.of());
        appendAndCompare(List.of(call("msg_2", "07", 1500)), Set.of("run-1-2"));
        assertThat(Files.readString(ledger())).doesNotContain("unconfirmed:run-1-2");
    }

    @Test
    void aMalformedLedgerIsRefusedNamingTheFile() throws IOException {
        Files.createDirectories(ledger().getParent());
        Files.writeString(ledger(), "{\"entries\": [ {\"ts\": \"2026");
        assertThatThrownBy(() -> store().check()).hasMessageContaining("is not valid JSON")
                .hasMessageContaining(ledger().getFileName().toString());
        Files.writeString(ledger(), "{\"entries\": {}}");
        assertThatThrownBy(() -> store().check()).hasMessageContaining("\"entries\" must be an array");
    }

    // --- a kill in the middle of an append ----------------------------------------------------------

    /**
     * A fold killed while it rewrote the tail, at every length the tail may have reached: the next
     * run puts the tail back, folds the journal again, and ends with exactly the file an uninterrupted
     * fold makes.
     */
    @Property(tries = 25)
    @net.jqwik.api.Tag("reliability")
    void aKillWhileTheTailIsRewrittenIsUndoneAndTheJournalFoldedAgain(@ForAll("torn") double cut) throws IOException {
        Path journal = cache().resolve("ledger-journal.jsonl");
        try (CostLedger first = CostLedger.open(ledger(), journal)) {
            for (int i = 0; i < 30; i++) first.record(call("msg_a" + i, "06", 1000 + i));
        }
        Path saved = dir.resolve("saved");
        copyTree(cache(), saved.resolve("cache"));
        byte[] before = bytes();

        CostLedger second = CostLedger.open(ledger(), journal);
        second.record(call("msg_b1", "07", 1500));
        second.record(call("msg_b2", "07", 1600));
        Files.copy(journal, saved.resolve("journal"));
        second.close();
        byte[] after = bytes();
        byte[] stateBefore = Files.readAllBytes(saved.resolve("cache/" + LedgerStore.STATE));

        // the disk as the kill left it: the tail half written, the undo record and the journal still there
        long splice = commonPrefix(before, after);
        int torn = (int) (splice + Math.round(cut * (after.length - splice)));
        Files.write(ledger(), java.util.Arrays.copyOf(after, torn));
        Files.write(cache().resolve(LedgerStore.STATE), stateBefore); // the kill came before the state was saved
        Files.copy(saved.resolve("journal"), journal, StandardCopyOption.REPLACE_EXISTING);
        LedgerStore.Undo record = new LedgerStore.Undo(splice, before.length,
                java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(before, (int) splice, before.length)),
                LedgerStore.sha256(ledger(), Math.max(0, splice - 4096), splice));
        Files.write(cache().resolve(LedgerStore.UNDO), new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(record));

        CostLedger.open(ledger(), journal).close();

        assertThat(new String(bytes(), StandardCharsets.UTF_8)).isEqualTo(new String(after, StandardCharsets.UTF_8));
        assertThat(journal).doesNotExist();
        assertThat(cache().resolve(LedgerStore.UNDO)).doesNotExist();
    }

    @Provide
    Arbitrary<Double> torn() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1), Arbitraries.of(0.0, 1.0));
    }

    /** Many folds in a row, each matching the whole-file writer: duplicates, months, ceilings replaced. */
    @Property(tries = 20)
    void everySequenceOfFoldsMatchesTheWholeFileWriter(@ForAll("folds") List<List<Integer>> folds) throws IOException {
        for (List<Integer> fold : folds) {
            List<CallEntry> calls = new ArrayList<>();
            Set<String> confirmed = new java.util.HashSet<>();
            Set<Integer> ceilingsHere = new java.util.HashSet<>();
            for (int n : fold) if (n % 7 == 0) ceilingsHere.add(n);
            for (int n : fold) {
                if (n % 7 == 0) calls.add(ceiling("run-1-" + n)); // a request charged its ceiling
                else if (n % 7 == 1 && !ceilingsHere.contains(n - 1)) {
                    // the reply of a request an earlier fold charged its ceiling (a journal never holds both)
                    confirmed.add("run-1-" + (n - 1));
                    calls.add(call("msg_r" + n, "07", 1500));
                } else calls.add(call("msg_" + n, n % 2 == 0 ? "07" : "08", 100 + n));
            }
            appendAndCompare(calls, confirmed);
        }
    }

    @Provide
    Arbitrary<List<List<Integer>>> folds() {
        return Arbitraries.integers().between(0, 60).list().ofMaxSize(6).list().ofMinSize(1).ofMaxSize(6);
    }

    static long commonPrefix(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
