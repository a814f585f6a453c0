package dev.imagevision.vision.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.RequestOptions;
import com.anthropic.core.Timeout;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.batches.BatchCreateParams;
import com.anthropic.models.messages.batches.MessageBatch;
import com.anthropic.models.messages.batches.MessageBatchIndividualResponse;
import com.anthropic.models.messages.batches.MessageBatchResult;
import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.crop.ImageException;
import dev.imagevision.ledger.Prices;
import dev.imagevision.ledger.Tokens;
import dev.imagevision.vision.BatchJudge;
import dev.imagevision.vision.CallRecorder;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.OutgoingCall;
import dev.imagevision.vision.PaidCall;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.Usage;
import dev.imagevision.vision.VisionProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Anthropic's models as a vision provider, through the official Anthropic Java SDK. One request per image
 * (the image, then the page context), the reply forced into the {@code record_judgement} tool and
 * checked field by field; an unusable reply is asked for once more, more strictly. The SDK's own
 * retries are off: {@link Retry} decides, {@link AdaptiveLimit} keeps the number in flight, and
 * both are testable with an injected sleeper and seed. Every billed reply goes to the
 * {@link CallRecorder} before it is used.
 */
public final class AnthropicProvider implements VisionProvider, BatchJudge, AutoCloseable {
    public static final String ID = "anthropic";
    /** The one banner a missing or refused key produces (spec M11, M13). */
    public static final String KEY_PROBLEM = "ANTHROPIC_API_KEY missing or rejected";
    static final int MAX_DETAIL = 300;
    /**
     * A batch may hold 100,000 requests or 256 MB; we stop far below so one batch's request body
     * (built in memory by the SDK) stays small, and simply send more batches.
     */
    static final long MAX_BATCH_BYTES = 48L << 20;
    static final int MAX_BATCH_REQUESTS = 5_000;
    /**
     * Carries the id under which the request is in the ledger journal, so a proxy's or the API's
     * logs can be matched with a ledger row (the API ignores it).
     */
    public static final String REQUEST_ID_HEADER = "x-imagevision-request-id";

