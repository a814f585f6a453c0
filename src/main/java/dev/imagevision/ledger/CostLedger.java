package dev.imagevision.ledger;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run's view of the ledger. Each request is journaled with its cost ceiling before it leaves
 * ({@link #sent}); each reply is journaled with its billed usage before it is used
 * ({@link #record}); an error reply, which the API does not bill, is journaled as such
 * ({@link #unbilled}). The journal is folded into the ledger JSON atomically when the run ends, and
 * at the start of the next run if a kill left one behind. A kill therefore never corrupts the
 * ledger (it is only ever replaced whole) nor loses a call that was paid for: a request whose reply
 * never reached the journal is charged its ceiling.
 */
public final class CostLedger implements AutoCloseable {
    /** The rows a ledger holds as its sidecar state in the cache knows them, without reading the file; -1 when unknown. */
    public static long knownRows(Path ledgerFile, Path journalFile) throws IOException {
        LedgerStore.State st = new LedgerStore(ledgerFile, journalFile.toAbsolutePath().getParent()).valid();
        return st == null ? -1 : st.entries();
    }

    private final LedgerStore store;
    private final Journal journal;
    private final List<String> notes;

    private CostLedger(LedgerStore store, Path journalFile, List<String> notes) {
        this.store = store;
        this.journal = new Journal(journalFile);
        this.notes = List.copyOf(notes);
    }

    /**
     * Opens the ledger for a run, folding in a journal an earlier, killed run left behind. A ledger
     * that is malformed, or has a row that cannot be counted as money (a cost that is text, negative or
     * more than a request can cost; see {@link LedgerRow}), stops the run here, before anything is spent.
     */
    public static CostLedger open(Path ledgerFile, Path journalFile) throws IOException {
        // one store for the run: the ledger it checks now it need not read again to append at the end
        LedgerStore store = store(ledgerFile, journalFile);
        check(store);
        fold(store, journalFile);
        return new CostLedger(store, journalFile, store.repeats());
    }

    /**
     * What a paid run checks before it spends, for a run that journals elsewhere (a distributed one):
     * an append a kill cut short is put back, and the ledger must be well formed with every row
     * countable as money. Free when the ledger is as this tool last saw it.
     */
    public static void check(Path ledgerFile, Path journalFile) throws IOException {
        check(store(ledgerFile, journalFile));
    }

    private static void check(LedgerStore store) throws IOException {
        store.recover(); // an append a kill cut short is undone first; its journal is folded again
        store.check();
    }

    /**
     * What the run should say about the ledger though it goes on: rows repeated by call id (a merge
     * kept both copies), each counted once, by index and line.
     */
    public List<String> notes() {
        return notes;
    }

    /** The ledger file, with what lets a run append to it without reading its history (beside the journal). */
    private static LedgerStore store(Path ledgerFile, Path journalFile) {
        return new LedgerStore(ledgerFile, journalFile.toAbsolutePath().getParent());
    }

    /** A request about to be sent; durable when it returns. */
    public void sent(SentCall call) throws IOException {
        journal.sent(call);
    }

    /** A billed reply; durable when it returns. */
    public void record(CallEntry call) throws IOException {
        journal.paid(call, null);
    }

    /** The billed reply to a journaled request; durable when it returns. */
    public void record(CallEntry call, String requestId) throws IOException {
        journal.paid(call, requestId);
    }

    /** A paid judgement whose score file could not be written; durable when it returns. */
    public void kept(com.fasterxml.jackson.databind.JsonNode judgement) throws IOException {
        journal.kept(judgement);
    }

    /** The judgements kept in a journal, for a run to restore to its score cache before it decides what to call. */
    public static java.util.List<com.fasterxml.jackson.databind.JsonNode> keptJudgements(Path journalFile) throws IOException {
        return Journal.kept(journalFile);
    }

    /** Drops the kept judgements from a journal no run is writing (they are in the score cache now). */
    public static void forgetKept(Path journalFile) throws IOException {
        if (Files.exists(journalFile)) Journal.rewrite(journalFile, line -> !Journal.isKept(line));
    }

    /** The API answered the request with an error: nothing was billed. */
    public void unbilled(String requestId) throws IOException {
        journal.unbilled(requestId);
    }

    /** The request may have been billed but no usage to trust came back: it stays charged its ceiling. */
    public void unconfirmed(String requestId, String why) throws IOException {
        journal.unconfirmed(requestId, why);
    }

    /** Folds this run's journal into the ledger. */
    @Override
    public void close() throws IOException {
        journal.close();
        fold(store, journal.file());
    }

    /**
     * Moves the journal's calls into the ledger: the ledger is appended to first (its tail
     * rewritten in place under an undo record, or the whole file replaced atomically; see
     * {@link LedgerStore}), then the journal deleted. A kill between the two leaves calls that the
     * next fold skips by call id (an unconfirmed request's id is derived from its request id, so it
     * is skipped too). Returns whether there was anything to fold.
     */
    public static boolean fold(Path ledgerFile, Path journalFile) throws IOException {
        return fold(store(ledgerFile, journalFile), journalFile);
    }

    private static boolean fold(LedgerStore store, Path journalFile) throws IOException {
        if (!Files.exists(journalFile)) return false;
        Journal.Charges charges = Journal.read(journalFile);
        if (!charges.isEmpty()) store.append(charges.calls(), charges.confirmed());
        if (Journal.kept(journalFile).isEmpty()) {
            Files.delete(journalFile);
        } else {
            try { // the folded calls leave; the kept judgements wait for a run that can write the score cache
                Journal.rewrite(journalFile, Journal::isKept);
            } catch (IOException e) {
                // the whole journal stays: a later fold skips the calls already in the ledger by their ids
            }
        }
        return !charges.calls().isEmpty();
    }
}
