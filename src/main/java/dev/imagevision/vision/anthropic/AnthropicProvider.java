package dev.imagevision.vision.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.Timeout;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicInvalidDataException;
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
    private final ApiKey key;
    private final String keyProblem;
    private final AnthropicClient client;
    private final CallRecorder recorder;
    private final Sleeper sleeper;
    private final Random random;
    private final Clock clock;
    private final AdaptiveLimit limit;
    private final Tool tool;
    private final long toolBytes = toolBytes();

    /**
     * @param key    the key, or empty when neither the environment nor .env.local has one: every
     *               call then fails fast with {@link #KEY_PROBLEM}, nothing is sent
     * @param random jitter for the backoff; seed it for reproducible waits
     */
    public AnthropicProvider(AnthropicSettings settings, Optional<ApiKey> key, CallRecorder recorder, Sleeper sleeper,
                             Random random, Clock clock) {
        this.settings = settings;
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
                    .maxIdleConnections(0).keepAliveDuration(Duration.ofMinutes(5));
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
            Answered a = attempt(() -> send(params, outgoing));
            Message m = a.message();
            Usage u = paid(m, context.path(), false, a.requestId());
            spent = spent == null ? u : plus(spent, u);
            Reply.Checked c = Reply.check(toolInput(m));
            if (c.usable()) return new Scored(c.judgement(), spent);
            problems = c.problems();
        }
        throw new ProviderException(clean("the model's reply was unusable twice: " + String.join("; ", problems)));
    }

    @Override
    public Submitted submit(List<Request> requests) throws ProviderException {
        requireKey();
        Map<String, String> refused = new LinkedHashMap<>();
        List<String> deferred = new ArrayList<>();
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
            batch.addRequest(BatchCreateParams.Request.builder().customId(r.id())
                    .params(BatchCreateParams.Request.Params.builder().model(settings.model())
                            .maxTokens(AnthropicSettings.MAX_TOKENS).systemOfTextBlockParams(p.system()).addTool(tool)
                            .toolChoice(p.choice()).addUserMessageOfContentBlockParams(p.content()).build())
                    .build());
            n++;
            bytes += (up.bytes().length + 2L) / 3 * 4;
        }
        if (n == 0) return new Submitted(null, refused, deferred);
        BatchCreateParams params = batch.build();
        MessageBatch created = attempt(() -> client.messages().batches().create(params));
        return new Submitted(created.id(), refused, deferred);
    }

    @Override
    public Map<String, Outcome> await(String batchId, Map<String, String> paths, Consumer<Progress> progress)
            throws ProviderException {
        requireKey();
        while (true) {
            MessageBatch b;
            try {
                b = call(() -> client.messages().batches().retrieve(batchId));
            } catch (Failure f) {
                if (f.fault.status() == 404) return allFailed(paths, "batch " + batchId + " no longer exists at the API");
                throw problem(f);
            }
            var c = b.requestCounts();
            progress.accept(new Progress(batchId, b.processingStatus().asString(), c.processing(), c.succeeded(),
                    c.errored(), c.canceled(), c.expired()));
            if (MessageBatch.ProcessingStatus.ENDED.equals(b.processingStatus())) break;
            sleep(settings.pollInterval());
        }
        List<MessageBatchIndividualResponse> results = attempt(() -> {
            try (StreamResponse<MessageBatchIndividualResponse> s = client.messages().batches().resultsStreaming(batchId)) {
                return s.stream().toList();
            }
        });
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (MessageBatchIndividualResponse r : results) {
            if (!paths.containsKey(r.customId())) continue; // not ours: a batch id reused by hand
            out.put(r.customId(), outcome(r.result(), paths.get(r.customId())));
        }
        for (String id : paths.keySet()) out.putIfAbsent(id, new Failed("the batch ended without a result for it"));
        return out;
    }

    private Outcome outcome(MessageBatchResult result, String path) throws ProviderException {
        if (result.isSucceeded()) {
            Message m = result.asSucceeded().message();
            Usage u = paid(m, path, true, null);
            Reply.Checked c = Reply.check(toolInput(m));
            return c.usable() ? new Judged(new Scored(c.judgement(), u))
                    : new Failed(clean("unusable reply: " + String.join("; ", c.problems())));
        }
        if (result.isErrored()) {
            var e = result.asErrored().error().error();
            return new Failed(clean("the request failed in the batch: " + e.type().asString() + ": " + e.message()));
        }
        if (result.isExpired()) return new Failed("the batch expired before this request was processed");
        return new Failed("the batch was canceled before this request was processed");
    }

    private static Map<String, Outcome> allFailed(Map<String, String> paths, String why) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (String id : paths.keySet()) out.put(id, new Failed(why));
        return out;
    }

    // --- one request, with retries -------------------------------------------------------------

    /** A reply and the id its request carried. */
    private record Answered(Message message, String requestId) {}

    /**
     * One attempt: the request is recorded (with its cost ceiling) before it leaves and carries its
     * id in a header; an error status is recorded as not billed. Anything else (a reply, a broken
     * connection, a kill) leaves the record open, so the call is charged its ceiling unless its
     * reply is recorded. A recorder that cannot write stops the run (nothing is sent unrecorded).
     */
    private Answered send(MessageCreateParams params, OutgoingCall outgoing) {
        String requestId;
        try {
            requestId = recorder.sending(outgoing);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MessageCreateParams tagged = requestId == null ? params
                : params.toBuilder().putAdditionalHeader(REQUEST_ID_HEADER, requestId).build();
        try {
            return new Answered(client.messages().create(tagged), requestId);
        } catch (AnthropicServiceException e) {
            if (requestId != null) {
                try {
                    recorder.unbilled(requestId);
                } catch (IOException io) {
                    throw new UncheckedIOException(io); // the open record charges it its ceiling: safe
                }
            }
            throw e;
        }
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

    /** Like {@link #call}, turning a final failure into the exception the pipeline understands. */
    private <T> T attempt(Supplier<T> request) throws ProviderException {
        try {
            return call(request);
        } catch (Failure f) {
            throw problem(f);
        }
    }

    /** Sends a request, retrying transient faults as {@link Retry} decides, within the adaptive limit. */
    private <T> T call(Supplier<T> request) throws Failure, ProviderException {
        for (int attempt = 1; ; attempt++) {
            try {
                limit.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException("interrupted while waiting for a free request slot");
            }
            Fault fault;
            AdaptiveLimit.Signal signal = AdaptiveLimit.Signal.OTHER;
            try {
                T out = request.get();
                signal = AdaptiveLimit.Signal.OK;
                return out;
            } catch (AnthropicServiceException e) {
                fault = fault(e);
                if (fault.kind() == Fault.Kind.RATE_LIMITED) signal = AdaptiveLimit.Signal.THROTTLED;
            } catch (AnthropicIoException e) {
                fault = new Fault(Fault.Kind.TRANSIENT, 0, null, null);
            } catch (AnthropicInvalidDataException e) {
                fault = new Fault(Fault.Kind.TRANSIENT, 0, null, "the response could not be read");
            } finally {
                limit.release(signal);
            }
            if (fault.kind() == Fault.Kind.AUTH || fault.kind() == Fault.Kind.FATAL) throw new Failure(fault, fault.describe());
            Retry.Decision d = Retry.decide(attempt, fault, random.nextDouble());
            if (!d.retry()) throw new Failure(fault, d.giveUpReason());
            sleep(d.delay());
        }
    }

    private Fault fault(AnthropicServiceException e) {
        int status = e.statusCode();
        Duration retryAfter = Retry.retryAfter(e.headers().values("retry-after-ms"), e.headers().values("retry-after"),
                clock.instant()).orElse(null);
        String message = e.apiMessage().orElse("");
        String detail = message + e.requestId().map(id -> " (request " + id + ")").orElse("");
        Fault.Kind kind = Fault.kindOf(status);
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
            case TRANSIENT, RATE_LIMITED -> new ProviderException(clean("the API did not answer usefully: "
                    + failure.why + "; a later run retries this image"));
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
            return Upload.prepare(image, settings.uploadMaxEdge(), settings.maxInputPixels());
        } catch (ImageException e) {
            throw ProviderException.imageFault("not sent: " + e.getMessage(), e);
        }
    }

    /** The reply's usage priced, reported to the recorder before anything else looks at the reply. */
    private Usage paid(Message m, String path, boolean batch, String requestId) {
        var u = m.usage();
        Tokens t = new Tokens(u.inputTokens(), u.outputTokens(), u.cacheReadInputTokens().orElse(0L),
                u.cacheCreationInputTokens().orElse(0L));
        String model = m.model().asString();
        Usage usage = new Usage(t.input(), t.output(), t.cacheRead(), t.cacheWrite(),
                Prices.cost(model, t, batch).doubleValue());
        try {
            recorder.paid(new PaidCall(path, model, m.id(), usage, batch, requestId));
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