    private final AnthropicSettings settings;
    private final dev.imagevision.crop.OpenCvCodec codec;
    private final ApiKey key;
    private final String keyProblem;
    private final AnthropicClient client;
    private final CallRecorder recorder;
    private final Sleeper sleeper;
    private final Random random;
    private final Clock clock;
    private final AdaptiveLimit limit;
    /** Follows no redirect, and tells a request that never reached a server from one that may have been billed. */
    private final Wire wire = new Wire();
    private final Tool tool;
    private final long toolBytes = toolBytes();
    private final java.util.function.LongSupplier nanos = System::nanoTime;
    /** Images in a row that got no complete answer in the time allowed them, or whose requests reached no server. */
    private final java.util.concurrent.atomic.AtomicInteger stalls = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param key    the key, or empty when neither the environment nor .env.local has one: every
     *               call then fails fast with {@link #KEY_PROBLEM}, nothing is sent
     * @param random jitter for the backoff; seed it for reproducible waits
     */
    /** @param codec the imaging library that prepares uploads, built once at the edge (stateless) */
    public AnthropicProvider(AnthropicSettings settings, Optional<ApiKey> key, CallRecorder recorder, Sleeper sleeper,
                             Random random, Clock clock, dev.imagevision.crop.OpenCvCodec codec) {
        this.settings = settings;
        this.codec = codec;
        this.key = key.orElse(null);
        this.recorder = recorder;
        this.sleeper = sleeper;
        this.random = random;
        this.clock = clock;
        this.limit = new AdaptiveLimit(settings.concurrency());
        this.tool = tool();
        if (this.key == null) {
            keyProblem = KEY_PROBLEM + ": no " + ApiKey.VARIABLE + " in the environment or in " + DotEnv.FILE_NAME
                    + " at the site root (see docs/anthropic.md)";
            client = null;
        } else if (!this.key.wellFormed()) {
            keyProblem = KEY_PROBLEM + ": the key from " + this.key.source()
                    + " contains spaces, quotes or other characters no key has";
            client = null;
        } else {
            keyProblem = null;
            AnthropicOkHttpClient.Builder b = AnthropicOkHttpClient.builder()
                    .apiKey(this.key.value())
                    .maxRetries(0) // Retry below owns retries: counted, honouring retry-after, testable
                    .timeout(Timeout.builder().request(settings.requestTimeout()).read(settings.requestTimeout())
                            .connect(min(settings.requestTimeout(), Duration.ofSeconds(10))).build())
                    // No idle connection is kept for a later request. OkHttp (4.12, inside the SDK) pools a
                    // connection after an HTTP/1.0 reply (it honours only an explicit "Connection: close") and
                    // hands a pooled connection idle under 10 s to the next request without probing it; the SDK
                    // turns OkHttp's own retry of such a dead connection off, leaving it to the SDK's retries,
                    // which Retry replaces. So behind a gateway that closes after every reply, every reuse was a
                    // lost attempt (and a request charged its ceiling). A connection per request costs one
                    // handshake on calls that take seconds; concurrent requests still share an HTTP/2 connection.
                    .maxIdleConnections(0).keepAliveDuration(Duration.ofMinutes(5))
                    .addInterceptor(wire);
            if (settings.baseUrl() != null && !settings.baseUrl().isBlank()) b.baseUrl(settings.baseUrl());
            client = b.build();
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String model() {
        return settings.model();
    }

    @Override
    public String promptVersion() {
        return Prompt.VERSION;
    }

    /** Requests allowed in flight right now (shrinks on 429s). */
    public int currentConcurrency() {
        return limit.limit();
    }

    @Override
    public Scored judge(Path image, ImageContext context) throws ProviderException {
        requireKey();
        Upload up = upload(image);
        Deadline deadline = new Deadline(settings.imageTimeout(), nanos);
        List<String> problems = List.of();
        Usage spent = null;
        for (int ask = 1; ask <= 2; ask++) {
            Pieces p = pieces(up, context, ask == 1 ? null : problems);
            MessageCreateParams params = MessageCreateParams.builder().model(settings.model())
                    .maxTokens(AnthropicSettings.MAX_TOKENS).systemOfTextBlockParams(p.system()).addTool(tool)
                    .toolChoice(p.choice()).addUserMessageOfContentBlockParams(p.content()).build();
            OutgoingCall outgoing = new OutgoingCall(context.path(), settings.model(),
                    Ceiling.inputTokens(up.width(), up.height(), p.textBytes() + toolBytes), AnthropicSettings.MAX_TOKENS,
                    false);
            Answered a;
            try {
                a = call(() -> send(params, outgoing, deadline), deadline, CHARGED);
            } catch (Failure f) {
                ProviderException e = problem(f);
                if (f.fault.kind() == Fault.Kind.UNREACHED) throw stalled(e, "the API cannot be reached: ", "reached no server");
                throw deadline.expired() ? stalled(e) : e;
            } catch (ProviderException e) {
                throw deadline.expired() ? stalled(e) : e;
            }
            stalls.set(0); // the API answers
            Reading r = trusted(a.message(), outgoing, a.requestId(), null);
            Usage u = paid(r, context.path(), false, a.requestId());
            spent = spent == null ? u : plus(spent, u);
            Reply.Checked c = Reply.check(r.toolInput());
            if (c.usable()) return new Scored(c.judgement(), spent);
            problems = c.problems();
        }
        throw new ProviderException(clean("the model's reply was unusable twice: " + String.join("; ", problems)));
    }

    /**
     * An image that got no complete answer in the time allowed. When as many images in a row as
     * {@link #stallLimit} fared the same, the API (or the way to it) has stalled: the run is told to
     * stop calling, so a stalled API costs a few minutes, not the time allowed times every image.
     */
    private ProviderException stalled(ProviderException e) {
        return stalled(e, "the API has stalled: ", "got no complete answer within the time allowed per image "
                + "(image_timeout_seconds)");
    }

    /** Likewise for images whose every attempt reached no server (a wrong ANTHROPIC_BASE_URL, no network). */
    private ProviderException stalled(ProviderException e, String banner, String fared) {
        int inARow = stalls.incrementAndGet();
        if (inARow < stallLimit()) return e;
        return new ProviderException(clean(banner + inARow + " images in a row " + fared + "; last: " + e.getMessage()),
                true, e);
    }

    /** Images in a row without a complete answer before the run stops calling: twice what is in flight, at least 4. */
    int stallLimit() {
        return Math.max(4, 2 * settings.concurrency());
    }

    @Override
    public Submitted submit(List<Request> requests) throws ProviderException {
        requireKey();
        Map<String, String> refused = new LinkedHashMap<>();
        List<String> deferred = new ArrayList<>();
        Map<String, Long> ceilings = new LinkedHashMap<>();
        BatchCreateParams.Builder batch = BatchCreateParams.builder();
        int n = 0;
        long bytes = 0;
        for (Request r : requests) {
            if (n >= MAX_BATCH_REQUESTS || bytes >= MAX_BATCH_BYTES) {
                deferred.add(r.id());
                continue;
            }
            Upload up;
            try {
                up = upload(r.image());
            } catch (ProviderException e) {
                refused.put(r.id(), e.getMessage());
                continue;
            }
            Pieces p = pieces(up, r.context(), null);
            ceilings.put(r.id(), Ceiling.inputTokens(up.width(), up.height(), p.textBytes() + toolBytes));
            batch.addRequest(BatchCreateParams.Request.builder().customId(r.id())
                    .params(BatchCreateParams.Request.Params.builder().model(settings.model())
                            .maxTokens(AnthropicSettings.MAX_TOKENS).systemOfTextBlockParams(p.system()).addTool(tool)
                            .toolChoice(p.choice()).addUserMessageOfContentBlockParams(p.content()).build())
                    .build());
            n++;
            bytes += (up.bytes().length + 2L) / 3 * 4;
        }
        if (n == 0) return new Submitted(null, refused, deferred, Map.of());
        BatchCreateParams params = batch.build();
        // not retried when its reply cannot be read: the batch may exist (and be billed) under an id we never saw
        String created = attempt(() -> {
            MessageBatch b = client.messages().batches().create(params);
            try {
                return b.id(); // read here: the SDK parses lazily, and a reply without an id is not a batch
            } catch (RuntimeException e) {
                throw notABatch(b, e);
            }
        }, Deadline.none(), "the batch may exist, so it is not submitted again");
        return new Submitted(created, refused, deferred, ceilings);
    }

    @Override
    public Map<String, Outcome> await(String batchId, Map<String, String> paths, Map<String, Long> inputCeilings,
                                      boolean lastTry, Consumer<Progress> progress) throws ProviderException {
        requireKey();
        while (true) {
            Progress p;
            try {
                p = call(() -> status(batchId), Deadline.none(), null);
            } catch (Failure f) {
                if (f.fault.status() == 404) {
                    return givenUp(batchId, paths, inputCeilings, "batch " + batchId + " no longer exists at the API");
                }
                if (f.fault.status() != 200) throw problem(f);
                String why = "the API answered 200 to the status poll of batch " + batchId + ", but " + f.fault.detail();
                if (lastTry) return givenUp(batchId, paths, inputCeilings, why);
                throw new Unreadable(clean(why));
            }
            progress.accept(p);
            if (MessageBatch.ProcessingStatus.ENDED.asString().equals(p.status())) break;
            sleep(settings.pollInterval());
        }
        // results can be fetched again (nothing is billed twice), so lines that cannot be read are first fetched again
        Results results;
        try {
            results = call(() -> results(batchId, true), Deadline.none(), null);
        } catch (Failure f) {
            if (f.fault.status() != 200) throw problem(f);
            if (!lastTry) throw new Unreadable(clean("the API answered 200 with the results of batch " + batchId
                    + ", but " + f.fault.detail()));
            results = attempt(() -> results(batchId, false), Deadline.none(), null);
        }
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (Map.Entry<String, MessageBatchResult> r : results.readable().entrySet()) {
            String id = r.getKey();
            if (!paths.containsKey(id)) continue; // not ours: a batch id reused by hand
            out.put(id, outcome(batchId, id, r.getValue(), paths.get(id), ceiling(inputCeilings, id)));
        }
        for (String id : paths.keySet()) {
            if (out.containsKey(id)) continue;
            // a line that could not be read may have been its billed result
            if (results.unreadable() > 0) {
                out.put(id, charged(batchId, id, paths.get(id), inputCeilings, "its result line could not be read ("
                        + results.unreadable() + (results.unreadable() == 1 ? " line" : " lines") + " of the results "
                        + "could not be read; first: " + results.firstProblem() + ")"));
            } else {
                out.put(id, new Failed("the batch ended without a result for it"));
            }
        }
        return out;
    }

    /** A batch's state, read whole inside the attempt: the SDK parses lazily, so any accessor can fail. */
    private Progress status(String batchId) {
        MessageBatch b = client.messages().batches().retrieve(batchId);
        try {
            var c = b.requestCounts();
            return new Progress(batchId, b.processingStatus().asString(), c.processing(), c.succeeded(), c.errored(),
                    c.canceled(), c.expired());
        } catch (RuntimeException e) {
            throw notABatch(b, e);
        }
    }

    /**
     * A batch's results as far as they can be read.
     *
     * @param readable     each result whose request id and kind could be read, by request id
     * @param unreadable   lines that could not be read (not JSON, no id, a result of no known kind)
     * @param firstProblem what was wrong with the first of them, or null
     */
    private record Results(Map<String, MessageBatchResult> readable, int unreadable, String firstProblem) {}

    /**
     * Reads the results stream one line at a time, so one line that is not a result costs that line
     * only. {@code strict}: any such line fails the whole read (as an unreadable 200), to be fetched again.
     */
    private Results results(String batchId, boolean strict) {
        Map<String, MessageBatchResult> readable = new LinkedHashMap<>();
        int unreadable = 0;
        String first = null;
        try (var raw = client.messages().batches().withRawResponse().resultsStreaming(batchId);
             var lines = new java.io.BufferedReader(new java.io.InputStreamReader(raw.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) continue;
                String problem;
                try {
                    MessageBatchIndividualResponse r = com.anthropic.core.ObjectMappers.jsonMapper()
                            .readValue(line, MessageBatchIndividualResponse.class);
                    String id = r.customId();
                    MessageBatchResult result = r.result();
                    if (result.isSucceeded() || result.isErrored() || result.isCanceled() || result.isExpired()) {
                        readable.put(id, result);
                        continue;
                    }
                    problem = "a result of an unknown kind for " + id;
                } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
                    problem = rootMessage(e);
                }
                unreadable++;
                if (first == null) first = problem.length() > 120 ? problem.substring(0, 120) + "…" : problem;
            }
        } catch (IOException e) {
            throw new AnthropicIoException("the results of batch " + batchId + " did not arrive whole", e);
        }
        if (strict && unreadable > 0) {
            throw new com.anthropic.errors.AnthropicInvalidDataException(unreadable + (unreadable == 1 ? " line is" : " lines are")
                    + " not a result; first: " + first);
        }
        return new Results(readable, unreadable, first);
    }

    private static long ceiling(Map<String, Long> inputCeilings, String id) {
        return inputCeilings.getOrDefault(id, Ceiling.ANY_UPLOAD_INPUT_TOKENS);
    }

    /**
     * A batch that will not be read: every request fails and is charged its ceiling as unconfirmed, since
     * the API may have billed it. The key is the one an unreadable result of it is charged under, so a
     * request counted both ways is counted once.
     */
    private Map<String, Outcome> givenUp(String batchId, Map<String, String> paths, Map<String, Long> inputCeilings,
                                         String why) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : paths.entrySet()) {
            out.put(e.getKey(), charged(batchId, e.getKey(), e.getValue(), inputCeilings, why));
        }
        return out;
    }

