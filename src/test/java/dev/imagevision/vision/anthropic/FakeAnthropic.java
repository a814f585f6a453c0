package dev.imagevision.vision.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An in-process Anthropic API on 127.0.0.1 that speaks the real wire format: {@code POST
 * /v1/messages} with Message bodies, error bodies {@code {"type":"error","error":{type,message}}}
 * with {@code request-id} and {@code retry-after} headers, and the Message Batches endpoints.
 * Answers are scripted per test; every request is recorded with its headers and JSON body.
 */
public final class FakeAnthropic implements AutoCloseable {
    public static final ObjectMapper JSON = JsonMapper.builder().build();

    /** A request as the server saw it. */
    public record Received(String method, String path, Map<String, List<String>> headers, JsonNode body) {
        /** The key as the SDK sent it: {@code x-api-key}, or {@code Authorization: Bearer} (SDK 3.x). */
        public String apiKey() {
            String k = header("x-api-key");
            if (k != null) return k;
            String auth = header("authorization");
            return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }
    }

    /**
     * A 200 reply to {@code POST /v1/messages}: what the real API would bill. Recorded when the
     * server has decided to send it, before a byte is written (the API bills whether or not the
     * client lives to read it).
     *
     * @param requestId the request's {@code x-imagevision-request-id} header, or null
     */
    public record Billed(String requestId, String messageId, long inputTokens, long outputTokens,
                         long cacheReadTokens, long cacheWriteTokens) {}

    /** When a {@link #onBilled} hook runs: before the reply's first byte, or after its last. */
    public enum Moment { BEFORE_REPLY, AFTER_REPLY }

    /**
     * One scripted answer: status, headers, body; optionally held until the server closes (a hung
     * call), sent as raw text instead of the body (a reply no SDK can read), or trickled one byte
     * per {@code trickle} (a stalled API).
     */
    public record Answer(int status, Map<String, String> headers, JsonNode body, boolean hang, String raw,
                         Duration trickle) {
        public Answer(int status, Map<String, String> headers, JsonNode body, boolean hang) {
            this(status, headers, body, hang, null, null);
        }

        /** The same answer, its body written one byte per {@code perByte}. */
        public Answer trickled(Duration perByte) {
            return new Answer(status, headers, body, hang, raw, perByte);
        }
    }

    /** How the server talks: HTTP/1.1 with keep-alive, or HTTP/1.0 closing the connection after every reply. */
    public enum Wire { KEEP_ALIVE, HTTP_1_0 }

    private final HttpServer server;
    private final ServerSocket rawServer;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong firstArrival = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastDeparture = new java.util.concurrent.atomic.AtomicLong();
    public final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    public final List<Billed> billed = Collections.synchronizedList(new ArrayList<>());
    private volatile java.util.function.BiConsumer<Moment, Billed> onBilled = (moment, b) -> {};
    private volatile Function<JsonNode, Answer> fallback = body -> ok(goodInput(), 1500, 120);
    private volatile Duration latency = Duration.ZERO;
    /** Answers a request to a path the API does not have (where a redirect may point). */
    private volatile Function<Received, Answer> elsewhere =
            r -> error(404, "not_found_error", "Not found: " + r.path());

    // batches
    private final Map<String, Batch> batches = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile int pollsUntilEnded = 1;
    private volatile BiFunction<String, JsonNode, JsonNode> batchResult = (id, params) -> succeeded(goodInput(), 1500, 120);
    /** Replaces the answer to a status poll (by batch id) when it returns one; null: the batch's real status. */
    private volatile Function<String, Answer> pollAnswer = id -> null;
    /** Replaces the answer to a batch's creation (the batch is created all the same) when it returns one. */
    private volatile Function<String, Answer> createAnswer = id -> null;
    /** What the results stream holds, given the JSONL the batch produced (a gateway may mangle it). */
    private volatile java.util.function.UnaryOperator<String> resultsText = jsonl -> jsonl;

    private static final class Batch {
        final String id;
        final List<JsonNode> requests;
        int polls;

