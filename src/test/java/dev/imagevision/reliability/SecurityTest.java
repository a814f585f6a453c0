package dev.imagevision.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cli.Main;
import dev.imagevision.curation.CurationStore;
import dev.imagevision.pipeline.TestSite;
import dev.imagevision.report.ReviewServer;
import dev.imagevision.site.Site;
import dev.imagevision.testing.Cli;
import dev.imagevision.testing.Runs;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key never leaks, and hostile text never acts: the real command in its own JVM against the
 * fake Anthropic API, with a key the API echoes back whole, without its prefix and cut short, and
 * with model and provenance text built to break out of HTML, JSON and the terminal.
 */
@Tag("reliability")
class SecurityTest {
    static final String KEY = "sk-ant-api03-HOSTILEq7Wz2Kp9Lm4Rt8Yb3Nc6Vd1Xs5Fg0Ju-QQ";
    static final String SECRET = KEY.substring("sk-ant-api03-".length());
    /** Text from a model or a provenance file that tries every way out. */
    static final String HOSTILE = "<script>alert(1)</script> \"'><img src=x onerror=alert(2)> \u001b[2J\u001b]0;pwned\u0007\r"
            + "\u202egnp.exe\u202c \u2066isolate\u2069 line\u2028break";
    static final String HOSTILE_FILE = "/images/missions/juice/x\"'><img src=x onerror=alert(3)>\u001b[31m\u202egpj.jpg";
    static final String HOSTILE_MISSING = "/images/missions/juice/<script>alert(5)<\u001b[2J\u202e.jpg";

    record Run(int code, String out, String err) {}

