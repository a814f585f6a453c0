package dev.imagevision.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.judgements.Spending;
import dev.imagevision.ledger.CallEntry;
import dev.imagevision.ledger.SentCall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One task attempt's paid calls, journaled in the site's store under
 * {@code <cache>/spark-journals/<run id>/<attempt>/}: each event (a request about to leave with its
 * cost ceiling, a billed reply, an error reply the API does not bill, a request with no usage to trust)
 * is its own write-once object,
 * durable before the provider goes on, because an object store cannot append. The lines are those of
 * the CLI's ledger journal, so the driver folds them with the same code ({@link Journals}): a request
 * with no reply on record is charged its ceiling, a reply replaces its request's ceiling, and a call
 * folded twice is counted once (by message id).
 */
final class AttemptJournal implements Spending.CallJournal {
    static final String DIR = "spark-journals";
    static final ObjectMapper LINES = dev.imagevision.site.Json.LEDGER_LINES;

    private final SiteStore store;
    private final String folder;
    private final AtomicLong seq = new AtomicLong();

    /** @param attempt unique within the run: the Spark task attempt's id */
    AttemptJournal(SiteStore store, String cacheDir, String runId, String attempt) {
        this.store = store;
        this.folder = cacheDir + "/" + DIR + "/" + runId + "/" + attempt;
    }

    @Override
    public void sent(SentCall call) throws IOException {
        append(LINES.valueToTree(call));
    }

    @Override
    public void paid(CallEntry call, String requestId) throws IOException {
        ObjectNode line = LINES.valueToTree(call);
        if (requestId != null) line.put("request_id", requestId);
        append(line);
    }

    @Override
    public void unbilled(String requestId) throws IOException {
        append(LINES.createObjectNode().put("unbilled", requestId));
    }

    @Override
    public void unconfirmed(String requestId, String why) throws IOException {
        append(LINES.createObjectNode().put("unconfirmed", requestId).put("why", why));
    }

    private void append(ObjectNode line) throws IOException {
        byte[] bytes = (LINES.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        String name = folder + "/" + String.format("%010d", seq.incrementAndGet()) + ".json";
        try {
            if (!store.writeOnce(name, bytes)) throw new IOException("journal entry " + name + " exists already");
        } catch (IOException e) {
            throw new IOException("cannot journal a paid call in " + store.root() + "/" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // every event is already durable on its own; the driver folds them
    }
}