    private Failed charged(String batchId, String customId, String path, Map<String, Long> inputCeilings, String why) {
        OutgoingCall call = new OutgoingCall(path, settings.model(), ceiling(inputCeilings, customId),
                AnthropicSettings.MAX_TOKENS, true);
        unconfirmed(call, null, batchId + "-" + customId, why);
        return new Failed(clean(why + "; it may have been billed, so it is charged its ceiling as unconfirmed"));
    }

    private Outcome outcome(String batchId, String customId, MessageBatchResult result, String path, long inputCeiling)
            throws ProviderException {
        if (result.isSucceeded()) {
            Message m;
            try {
                m = result.asSucceeded().message();
            } catch (RuntimeException unreadable) {
                return charged(batchId, customId, path, Map.of(customId, inputCeiling), "its result cannot be read ("
                        + rootMessage(unreadable) + ")");
            }
            OutgoingCall ceiling = new OutgoingCall(path, settings.model(), inputCeiling, AnthropicSettings.MAX_TOKENS, true);
            Reading r;
            try {
                r = trusted(m, ceiling, null, batchId + "-" + customId);
            } catch (ProviderException untrusted) {
                return new Failed(untrusted.getMessage());
            }
            Usage u = paid(r, path, true, null);
            Reply.Checked c = Reply.check(r.toolInput());
            return c.usable() ? new Judged(new Scored(c.judgement(), u))
                    : new Failed(clean("unusable reply: " + String.join("; ", c.problems())));
        }
        if (result.isErrored()) { // not billed
            String what;
            try {
                var e = result.asErrored().error().error();
                what = e.type().asString() + ": " + e.message();
            } catch (RuntimeException unreadable) {
                what = "(its error cannot be read: " + rootMessage(unreadable) + ")";
            }
            return new Failed(clean("the request failed in the batch: " + what));
        }
        if (result.isExpired()) return new Failed("the batch expired before this request was processed");
        return new Failed("the batch was canceled before this request was processed");
    }