    static Run cli(Path root, Path logs, String name, Map<String, String> env, String... args) throws Exception {
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        Process p = Cli.command(root, env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = p.waitFor();
        return new Run(code, Files.readString(out), Files.readString(err));
    }

    @Test
    void theKeyLeaksNowhereAndHostileTextIsShownButNeverActs(@TempDir Path dir) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path root = site(dir.resolve("site"));
        try (FakeAnthropic api = new FakeAnthropic()) {
            ObjectNode hostileReply = FakeAnthropic.goodInput().put("subject", HOSTILE);
            api.fallback(body -> api.ok(hostileReply, 1500, 120));
            Map<String, String> env = Map.of("ANTHROPIC_API_KEY", KEY, "ANTHROPIC_BASE_URL", api.baseUrl());

            // a paid run whose model text is hostile
            Run ok = cli(root, logs, "ok", env, "score", "--root", ".", "--all", "--json");
            assertThat(ok.code()).as(ok.err()).isEqualTo(Main.OK);
            JsonNode summary = FakeAnthropic.JSON.readTree(ok.out());
            assertThat(summary.get("scored").asInt()).isEqualTo(4);
            assertThat(api.messageRequests()).allSatisfy(r -> assertThat(r.apiKey()).isEqualTo(KEY));
            // --json keeps the hostile path exactly, as escapes
            assertThat(summary.get("problems").findValuesAsText("path")).contains(HOSTILE_MISSING);

            // in one run (one call at a time): an error echoing the key without its prefix, a server error
            // echoing a slice of it retried to the end, then a rejection quoting the whole key
            String slice = SECRET.substring(5, 22);
            api.then(FakeAnthropic.error(400, "invalid_request_error", "Could not process image sent with key " + SECRET),
                    FakeAnthropic.error(500, "api_error", "upstream said " + slice, "retry-after", "0"),
                    FakeAnthropic.error(500, "api_error", "upstream said " + slice, "retry-after", "0"),
                    FakeAnthropic.error(500, "api_error", "upstream said " + slice, "retry-after", "0"),
                    FakeAnthropic.error(401, "authentication_error", "invalid x-api-key: " + KEY));
            Run failing = cli(root, logs, "failing", env, "score", "--root", ".", "--all", "--force-score", "--json", "--verbose");
            assertThat(failing.code()).as(failing.err()).isEqualTo(Main.OK);
            assertThat(FakeAnthropic.JSON.readTree(failing.out()).get("failed").asInt()).isGreaterThanOrEqualTo(4);
            assertThat(failing.err()).contains("[redacted]").contains("ANTHROPIC_API_KEY missing or rejected");
            assertThat(api.messageRequests().stream().filter(r -> r.apiKey().equals(KEY)).count()).isEqualTo(4 + 5);

            // the offline provider with the key in the environment, and a dry run
            Run local = cli(root, logs, "local", env, "score", "--root", ".", "--all", "--provider", "local", "--json", "--verbose");
            assertThat(local.code()).as(local.err()).isEqualTo(Main.OK);
        }

        // the editor's reasons are hostile too: a flag through the command, and a hand edit with control characters
        StringWriter flagOut = new StringWriter();
        StringWriter flagErr = new StringWriter();
        int flagged = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(flagOut), new PrintWriter(flagErr),
                "flag", "--root", root.toString(), "/images/missions/juice/01.jpg", "--reason", "<script>alert(4)</script> \u202eevil");
        assertThat(flagged).as(flagErr.toString()).isZero();
        Path curation = root.resolve("static/data/image-curation.json");
        Files.writeString(curation, Files.readString(curation).replace("\"entries\": [",
                "\"entries\": [\n    {\"path\": \"/images/missions/juice/02.jpg\", \"reason\": \"" + json(HOSTILE) + "\", "
                        + "\"flaggedAt\": \"2026-10-02T00:00:00.000Z\"},"));
        StringWriter listOut = new StringWriter();
        StringWriter listErr = new StringWriter();
        assertThat(Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(listOut), new PrintWriter(listErr),
                "flag", "--root", root.toString(), "--list")).isZero();
        assertThat(listOut.toString()).contains("<script>alert(4)</script>"); // shown as typed, but inert on a terminal
        StringWriter reportOut = new StringWriter();
        StringWriter reportErr = new StringWriter();
        assertThat(Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(reportOut), new PrintWriter(reportErr),
                "report", "--root", root.toString())).as(reportErr.toString()).isZero();
        StringWriter validateOut = new StringWriter();
        StringWriter validateErr = new StringWriter();
        assertThat(Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(validateOut), new PrintWriter(validateErr),
                "validate", "--root", root.toString(), "--json")).as(validateErr.toString()).isIn(Main.OK, Main.BAD_INPUT);

        // ---- the key: in no file the runs produced, no output, not even a 12-character piece of it
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Files.walk(root), Files.walk(logs))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (leaks(text)) leaks.add(dir.relativize(f).toString());
            }
        }
        for (String text : List.of(flagOut.toString(), flagErr.toString(), listOut.toString(), listErr.toString(),
                reportOut.toString(), reportErr.toString(), validateOut.toString(), validateErr.toString())) {
            if (leaks(text)) leaks.add("in-process output");
        }
        assertThat(leaks).as("files or outputs holding the key or 12+ characters of it").isEmpty();

        // ---- terminal output: nothing that a terminal would act on
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.toList()) assertTerminalSafe(f.getFileName().toString(), Files.readString(f));
        }
        assertTerminalSafe("flag", flagErr.toString() + flagOut);
        assertTerminalSafe("flag --list", listOut.toString() + listErr);
        assertTerminalSafe("report", reportOut.toString() + reportErr);
        assertTerminalSafe("validate", validateOut.toString() + validateErr);

        // ---- the audit report and the review page: the text is there, escaped, and cannot act
        String report = Files.readString(root.resolve("static/data/audit-report.html"));
        assertHtmlSafe("audit report", report);
        Site site = Site.load(root);
        try (ReviewServer server = ReviewServer.start(site, CurationStore.of(site, Runs.CLOCK), "feedfacefeedfacefeedface",
                new PrintStream(OutputStream.nullOutputStream()), 0, dev.imagevision.testing.Runs.CODEC)) {
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.uri().getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertHtmlSafe("review page", page.body());
        }
    }

    static boolean leaks(String text) {
        if (text.contains(KEY)) return true;
        for (int i = 0; i + 12 <= SECRET.length(); i++) if (text.contains(SECRET.substring(i, i + 12))) return true;
        return false;
    }

    static void assertTerminalSafe(String what, String text) {
        List<String> found = new ArrayList<>();
        text.codePoints().forEach(c -> {
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F || (c >= 0x80 && c < 0xA0);
            boolean bidi = c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
            if (control || bidi || c == 0x2028 || c == 0x2029) found.add(String.format("U+%04X", c));
        });
        assertThat(found).as(what + " holds characters a terminal acts on").isEmpty();
    }

    static void assertHtmlSafe(String what, String html) {
        assertThat(html).as(what).doesNotContain("<script>alert(").doesNotContain("<img src=x onerror")
                .doesNotContain("onerror=alert(3)>").doesNotContain("\u001b").doesNotContain("\u202e").doesNotContain("\u2066");
        // shown, escaped, in markup or in the page's data
        assertThat(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("\\u003cscript\\u003ealert(1)"))
                .as(what + " shows the subject escaped").isTrue();
        assertThat(html.contains("&lt;script&gt;alert(4)") || html.contains("\\u003cscript\\u003ealert(4)"))
                .as(what + " shows the flag reason escaped").isTrue();
    }

    static String json(String s) throws Exception {
        String quoted = FakeAnthropic.JSON.writeValueAsString(s);
        return quoted.substring(1, quoted.length() - 1);
    }

    /** Three generated images, one more under a hostile name, and a row whose hostile path has no file. */
    static Path site(Path root) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("provider", "anthropic");
        config.put("concurrency", 1);
        TestSite site = new TestSite(root).images("juice", 3).write(config);
        Path from = site.root.resolve("static" + site.paths().get(0));
        Files.copy(from, site.root.resolve("static" + HOSTILE_FILE));
        Path prov = root.resolve("static/data/image-provenance.json");
        ObjectNode tree = (ObjectNode) FakeAnthropic.JSON.readTree(prov.toFile());
        ArrayNode entries = (ArrayNode) tree.get("entries");
        for (String path : List.of(HOSTILE_FILE, HOSTILE_MISSING)) {
            entries.addObject().put("id", "hostile").put("path", path).put("source_type", "test").put("agency", HOSTILE)
                    .put("title", HOSTILE).put("credit", HOSTILE).put("license_short", "CC0-1.0");
        }
        ((ObjectNode) entries.get(1)).put("title", HOSTILE).put("credit", HOSTILE);
        FakeAnthropic.JSON.writeValue(prov.toFile(), tree);
        return root;
    }
}
