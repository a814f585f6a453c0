package dev.imagevision.judgements;

import dev.imagevision.site.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.cache.AtomicFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches submitted but not yet collected, one file each under {@code <cache>/batches/}. A file is
 * written the moment the API accepts a batch and removed only once its results are in the score
 * cache, so a run killed while it waits is resumed by the next one instead of paying again.
 */
final class PendingBatches {

    /**
     * One image of a batch: its request id, what its result is cached under, and the most input
     * tokens it can be billed (null in files of older versions).
     */
    record Entry(@JsonProperty("id") String id, @JsonProperty("path") String path,
                 @JsonProperty("score_key") String scoreKey, @JsonProperty("source_sha256") String sourceSha256,
                 @JsonProperty("input_tokens_ceiling") Long inputTokensCeiling) {}

    /**
     * @param unreadableRuns runs that asked the API about this batch and got only answers that cannot be
     *                       read (0 in files of older versions)
     */
    record Batch(@JsonProperty("batch_id") String batchId, @JsonProperty("provider") String provider,
                 @JsonProperty("model") String model, @JsonProperty("prompt_version") String promptVersion,
                 @JsonProperty("submitted_at") String submittedAt, @JsonProperty("items") List<Entry> items,
                 @JsonProperty("unreadable_runs") int unreadableRuns) {
        Batch(String batchId, String provider, String model, String promptVersion, String submittedAt, List<Entry> items) {
            this(batchId, provider, model, promptVersion, submittedAt, items, 0);
        }

        Batch unreadableOnceMore() {
            return new Batch(batchId, provider, model, promptVersion, submittedAt, items, unreadableRuns + 1);
        }
    }

    private final Path dir;

    PendingBatches(Path cacheDir) {
        this.dir = cacheDir.resolve("batches");
    }

    void save(Batch b) throws IOException {
        AtomicFiles.write(file(b.batchId()), Json.STABLE.writeValueAsBytes(b));
    }

    void remove(Batch b) throws IOException {
        Files.deleteIfExists(file(b.batchId()));
    }

    /** Every pending batch, oldest id first; an unreadable file is reported, not guessed at. */
    List<Batch> list(java.io.PrintStream log) throws IOException {
        List<Batch> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            s.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            try {
                Batch b = Json.LENIENT.readValue(f.toFile(), Batch.class);
                if (b != null && b.batchId() != null && b.items() != null) out.add(b);
            } catch (IOException e) {
                log.println("note: pending batch file " + f + " cannot be read (" + e.getMessage() + "); left as it is");
            }
        }
        return out;
    }

    private Path file(String batchId) {
        if (!batchId.matches("[A-Za-z0-9_-]{1,200}")) throw new IllegalArgumentException("unexpected batch id " + batchId);
        return dir.resolve(batchId + ".json");
    }
}
