package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run's view of the ledger. Each paid call is appended to a journal and forced to disk before
 * its result is used ({@link #record}); the journal is folded into the ledger JSON atomically when
 * the run ends, and at the start of the next run if a kill left one behind. A kill therefore never
 * corrupts the ledger (it is only ever replaced whole) nor loses a call that was paid for.
 */
public final class CostLedger implements AutoCloseable {
    private final Path ledgerFile;
    private final Journal journal;

    private CostLedger(Path ledgerFile, Path journalFile) {
        this.ledgerFile = ledgerFile;
        this.journal = new Journal(journalFile);
    }

    /** Opens the ledger for a run, folding in a journal an earlier, killed run left behind. */
    public static CostLedger open(Path ledgerFile, Path journalFile) throws IOException {
        LedgerFile.read(ledgerFile); // a malformed ledger stops the run before anything is spent
        fold(ledgerFile, journalFile);
        return new CostLedger(ledgerFile, journalFile);
    }

    /** Durable when it returns. */
    public void record(CallEntry call) throws IOException {
        journal.append(call);
    }

    /** Folds this run's journal into the ledger. */
    @Override
    public void close() throws IOException {
        journal.close();
        fold(ledgerFile, journal.file());
    }

    /**
     * Moves the journal's calls into the ledger: the ledger is rewritten atomically first, then the
     * journal deleted. A kill between the two leaves calls that the next fold skips by call id.
     * Returns whether there was anything to fold.
     */
    public static boolean fold(Path ledgerFile, Path journalFile) throws IOException {
        if (!Files.exists(journalFile)) return false;
        List<CallEntry> calls = Journal.read(journalFile);
        if (!calls.isEmpty()) {
            ObjectNode ledger = LedgerFile.read(ledgerFile);
            LedgerFile.write(ledgerFile, LedgerFile.withCalls(ledger, calls));
        }
        Files.delete(journalFile);
        return !calls.isEmpty();
    }
}