    // --- one request, with retries -------------------------------------------------------------

    /** A reply and the id its request carried. */
    private record Answered(Message message, String requestId) {}

    /**
     * One attempt: the request is recorded (with its cost ceiling) before it leaves and carries its
     * id in a header; an error status is recorded as not billed, and so is a request whose body never
     * reached a connection (refused, unknown host, connect timeout: no server saw it). A connection
     * broken or timed out after the body was written, or a reply the SDK cannot parse, is recorded as
     * unconfirmed: the API may have billed it, and no usage will come for it, so it stays charged its
     * ceiling. A reply leaves the record open until it has been read. A recorder that cannot write
     * stops the run (nothing is sent unrecorded).
     */
    private Answered send(MessageCreateParams params, OutgoingCall outgoing, Deadline deadline) {
        String requestId;
        try {
            requestId = recorder.sending(outgoing);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MessageCreateParams tagged = requestId == null ? params
                : params.toBuilder().putAdditionalHeader(REQUEST_ID_HEADER, requestId).build();
        RequestOptions options = RequestOptions.builder()
                .timeout(timeouts(deadline.attemptLimit(settings.requestTimeout()))).build();
        try {
            return new Answered(client.messages().create(tagged, options), requestId);
        } catch (AnthropicServiceException e) {
            unbilled(requestId);
            throw e;
        } catch (AnthropicIoException e) {
            if (requestId != null && !wire.bodyWritten(requestId)) {
                unbilled(requestId);
                throw new NeverSent(e);
            }
            unconfirmed(outgoing, requestId, null, "no complete response (" + rootMessage(e) + ")");
            throw e;
        } catch (AnthropicException e) {
            unconfirmed(outgoing, requestId, null, "a 200 whose " + unreadableReply(e).substring(4));
            throw e;
        } finally {
            wire.bodyWritten(requestId); // forgets the request
        }
    }

    private void unbilled(String requestId) {
        if (requestId == null) return;
        try {
            recorder.unbilled(requestId);
        } catch (IOException io) {
            throw new UncheckedIOException(io); // the open record charges it its ceiling: safe
        }
    }

    /** A request that failed before its body reached any connection: no server saw it, nothing can be billed. */
    private static final class NeverSent extends RuntimeException {
        NeverSent(AnthropicIoException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private static Timeout timeouts(Duration attempt) {
        return Timeout.builder().request(attempt).read(attempt).write(attempt)
                .connect(min(attempt, Duration.ofSeconds(10))).build();
    }

    /** A request that failed for good, with what the retry policy knew about it. */
    private static final class Failure extends Exception {
        final Fault fault;
        final String why;

        Failure(Fault fault, String why) {
            super(null, null, false, false);
            this.fault = fault;
            this.why = why;
        }
    }

    /** What an unreadable 200 to a single image's request means: it is not sent again, and its journal entry charges it. */
    private static final String CHARGED = "it may have been billed, so it is not sent again and is charged its ceiling "
            + "as unconfirmed";

    /** Like {@link #call}, turning a final failure into the exception the pipeline understands. */
    private <T> T attempt(Supplier<T> request, Deadline deadline, String ifUnreadable) throws ProviderException {
        try {
            return call(request, deadline, ifUnreadable);
        } catch (Failure f) {
            throw problem(f);
        }
    }

    /**
     * Sends a request, retrying transient faults as {@link Retry} decides, within the adaptive limit
     * and within the deadline.
     *
     * @param ifUnreadable null when a 200 that cannot be read is worth another attempt (nothing billed
     *                     twice: a poll, results that can be fetched again); else a 200 that cannot be read
     *                     ends the request, and this says why it is not sent again
     */
    private <T> T call(Supplier<T> request, Deadline deadline, String ifUnreadable) throws Failure, ProviderException {
        for (int attempt = 1; ; attempt++) {
            if (deadline.expired()) { // the re-ask found the time already spent: nothing is sent
                throw new Failure(new Fault(Fault.Kind.TRANSIENT, 0, null, null), overTime(deadline));
            }
            try {
                limit.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException("interrupted while waiting for a free request slot");
            }
            Fault fault;
            AdaptiveLimit.Signal signal = AdaptiveLimit.Signal.OTHER;
            Runnable attemptEnded = deadline.startAttempt();
            try {
                T out = request.get();
                signal = AdaptiveLimit.Signal.OK;
                return out;
            } catch (AnthropicServiceException e) {
                fault = fault(e);
                if (fault.kind() == Fault.Kind.RATE_LIMITED) signal = AdaptiveLimit.Signal.THROTTLED;
            } catch (NeverSent e) {
                fault = new Fault(Fault.Kind.UNREACHED, 0, null, "the API could not be reached (" + rootMessage(e) + ")");
            } catch (AnthropicIoException e) {
                fault = new Fault(Fault.Kind.TRANSIENT, 0, null, "no response (" + rootMessage(e) + ")");
            } catch (AnthropicException e) { // AnthropicInvalidDataException and any other failure to read a reply
                // status 200 only for a body that arrived whole and is not what was asked for; one cut short is a
                // broken connection (0): the difference decides whether a batch is ever given up
                fault = new Fault(ifUnreadable != null ? Fault.Kind.UNREADABLE : Fault.Kind.TRANSIENT,
                        cutShort(e) ? 0 : 200, null, unreadableReply(e));
            } finally {
                attemptEnded.run();
                limit.release(signal);
            }
            if (fault.kind() == Fault.Kind.UNREADABLE) {
                throw new Failure(fault, fault.detail() + (deadline.expired() ? " (" + overTime(deadline) + ")" : "")
                        + "; " + ifUnreadable);
            }
            if (!fault.retryable()) throw new Failure(fault, fault.describe());
            Retry.Decision d = Retry.decide(attempt, fault, random.nextDouble());
            if (!d.retry()) throw new Failure(fault, d.giveUpReason());
            if (deadline.bounded() && d.delay().compareTo(deadline.remaining()) >= 0) {
                throw new Failure(fault, fault.describe() + " (" + attempt + (attempt == 1 ? " attempt" : " attempts")
                        + "; " + overTime(deadline) + ")");
            }
            sleep(d.delay());
            deadline.waited(d.delay());
        }
    }

    private static String overTime(Deadline d) {
        Duration b = d.budget();
        String secs = b.toMillis() % 1000 == 0 ? Long.toString(b.toSeconds())
                : java.math.BigDecimal.valueOf(b.toMillis(), 3).stripTrailingZeros().toPlainString();
        return "no complete answer within the " + secs + " s allowed per image, image_timeout_seconds";
    }

    /** Why a 2xx body could not be read: it never arrived whole (timeout, dropped connection), or it is not a reply. */
    private static String unreadableReply(AnthropicException e) {
        return (cutShort(e) ? "its reply did not arrive whole (" : "its reply cannot be read (") + rootMessage(e) + ")";
    }

    /** Whether a reply failed to be read because its body stopped arriving, rather than for what it said. */
    private static boolean cutShort(AnthropicException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t instanceof IOException && !(t instanceof com.fasterxml.jackson.core.JsonProcessingException)) return true;
        }
        return false;
    }

    /** The innermost message of an SDK failure (the SDK wraps the parser's or the socket's). */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > MAX_DETAIL ? m.substring(0, MAX_DETAIL) + "…" : m;
    }

