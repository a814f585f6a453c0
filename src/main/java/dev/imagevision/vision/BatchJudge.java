package dev.imagevision.vision;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A provider that can also judge many images through an asynchronous batch at a lower price
 * (Anthropic Message Batches). The caller persists the batch id before anything else so a killed
 * run resumes polling instead of paying twice.
 */
public interface BatchJudge {

    /** One image of a batch; {@code id} is stable and unique within the batch (1–64 of [A-Za-z0-9_-]). */
    record Request(String id, Path image, ImageContext context) {}

    /**
     * A submitted batch: its id (null when nothing could be sent), the requests that can never be
     * sent (why, by request id), those left for another batch because this one is full, and the most
     * input tokens each sent request can be billed (kept with the batch: a result that cannot be read
     * or claims more is charged that, as unconfirmed).
     */
    record Submitted(String batchId, Map<String, String> refused, List<String> deferred, Map<String, Long> inputCeilings) {}

    /** How far a batch has got. */
    record Progress(String batchId, String status, long processing, long succeeded, long errored, long canceled,
                    long expired) {}

    /** The result of one request: a judgement, or why there is none (the caller retries it on its own). */
    sealed interface Outcome permits Judged, Failed {}

    record Judged(Scored scored) implements Outcome {}

    record Failed(String reason) implements Outcome {}

    /** Submits as many of the requests as fit in one batch; the caller submits the deferred rest again. */
    Submitted submit(List<Request> requests) throws ProviderException;

    /**
     * Polls until the batch has ended, then returns every request's outcome by id. Each billed
     * result is reported to the provider's {@link CallRecorder} with the image path from
     * {@code paths}; one that cannot be read or claims impossible usage is a {@link Failed}, charged
     * its ceiling from {@code inputCeilings}. A request missing from the results is a {@link Failed}.
     */
    Map<String, Outcome> await(String batchId, Map<String, String> paths, Map<String, Long> inputCeilings,
                               Consumer<Progress> progress) throws ProviderException;

    /** {@link #await(String, Map, Map, Consumer)} for a batch whose ceilings were not kept: a bound for any request is used. */
    default Map<String, Outcome> await(String batchId, Map<String, String> paths, Consumer<Progress> progress)
            throws ProviderException {
        return await(batchId, paths, Map.of(), progress);
    }
}
