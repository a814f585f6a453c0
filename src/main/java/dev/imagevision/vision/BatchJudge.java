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

    /**
     * The API answered about a batch, but with 200s that cannot be read (an error object, not JSON, result
     * lines that are not results), however often it was asked this time. Nothing is decided and nothing
     * charged: the batch can be asked about again later.
     */
    final class Unreadable extends ProviderException {
        public Unreadable(String message) {
            super(message);
        }
    }

    /** Submits as many of the requests as fit in one batch; the caller submits the deferred rest again. */
    Submitted submit(List<Request> requests) throws ProviderException;

    /**
     * Polls until the batch has ended, then returns every request's outcome by id. Each billed
     * result is reported to the provider's {@link CallRecorder} with the image path from
     * {@code paths}; one that cannot be read or claims impossible usage is a {@link Failed}, charged
     * its ceiling from {@code inputCeilings}. A request missing from the results is a {@link Failed}.
     * A batch the API no longer knows fails every request, each charged its ceiling (it may have been
     * billed before it went).
     *
     * @param lastTry whether the caller gives the batch up after this: then answers that cannot be read
     *                settle the batch instead of throwing {@link Unreadable}. An unreadable status fails
     *                every request; unreadable result lines fail the requests left without a readable
     *                result; each is charged its ceiling, since the API may have billed it
     * @throws Unreadable when not {@code lastTry} and the batch's status or results could not be read
     */
    Map<String, Outcome> await(String batchId, Map<String, String> paths, Map<String, Long> inputCeilings,
                               boolean lastTry, Consumer<Progress> progress) throws ProviderException;

    /** {@link #await(String, Map, Map, boolean, Consumer)}, not the last try. */
    default Map<String, Outcome> await(String batchId, Map<String, String> paths, Map<String, Long> inputCeilings,
                                       Consumer<Progress> progress) throws ProviderException {
        return await(batchId, paths, inputCeilings, false, progress);
    }

    /** {@link #await(String, Map, Map, Consumer)} for a batch whose ceilings were not kept: a bound for any request is used. */
    default Map<String, Outcome> await(String batchId, Map<String, String> paths, Consumer<Progress> progress)
            throws ProviderException {
        return await(batchId, paths, Map.of(), progress);
    }
}