    private Fault fault(AnthropicServiceException e) {
        int status = e.statusCode();
        Duration retryAfter = Retry.retryAfter(e.headers().values("retry-after-ms"), e.headers().values("retry-after"),
                clock.instant()).orElse(null);
        String message = e.apiMessage().orElse("");
        String detail = message + e.requestId().map(id -> " (request " + id + ")").orElse("");
        Fault.Kind kind = Fault.kindOf(status);
        if (kind == Fault.Kind.REDIRECTED) {
            String to = e.headers().values("location").stream().findFirst().map(String::strip).orElse("");
            detail = to.isEmpty() ? "a redirect with no Location" : "a redirect to "
                    + (to.length() > MAX_DETAIL ? to.substring(0, MAX_DETAIL) + "…" : to);
        }
        if (kind == Fault.Kind.REFUSED && message.toLowerCase(java.util.Locale.ROOT).contains("credit balance")) {
            kind = Fault.Kind.FATAL; // no later request can succeed either
        }
        return new Fault(kind, status, retryAfter, detail);
    }

    private ProviderException problem(Failure failure) {
        Fault f = failure.fault;
        return switch (f.kind()) {
            case AUTH -> new ProviderException(clean(KEY_PROBLEM + ": the API answered " + f.describe()
                    + "; check the key in " + key.source()), true, null);
            case FATAL -> new ProviderException(clean(f.status() == 404
                    ? "the API does not know model \"" + settings.model() + "\" (" + f.describe()
                    + "); fix \"model\" in imagevision.json" : "the API refuses every request: " + f.describe()), true, null);
            case REFUSED -> new ProviderException(clean("the API refused the image: " + f.describe()));
            case UNREADABLE -> new ProviderException(clean("the API answered 200 but " + failure.why
                    + "; a later run retries this image"));
            case TRANSIENT, RATE_LIMITED -> new ProviderException(clean("the API did not answer usefully: "
                    + failure.why + "; a later run retries this image"));
            case UNREACHED -> new ProviderException(clean(failure.why + "; a request that reaches no server is not "
                    + "charged; a later run retries this image"));
            case REDIRECTED -> new ProviderException(clean("the API's address answered " + f.describe() + ", which is "
                    + "never followed (a request sent on elsewhere may be billed again, carry the key to another host, "
                    + "or be answered by something that is not the API); not charged. Point ANTHROPIC_BASE_URL at the "
                    + "address that answers itself; a later run retries this image"));
        };
    }

