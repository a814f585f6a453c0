package dev.imagevision.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.imagevision.cli.Main;

/**
 * A misbehaving stand-in for the Messages API on 127.0.0.1: the answer to each request is chosen by a
 * function of (method, path, request number), and every request is counted. Plus a small site built
 * from the bundled sample images, with the key and base URL in its .env.local.
 */
public final class HostileApi implements AutoCloseable {
    public record Reply(int status, String body, long delayMillis) {
        public static Reply json(String body) {
            return new Reply(200, body, 0);
        }
    }

    public record Request(String method, String path, int number) {}

    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger counter = new AtomicInteger();
    private final HttpServer server;

    public HostileApi(Function<Request, Reply> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ex -> handle(ex, answer));
        server.start();
    }

    private void handle(HttpExchange ex, Function<Request, Reply> answer) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
            Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), counter.incrementAndGet());
            requests.add(r);
            Reply reply = answer.apply(r);
            if (reply.delayMillis() > 0) {
                try {
                    Thread.sleep(reply.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] b = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(reply.status(), b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public long messageCalls() {
        return requests.stream().filter(r -> r.method().equals("POST") && r.path().equals("/v1/messages")).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A well-formed judgement reply, its own message id per request number. */
    public static String judgement(int n) {
        return """
                {"id":"msg_hostile_%06d","type":"message","role":"assistant","model":"claude-sonnet-4-6",
                 "content":[{"type":"tool_use","id":"toolu_%06d","name":"record_judgement","input":{
                   "score":7,"subject":"A spacecraft against black space.","category":"spacecraft",
                   "focal_point":{"x":0.5,"y":0.5},"subject_box":{"x":0.25,"y":0.25,"w":0.5,"h":0.5},
                   "subject_match":true,"reject_reason":null}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":1500,"output_tokens":160,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}
                """.formatted(n, n);
    }

    /** A well-formed judgement reply that names {@code model} and claims {@code outputTokens} of output. */
    public static String judgement(int n, String model, long outputTokens) {
        return judgement(n).replace("\"model\":\"claude-sonnet-4-6\"", "\"model\":\"" + model + "\"")
                .replace("\"output_tokens\":160", "\"output_tokens\":" + outputTokens);
    }

    public static final String ERROR_UNDER_200 = "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}";

    /** The bundled sample site's first {@code images} missions images, with a key and this API's address. */
    public static Path site(Path dir, int images, String config, String baseUrl) throws IOException {
        Path sample = Path.of("sample-site").toAbsolutePath();
        String[] paths = {
                "/images/missions/crs-21/01.jpg", "/images/missions/crs-21/02.jpg", "/images/missions/crs-21/03.jpg",
                "/images/missions/crs-21/04.jpg", "/images/missions/crs-21/05.jpg", "/images/missions/crs-21/06.jpg",
                "/images/missions/crew-4/01.jpg", "/images/missions/crew-4/02.jpg", "/images/missions/crew-4/03.jpg",
                "/images/missions/hubble/01.jpg"};
        StringBuilder prov = new StringBuilder("{\"entries\": [");
        for (int i = 0; i < images; i++) {
            Path target = dir.resolve("static" + paths[i]);
            Files.createDirectories(target.getParent());
            Files.copy(sample.resolve("static" + paths[i]), target);
            prov.append(i == 0 ? "" : ",").append("{\"path\": \"").append(paths[i]).append("\"}");
        }
        prov.append("]}");
        Files.createDirectories(dir.resolve("static/data"));
        Files.writeString(dir.resolve("static/data/image-provenance.json"), prov);
        Files.writeString(dir.resolve("imagevision.json"), config);
        Files.writeString(dir.resolve(".env.local"), "ANTHROPIC_API_KEY=sk-ant-hostile\nANTHROPIC_BASE_URL=" + baseUrl + "\n");
        return dir;
    }

    public record Run(int exit, String out, String err) {}

    public static Run score(Path site, String... more) {
        List<String> args = new ArrayList<>(List.of("score", "--root", site.toString(), "--json"));
        args.addAll(List.of(more));
        return main(args);
    }

    public static Run validate(Path site) {
        return main(new ArrayList<>(List.of("validate", "--root", site.toString())));
    }

    /** The site's journal with every kept judgement's {@code field} of the first kept line set to {@code value}. */
    public static void editFirstKept(Path site, String field, String value) throws IOException {
        Path journal = site.resolve(".image-cache/ledger-journal.jsonl");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        StringBuilder out = new StringBuilder();
        boolean done = false;
        for (String line : Files.readAllLines(journal)) {
            if (line.isBlank()) continue;
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(line);
            if (!done && node.has("kept_judgement")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("kept_judgement")).put(field, value);
                done = true;
            }
            out.append(mapper.writeValueAsString(node)).append('\n');
        }
        if (!done) throw new IllegalStateException("no kept judgement in " + journal);
        Files.writeString(journal, out);
    }

    private static Run main(List<String> args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.run(InputStream.nullInputStream(), new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