        Batch(String id, List<JsonNode> requests) {
            this.id = id;
            this.requests = requests;
        }
    }

    public FakeAnthropic() throws IOException {
        this(Wire.KEEP_ALIVE);
    }

    public FakeAnthropic(Wire wire) throws IOException {
        if (wire == Wire.KEEP_ALIVE) {
            rawServer = null;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setExecutor(pool);
            server.createContext("/v1/messages", this::handle);
            server.start();
        } else {
            server = null;
            rawServer = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            pool.submit(() -> {
                while (!rawServer.isClosed()) {
                    try {
                        Socket s = rawServer.accept();
                        pool.submit(() -> http10(s));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + (server != null ? server.getAddress().getPort() : rawServer.getLocalPort());
    }

    // --- scripting -----------------------------------------------------------------------------

    /** Answers the next message requests in this order; after that, the fallback. */
    public FakeAnthropic then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    public FakeAnthropic fallback(Function<JsonNode, Answer> f) {
        fallback = f;
        return this;
    }

    /** Server-side think time for every message request (the benchmark's 3 s). */
    public FakeAnthropic latency(Duration d) {
        latency = d;
        return this;
    }

    /** Runs around every billed reply (a test kills the client there: the window between billing and the ledger). */
    public FakeAnthropic onBilled(java.util.function.BiConsumer<Moment, Billed> hook) {
        onBilled = hook;
        return this;
    }

    /** How requests to paths the API does not have are answered (default: the API's 404). */
    public FakeAnthropic elsewhere(Function<Received, Answer> f) {
        elsewhere = f;
        return this;
    }

    public FakeAnthropic pollsUntilEnded(int n) {
        pollsUntilEnded = n;
        return this;
    }

    /** Answers status polls with what {@code f} returns for the batch id; null keeps the real status. */
    public FakeAnthropic pollAnswer(Function<String, Answer> f) {
        pollAnswer = f;
        return this;
    }

    /** Answers batch creation with what {@code f} returns for the new batch's id; null: the batch itself. */
    public FakeAnthropic createAnswer(Function<String, Answer> f) {
        createAnswer = f;
        return this;
    }

    /** The results stream as {@code f} makes it from the real JSONL (garbage lines, an HTML page, …). */
    public FakeAnthropic resultsText(java.util.function.UnaryOperator<String> f) {
        resultsText = f;
        return this;
    }

    public FakeAnthropic batchResult(BiFunction<String, JsonNode, JsonNode> f) {
        batchResult = f;
        return this;
    }

    public List<Received> messageRequests() {
        synchronized (received) {
            return received.stream().filter(r -> r.path().equals("/v1/messages")).toList();
        }
    }

    public List<Received> requests(String method, String pathPrefix) {
        synchronized (received) {
            return received.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
        }
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** From the first request's arrival to the last response's departure: the time the API was busy. */
    public Duration busySpan() {
        return Duration.ofNanos(lastDeparture.get() - firstArrival.get());
    }

    public void resetTimings() {
        firstArrival.set(0);
        lastDeparture.set(0);
        maxInFlight.set(0);
    }

    /** When the first request arrived (System.nanoTime), 0 before any. */
    public long firstArrivalNanos() {
        return firstArrival.get();
    }

    // --- answers in the API's real shapes ------------------------------------------------------

    public static ObjectNode goodInput() {
        ObjectNode in = JSON.createObjectNode();
        in.put("score", 8);
        in.put("subject", "The JUICE spacecraft lifts off on an Ariane 5 rocket from Kourou.");
        in.put("category", "launch");
        in.putObject("focal_point").put("x", 0.5).put("y", 0.4);
        in.putObject("subject_box").put("x", 0.3).put("y", 0.1).put("w", 0.4).put("h", 0.8);
        in.put("subject_match", true);
        in.putNull("reject_reason");
        return in;
    }

    public ObjectNode message(JsonNode toolInput, long in, long out, long cacheRead, long cacheWrite) {
        int n = ids.incrementAndGet();
        ObjectNode m = JSON.createObjectNode();
        m.put("id", String.format("msg_fake%06d", n));
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", "claude-sonnet-4-6");
        ArrayNode content = m.putArray("content");
        if (toolInput != null) {
            ObjectNode block = content.addObject();
            block.put("type", "tool_use");
            block.put("id", String.format("toolu_fake%06d", n));
            block.put("name", "record_judgement");
            block.set("input", toolInput);
            m.put("stop_reason", "tool_use");
        } else {
            content.addObject().put("type", "text").put("text", "I think this picture shows a rocket.");
            m.put("stop_reason", "end_turn");
        }
        m.putNull("stop_sequence");
        ObjectNode usage = m.putObject("usage");
        usage.put("input_tokens", in);
        usage.put("cache_creation_input_tokens", cacheWrite);
        usage.put("cache_read_input_tokens", cacheRead);
        usage.put("output_tokens", out);
        usage.put("service_tier", "standard");
        return m;
    }

    public Answer ok(JsonNode toolInput, long in, long out) {
        return new Answer(200, Map.of(), message(toolInput, in, out, 0, 0), false);
    }

    public Answer ok(JsonNode toolInput, long in, long out, long cacheRead, long cacheWrite) {
        return new Answer(200, Map.of(), message(toolInput, in, out, cacheRead, cacheWrite), false);
    }

    /** A reply whose content is prose, not the forced tool call. */
    public Answer prose() {
        return new Answer(200, Map.of(), message(null, 1500, 40, 0, 0), false);
    }

    public static Answer error(int status, String type, String message, String... headerPairs) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        body.put("request_id", "req_fake" + status);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) headers.put(headerPairs[i], headerPairs[i + 1]);
        return new Answer(status, headers, body, false);
    }

    /** A redirect, as a misconfigured gateway or a moved host answers: {@code status} with a Location. */
    public static Answer redirect(int status, String location) {
        return new Answer(status, Map.of("Location", location), JSON.createObjectNode(), false);
    }

    public static Answer hang() {
        return new Answer(0, Map.of(), null, true);
    }

    /** The connection closed with no answer at all (a gateway that gave up, a dropped connection). */
    public static Answer drop() {
        return new Answer(-1, Map.of(), null, false);
    }

    /** A reply of this status whose body is exactly {@code text} (garbage, or JSON of the wrong shape). */
    public static Answer raw(int status, String text) {
        return new Answer(status, Map.of(), null, false, text, null);
    }

    public JsonNode succeeded(JsonNode toolInput, long in, long out) {
        ObjectNode r = JSON.createObjectNode();
        r.put("type", "succeeded");
        r.set("message", message(toolInput, in, out, 0, 0));
        return r;
    }

    public static JsonNode errored(String type, String message) {
        ObjectNode r = JSON.createObjectNode();
        r.put("type", "errored");
        ObjectNode e = r.putObject("error");
        e.put("type", "error");
        e.putObject("error").put("type", type).put("message", message);
        return r;
    }

    public static JsonNode expired() {
        return JSON.createObjectNode().put("type", "expired");
    }

    // --- the server ----------------------------------------------------------------------------

    /** A request as it came off the wire, whichever wire. */
    private record Incoming(String method, String path, Map<String, List<String>> headers, byte[] body) {}

    /** What goes back: status, headers, body; or hold the exchange until the server closes; or trickle it. */
    private record Outgoing(int status, Map<String, String> headers, byte[] body, boolean hang, Duration trickle) {}

    /** Writes one response on the wire the server speaks. */
    @FunctionalInterface
    private interface Sink {
        void send(Outgoing o) throws IOException, InterruptedException;
    }

    private void serve(Incoming in, Sink sink) throws IOException {
        firstArrival.compareAndSet(0, System.nanoTime());
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            JsonNode body = in.body().length == 0 ? null : JSON.readTree(in.body());
            String path = in.path();
            Received rec = new Received(in.method(), path, Map.copyOf(in.headers()), body);
            received.add(rec);
            if (path.equals("/v1/messages") && in.method().equals("POST")) {
                Answer a = script.poll();
                if (a == null) a = fallback.apply(body);
                if (!latency.isZero()) Thread.sleep(latency.toMillis());
                if (a.status() == 200 && !a.hang()) { // billed once the server decides to answer
                    JsonNode sent = sentBody(a);
                    JsonNode u = sent.path("usage");
                    Billed b = new Billed(rec.header("x-imagevision-request-id"), sent.path("id").asText(),
                            u.path("input_tokens").asLong(),
                            u.path("output_tokens").asLong(), u.path("cache_read_input_tokens").asLong(),
                            u.path("cache_creation_input_tokens").asLong());
                    billed.add(b);
                    onBilled.accept(Moment.BEFORE_REPLY, b);
                    sink.send(outgoing(a));
                    onBilled.accept(Moment.AFTER_REPLY, b);
                } else {
                    sink.send(outgoing(a));
                }
            } else if (path.equals("/v1/messages/batches") && in.method().equals("POST")) {
                List<JsonNode> reqs = new ArrayList<>();
                body.get("requests").forEach(reqs::add);
                Batch b = new Batch(String.format("msgbatch_fake%04d", ids.incrementAndGet()), reqs);
                batches.put(b.id, b);
                Answer instead = createAnswer.apply(b.id);
                sink.send(outgoing(instead != null ? instead : new Answer(200, Map.of(), batchJson(b, false), false)));
            } else if (path.startsWith("/v1/messages/batches/") && in.method().equals("GET")) {
                String[] parts = path.substring("/v1/messages/batches/".length()).split("/");
                Batch b = batches.get(parts[0]);
                if (b == null) {
                    sink.send(outgoing(error(404, "not_found_error", "No batch found with id " + parts[0])));
                } else if (parts.length == 1 && pollAnswer.apply(b.id) != null) {
                    sink.send(outgoing(pollAnswer.apply(b.id)));
                } else if (parts.length == 1) {
                    boolean ended;
                    synchronized (b) {
                        b.polls++;
                        ended = b.polls >= pollsUntilEnded;
                    }
                    sink.send(outgoing(new Answer(200, Map.of(), batchJson(b, ended), false)));
                } else {
                    sink.send(results(b));
                }
            } else {
                sink.send(outgoing(elsewhere.apply(rec)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            lastDeparture.accumulateAndGet(System.nanoTime(), Math::max);
        }
    }

    /** The body as JSON (a raw one if it parses), else a missing node. */
    private static JsonNode sentBody(Answer a) {
        if (a.body() != null) return a.body();
        try {
            JsonNode n = a.raw() == null ? null : JSON.readTree(a.raw());
            return n == null ? JSON.missingNode() : n;
        } catch (IOException notJson) {
            return JSON.missingNode();
        }
    }

    private ObjectNode batchJson(Batch b, boolean ended) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", b.id);
        n.put("type", "message_batch");
        n.put("processing_status", ended ? "ended" : "in_progress");
        ObjectNode counts = n.putObject("request_counts");
        counts.put("processing", ended ? 0 : b.requests.size());
        counts.put("succeeded", ended ? b.requests.size() : 0);
        counts.put("errored", 0);
        counts.put("canceled", 0);
        counts.put("expired", 0);
        if (ended) n.put("ended_at", "2026-07-06T10:05:00.000000Z");
        else n.putNull("ended_at");
        n.put("created_at", "2026-07-06T10:00:00.000000Z");
        n.put("expires_at", "2026-07-07T10:00:00.000000Z");
        n.putNull("archived_at");
        n.putNull("cancel_initiated_at");
        if (ended) n.put("results_url", baseUrl() + "/v1/messages/batches/" + b.id + "/results");
        else n.putNull("results_url");
        return n;
    }

    private Outgoing results(Batch b) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (JsonNode r : b.requests) {
            String id = r.get("custom_id").asText();
            JsonNode result = batchResult.apply(id, r.get("params"));
            if (result == null) continue; // leave it out, as a broken batch would
            ObjectNode line = JSON.createObjectNode();
            line.put("custom_id", id);
            line.set("result", result);
            jsonl.append(JSON.writeValueAsString(line)).append('\n');
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/binary");
        headers.put("request-id", "req_fakeresults");
        return new Outgoing(200, headers, resultsText.apply(jsonl.toString()).getBytes(StandardCharsets.UTF_8), false, null);
    }

    private Outgoing outgoing(Answer a) throws IOException {
        if (a.hang()) return new Outgoing(0, Map.of(), new byte[0], true, null);
        if (a.status() < 0) return new Outgoing(-1, Map.of(), new byte[0], false, null);
        byte[] bytes = a.raw() != null ? a.raw().getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(a.body());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("request-id", "req_fake" + ids.incrementAndGet());
        headers.put("anthropic-organization-id", "00000000-0000-0000-0000-000000000000");
        headers.putAll(a.headers());
        return new Outgoing(a.status(), headers, bytes, false, a.trickle());
    }

    /** The body, all at once or one byte per {@code trickle}. */
    private static void writeBody(OutputStream out, Outgoing o) throws IOException, InterruptedException {
        if (o.trickle() == null) {
            out.write(o.body());
            return;
        }
        for (byte b : o.body()) {
            out.write(b);
            out.flush();
            Thread.sleep(o.trickle().toMillis());
        }
    }

    // --- wire 1: the JDK's HTTP/1.1 server, keep-alive ------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] raw = ex.getRequestBody().readAllBytes();
            serve(new Incoming(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestHeaders(), raw), o -> {
                if (o.hang()) {
                    closing.await();
                    return;
                }
                if (o.status() < 0) throw new IOException("dropped on purpose"); // the server closes the connection
                o.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                ex.sendResponseHeaders(o.status(), o.body().length);
                try (OutputStream out = ex.getResponseBody()) {
                    writeBody(out, o);
                }
            });
        } finally {
            ex.close();
        }
    }

    // --- wire 2: HTTP/1.0 on a raw socket, the connection closed after every reply --------------

    /**
     * One connection of a server that speaks HTTP/1.0, as some proxies and gateways do: it reads one
     * request, answers {@code HTTP/1.0} with a Content-Length and no {@code Connection} header (in
     * HTTP/1.0 a connection is not persistent unless it says keep-alive), and closes the socket.
     */
    private void http10(Socket socket) {
        try (socket) {
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            Incoming req = readRequest(in);
            if (req == null) return;
            OutputStream out = socket.getOutputStream();
            serve(req, o -> {
                if (o.hang()) {
                    closing.await();
                    return;
                }
                if (o.status() < 0) return; // closed with no answer
                StringBuilder head = new StringBuilder("HTTP/1.0 ").append(o.status()).append(' ')
                        .append(reason(o.status())).append("\r\n");
                o.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
                head.append("Content-Length: ").append(o.body().length).append("\r\n\r\n");
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                writeBody(out, o);
                out.flush();
            });
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    /** A request line, headers and a Content-Length or chunked body; null when the client closed first. */
    private static Incoming readRequest(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null || line.isEmpty()) return null;
        String[] start = line.split(" ");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) headers.computeIfAbsent(h.substring(0, colon).strip(), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).strip());
        }
        byte[] body = new byte[0];
        String length = first(headers, "content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (int n = Integer.parseInt(readLine(in).strip(), 16); n > 0; n = Integer.parseInt(readLine(in).strip(), 16)) {
                all.write(in.readNBytes(n));
                readLine(in);
            }
            readLine(in);
            body = all.toByteArray();
        }
        String target = start.length > 1 ? start[1] : "/";
        int q = target.indexOf('?');
        return new Incoming(start[0], q < 0 ? target : target.substring(0, q), headers, body);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
        }
        return null;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') return b.toString().endsWith("\r") ? b.substring(0, b.length() - 1) : b.toString();
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 301 -> "Moved Permanently";
            case 307 -> "Temporary Redirect";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 529 -> "Overloaded";
            default -> "Status";
        };
    }

    @Override
    public void close() {
        closing.countDown();
        if (server != null) server.stop(0);
        if (rawServer != null) {
            try {
                rawServer.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        pool.shutdownNow();
    }
}