    private void sleep(Duration d) throws ProviderException {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while waiting to retry");
        }
    }

    // --- building requests and reading replies ------------------------------------------------

    /**
     * The parts of a request shared by single and batch requests.
     *
     * @param textBytes UTF-8 bytes of the system and user text (for the cost ceiling)
     */
    private record Pieces(List<TextBlockParam> system, ToolChoiceTool choice, List<ContentBlockParam> content,
                          long textBytes) {}

    private Pieces pieces(Upload up, ImageContext ctx, List<String> strictProblems) {
        // the rubric and the deny-list reasons are the same for every image of a run: cache them
        String systemText = Prompt.system(ctx.recentDenyReasons());
        String userText = Prompt.user(ctx, strictProblems);
        TextBlockParam system = TextBlockParam.builder().text(systemText)
                .cacheControl(CacheControlEphemeral.builder().build()).build();
        ContentBlockParam image = ContentBlockParam.ofImage(ImageBlockParam.builder()
                .source(Base64ImageSource.builder().data(Base64.getEncoder().encodeToString(up.bytes()))
                        .mediaType(Base64ImageSource.MediaType.of(up.mediaType())).build())
                .build());
        ContentBlockParam text = ContentBlockParam.ofText(TextBlockParam.builder().text(userText).build());
        return new Pieces(List.of(system), ToolChoiceTool.builder().name(Prompt.TOOL_NAME).disableParallelToolUse(true).build(),
                List.of(image, text), utf8(systemText) + utf8(userText));
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The tool definition's name, description and schema as text: it counts as input too. */
    private static long toolBytes() {
        try {
            return utf8(Prompt.TOOL_NAME) + utf8(Prompt.toolDescription())
                    + utf8(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Prompt.schema()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the tool schema cannot be written as JSON", e);
        }
    }

    private static Tool tool() {
        Tool.InputSchema.Properties.Builder props = Tool.InputSchema.Properties.builder();
        Prompt.schema().forEach((name, schema) -> props.putAdditionalProperty(name, JsonValue.from(schema)));
        return Tool.builder().name(Prompt.TOOL_NAME).description(Prompt.toolDescription())
                .inputSchema(Tool.InputSchema.builder().properties(props.build()).required(Prompt.REQUIRED)
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false)).build())
                .build();
    }

    static JsonNode toolInput(Message m) {
        for (ContentBlock b : m.content()) {
            if (b.isToolUse() && Prompt.TOOL_NAME.equals(b.asToolUse().name())) {
                return b.asToolUse()._input().convert(JsonNode.class);
            }
        }
        return null;
    }

    private Upload upload(Path image) throws ProviderException {
        try {
            return Upload.prepare(image, settings.uploadMaxEdge(), settings.maxInputPixels(), codec);
        } catch (ImageException e) {
            throw ProviderException.imageFault("not sent: " + e.getMessage(), e);
        }
    }

    /** What a billed reply says, read once: the SDK parses lazily, so any accessor can fail. */
    private record Reading(String id, String model, ClaimedUsage usage, JsonNode toolInput) {}

    /**
     * A billed reply read and its usage checked against what the request can have used. One that
     * cannot be read, or that claims impossible usage, is not used and its figures are never recorded
     * as billed: the request stays charged its ceiling, as unconfirmed, and the image fails.
     *
     * @param requestId the journaled request it answers (a single request), or null
     * @param batchKey  for a batch result, the key its ceiling is charged under; else null
     */
    private Reading trusted(Message m, OutgoingCall call, String requestId, String batchKey) throws ProviderException {
        String why;
        try {
            var u = m.usage();
            String named = m.model().asString();
            // a model the price table does not list (a gateway's own id, a newer model than the table) is priced as the
            // model asked for, the price the request's ceiling was held at; a listed model (or its dated snapshot) as itself
            String billedAs = Prices.listed(named) ? named : call.model();
            Reading r = new Reading(m.id(), billedAs, new ClaimedUsage(u.inputTokens(), u.outputTokens(),
                    u.cacheReadInputTokens().orElse(0L), u.cacheCreationInputTokens().orElse(0L)), toolInput(m));
            Optional<String> impossible = r.usage().impossibility(call.inputTokensCeiling(), call.outputTokensCeiling());
            if (impossible.isEmpty()) {
                BigDecimal cost = Prices.cost(billedAs, r.usage().tokens(), call.batch());
                BigDecimal ceiling = Prices.ceiling(call.model(), call.inputTokensCeiling(), call.outputTokensCeiling(),
                        call.batch());
                if (cost.compareTo(ceiling) <= 0) return r;
                why = "its reply names the model " + named + ", at whose price its usage ($" + cost.toPlainString()
                        + ") is more than the request's ceiling ($" + ceiling.toPlainString() + " at " + call.model() + ")";
            } else {
                why = "its reply claims impossible usage (" + impossible.get() + ")";
            }
        } catch (RuntimeException unreadable) { // AnthropicInvalidDataException, or a shape the SDK did not foresee
            why = "its reply cannot be read (" + unreadable(m, unreadable) + ")";
        }
        unconfirmed(call, requestId, batchKey, why);
        throw new ProviderException(clean("the API answered 200 but " + why + "; nothing of it is used or recorded "
                + "as billed: the request is charged its ceiling as unconfirmed; a later run retries this image"));
    }

    /** Why a reply cannot be read: the error object it carries under its 200, else the SDK's complaint. */
    private static String unreadable(Message m, RuntimeException e) {
        return unreadable(m::_additionalProperties, e);
    }

    /** @param fields what the reply held beyond the fields of the object asked for */
    private static String unreadable(Supplier<Map<String, JsonValue>> fields, RuntimeException e) {
        try {
            JsonValue error = fields.get().get("error");
            if (error != null) {
                JsonNode n = error.convert(JsonNode.class);
                return "an error object: " + n.path("type").asText("?") + ": " + n.path("message").asText("");
            }
        } catch (RuntimeException ignored) {
            // no readable error either: the SDK's own words below
        }
        return rootMessage(e);
    }

    /** Fails a batch reply that cannot be read with what it says instead, for {@link #call} to judge. */
    private static com.anthropic.errors.AnthropicInvalidDataException notABatch(MessageBatch b, RuntimeException e) {
        return new com.anthropic.errors.AnthropicInvalidDataException(unreadable(b::_additionalProperties, e));
    }

    /** The call stays charged its ceiling; a recorder that cannot write it stops the run (its open record charges it anyway). */
    private void unconfirmed(OutgoingCall call, String requestId, String batchKey, String why) {
        try {
            if (batchKey != null) recorder.unconfirmed(call, batchKey, why);
            else if (requestId != null) recorder.unconfirmed(requestId, why);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reply's usage priced, reported to the recorder before anything else looks at the reply. */
    private Usage paid(Reading r, String path, boolean batch, String requestId) {
        Tokens t = r.usage().tokens();
        Usage usage = new Usage(t.input(), t.output(), t.cacheRead(), t.cacheWrite(),
                Prices.cost(r.model(), t, batch).doubleValue());
        try {
            recorder.paid(new PaidCall(path, r.model(), r.id(), usage, batch, requestId));
        } catch (IOException e) {
            // the reply is not used; the run stops as on any failed write (its request is charged its ceiling)
            throw new UncheckedIOException(e);
        }
        return usage;
    }

    private static Usage plus(Usage a, Usage b) {
        return new Usage(a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
                a.cacheReadTokens() + b.cacheReadTokens(), a.cacheWriteTokens() + b.cacheWriteTokens(),
                a.costUsd() + b.costUsd());
    }

    private void requireKey() throws ProviderException {
        if (keyProblem != null) throw new ProviderException(keyProblem, true, null);
    }

    /** Text for messages: never the key, never unbounded. */
    private String clean(String s) {
        String r = key == null ? s : key.redact(s);
        return r.length() <= MAX_DETAIL * 2 ? r : r.substring(0, MAX_DETAIL * 2) + "…";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        if (client != null) client.close();
    }
}
