package dev.imagevision.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagevision.curation.CurationStore;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.site.Site;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The review server over real HTTP: what it serves, and every write it must refuse without touching the file. */
class ReviewServerTest {
    static final String TOKEN = "feedfacefeedfacefeedfacefeedface";

    @TempDir
    Path dir;
    Site site;
    Path curation;
    ReviewServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        site = FixtureSite.create(dir);
        // a manifest written directly: these tests are about HTTP, not scoring
        Map<String, ManifestEntry> entries = new TreeMap<>();
        for (var s : site.sources()) {
            entries.put(s.path(), new ManifestEntry(7, "A frame", "spacecraft", new FocalPoint(0.5, 0.5),
                    new SubjectBox(0.3, 0.3, 0.4, 0.4), true, null, Map.of("1x1", s.image().variantPath("1x1")), null, null,
                    false, new ManifestEntry.Selection(s.image().group(), "none", null), "local", "imagevision-local",
                    "2026-08-01T10:00:00.000Z", 0.0));
        }
        ManifestFile.write(site.file(site.config().paths().manifest()),
                new Manifest(1, "2026-08-01T10:00:00.000Z", "local", "imagevision-local", "local-1", entries));
        curation = site.file(site.config().paths().curation());
        Files.createDirectories(curation.getParent());
        Files.writeString(curation, "{\n  \"version\": \"1.0\",\n  \"entries\": []\n}\n");
        server = ReviewServer.start(site, CurationStore.of(site, FixtureSite.CLOCK), TOKEN,
                new PrintStream(OutputStream.nullOutputStream()), 0, dev.imagevision.testing.Runs.CODEC);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String origin() {
        return "http://127.0.0.1:" + server.uri().getPort();
    }

    private HttpResponse<String> post(String action, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve("/api/" + action))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> good() {
        return Map.of("X-Imagevision-Token", TOKEN, "Origin", origin(), "Content-Type", "application/json");
    }

    private static String flagBody(String path) {
        return "{\"path\":\"" + path + "\",\"reason\":\"wrong rover\"}";
    }

    private void assertRefused(HttpResponse<String> r, int status, String message) throws IOException {
        byte[] before = Files.readAllBytes(curation);
        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.get("error").asText()).contains(message);
        assertThat(Files.readAllBytes(curation)).isEqualTo(before);
        assertThat(Files.readString(curation)).doesNotContain("wrong rover");
    }

    @Test
    void servesTheReportWithTheTokenOnLoopbackOnly() throws Exception {
        assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.uri()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("content-security-policy")).hasValue("frame-ancestors 'none'");
        assertThat(page.body()).contains("\"token\":\"" + TOKEN + "\"").contains("connect-src &#39;self&#39;");
        // nothing listens on the machine's other addresses
        InetAddress lan = InetAddress.getLocalHost();
        if (!lan.isLoopbackAddress()) {
            try (Socket s = new Socket()) {
                s.connect(new java.net.InetSocketAddress(lan, server.uri().getPort()), 2000);
                throw new AssertionError("the review server answered on " + lan);
            } catch (IOException expected) {
                // refused: loopback only
            }
        }
    }

    @Test
    void aGoodFlagIsWritten() throws Exception {
        HttpResponse<String> r = post("flag", flagBody(FixtureSite.RS25), good());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(r.body()).get("flagged").asBoolean()).isTrue();
        assertThat(Files.readString(curation)).contains("\"path\": \"" + FixtureSite.RS25 + "\"", "\"reason\": \"wrong rover\"",
                "\"flaggedAt\": \"2026-08-01T10:00:00.000Z\"");
    }

    @Test
    void aMissingOrWrongTokenIsRefused() throws Exception {
        assertRefused(post("flag", flagBody(FixtureSite.RS25), Map.of("Origin", origin(), "Content-Type", "application/json")),
                403, "token");
        assertRefused(post("flag", flagBody(FixtureSite.RS25), Map.of("X-Imagevision-Token", TOKEN.replace('f', 'e'),
                "Origin", origin(), "Content-Type", "application/json")), 403, "token");
    }

    @Test
    void aForeignOrMissingOriginIsRefused() throws Exception {
        assertRefused(post("flag", flagBody(FixtureSite.RS25), Map.of("X-Imagevision-Token", TOKEN,
                "Origin", "http://evil.example", "Content-Type", "application/json")), 403, "Origin");
        assertRefused(post("flag", flagBody(FixtureSite.RS25), Map.of("X-Imagevision-Token", TOKEN,
                "Content-Type", "application/json")), 403, "Origin");
        assertRefused(post("flag", flagBody(FixtureSite.RS25), Map.of("X-Imagevision-Token", TOKEN,
                "Origin", origin(), "Sec-Fetch-Site", "cross-site", "Content-Type", "application/json")), 403, "cross-site");
    }

    @Test
    void aFormPostIsRefused() throws Exception {
        assertRefused(post("flag", "path=" + FixtureSite.RS25 + "&reason=x", Map.of("X-Imagevision-Token", TOKEN,
                "Origin", origin(), "Content-Type", "application/x-www-form-urlencoded")), 415, "JSON");
    }

    @Test
    void anUnknownPathIsRefused() throws Exception {
        assertRefused(post("flag", flagBody("/images/missions/nowhere/01.jpg"), good()), 404, "unknown image path");
        assertRefused(post("flag", flagBody("/images/../../etc/passwd"), good()), 404, "unknown image path");
        assertRefused(post("flag", flagBody(""), good()), 400, "path is empty");
    }

    @Test
    void anOversizedBodyIsRefused() throws Exception {
        String huge = "{\"path\":\"" + FixtureSite.RS25 + "\",\"reason\":\"" + "x".repeat(ReviewServer.MAX_BODY) + "\"}";
        assertRefused(post("flag", huge, good()), 413, "over");
    }

    @Test
    void malformedBodiesAreRefused() throws Exception {
        assertRefused(post("flag", "{\"path\":", good()), 400, "malformed JSON");
        assertRefused(post("flag", "[1,2]", good()), 400, "JSON object");
        assertRefused(post("flag", "{\"path\":\"" + FixtureSite.RS25 + "\"}", good()), 400, "\"reason\" is missing");
        assertRefused(post("flag", "{\"path\":\"" + FixtureSite.RS25 + "\",\"reason\":\"   \"}", good()), 400, "reason is empty");
        assertRefused(post("override", "{\"path\":\"" + FixtureSite.RS25 + "\",\"focal_point\":{\"x\":1.5,\"y\":0}}", good()),
                400, "from 0 to 1");
        assertRefused(post("override", "{\"path\":\"" + FixtureSite.RS25 + "\",\"subject_box\":{\"x\":0.5,\"y\":0,\"w\":0.9,\"h\":0.2}}",
                good()), 400, "inside the image");
        assertRefused(post("delete-everything", flagBody(FixtureSite.RS25), good()), 404, "unknown action");
    }

    @Test
    void anOverrideIsSavedAndAnswersWithPreviewWindows() throws Exception {
        HttpResponse<String> r = post("override", "{\"path\":\"" + FixtureSite.RS25
                + "\",\"focal_point\":{\"x\":0.1,\"y\":0.2},\"subject_box\":{\"x\":0.05,\"y\":0.1,\"w\":0.2,\"h\":0.3}}", good());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.get("pending").asBoolean()).isTrue();
        assertThat(body.get("crop_windows").get("1x1").get("x").asDouble()).isEqualTo(0.0);
        String file = Files.readString(curation);
        assertThat(file).contains("\"focal_point\": {\n        \"x\": 0.1,\n        \"y\": 0.2\n      }");
    }

    @Test
    void getIsTheOnlyWayToReadAndOnlyTheSitesImagesAreServed() throws Exception {
        assertThat(get("/original" + ReviewServer.encodePath(FixtureSite.RS25)).statusCode()).isEqualTo(200);
        assertThat(get("/original" + ReviewServer.encodePath(FixtureSite.CREW_ODD)).statusCode()).isEqualTo(200);
        assertThat(get("/original/images/../data/image-curation.json").statusCode()).isEqualTo(404);
        assertThat(get("/original/images/missions/artemis3/%2e%2e/%2e%2e/data/image-provenance.json").statusCode()).isEqualTo(404);
        assertThat(get("/original/data/image-provenance.json").statusCode()).isEqualTo(404);
        assertThat(get("/static/data/image-curation.json").statusCode()).isEqualTo(404);
        assertThat(get("/imagevision.json").statusCode()).isEqualTo(404);
        assertThat(get("/api/flag").statusCode()).isEqualTo(405);
        // a symlink named like a site image but pointing outside is not followed
        Path secret = dir.resolve("secret.jpg");
        Files.copy(site.root().resolveImage(FixtureSite.RS25), secret);
        Path rs25 = site.root().resolveImage(FixtureSite.RS25);
        Files.delete(rs25);
        Files.createSymbolicLink(rs25, secret);
        assertThat(get("/original" + FixtureSite.RS25).statusCode()).isEqualTo(404);
    }

    /** The manifest is read once per change, not per request, and every change counts from the next request on. */
    @Test
    void aVariantIsServedFromTheManifestWriteThatNamesItUntilTheOneThatDropsIt() throws Exception {
        String variant = "/images/fleet-galleries/rs-25/01.16x9.jpg";
        Files.copy(site.root().resolveImage(FixtureSite.RS25), site.root().resolveImage(variant));
        Path manifestFile = site.file(site.config().paths().manifest());
        Manifest named = ManifestFile.read(manifestFile);
        assertThat(get("/original" + variant).statusCode()).isEqualTo(404);
        Map<String, ManifestEntry> entries = new TreeMap<>(named.entries());
        ManifestEntry any = entries.get(FixtureSite.RS25);
        entries.put(FixtureSite.RS25, new ManifestEntry(any.score(), any.subject(), any.category(), any.focalPoint(),
                any.subjectBox(), any.subjectMatch(), any.rejectReason(), Map.of("16x9", variant), any.cropWindows(),
                any.rejectedBy(), any.fallback(), any.selection(), any.provider(), any.model(), any.scoredAt(),
                any.scoringCostUsd()));
        ManifestFile.write(manifestFile, new Manifest(1, "2026-08-01T10:00:00.000Z", "local", "imagevision-local", "local-1", entries));
        assertThat(get("/original" + variant).statusCode()).isEqualTo(200);
        ManifestFile.write(manifestFile, named);
        assertThat(get("/original" + variant).statusCode()).isEqualTo(404);
    }

    /**
     * Traversal in every spelling, sent byte for byte over a socket (an HTTP client would tidy some
     * of them): a JPEG outside the site that any of them reached would be served with 200.
     */
    @Test
    void noSpellingOfTraversalReachesAFileOutsideTheSite() throws Exception {
        Path outside = dir.resolve("outside.jpg");
        Files.copy(site.root().resolveImage(FixtureSite.RS25), outside);
        Path siteRoot = site.root().root();
        String rel = siteRoot.relativize(outside).toString(); // "../outside.jpg" from the site root
        // a manifest naming escaping "variants": they count as known paths, so resolution must refuse them
        Map<String, ManifestEntry> entries = new TreeMap<>(ManifestFile.read(site.file(site.config().paths().manifest())).entries());
        ManifestEntry any = entries.get(FixtureSite.RS25);
        entries.put(FixtureSite.RS25, new ManifestEntry(any.score(), any.subject(), any.category(), any.focalPoint(),
                any.subjectBox(), any.subjectMatch(), any.rejectReason(), Map.of("1x1", "/images/../../" + rel,
                "4x3", "/../../" + rel, "16x9", outside.toString()), any.cropWindows(), any.rejectedBy(), any.fallback(),
                any.selection(), any.provider(), any.model(), any.scoredAt(), any.scoringCostUsd()));
        ManifestFile.write(site.file(site.config().paths().manifest()), new Manifest(1, "2026-08-01T10:00:00.000Z", "local",
                "imagevision-local", "local-1", entries));
        String[] attempts = {
                "/original/images/../../" + rel,
                "/original/../../" + rel,
                "/original/images/%2e%2e/%2e%2e/" + rel,
                "/original/images/%2E%2E%2F%2E%2E%2F" + rel,
                "/original/images/..%2f..%2f" + rel,
                "/original/images/%252e%252e/%252e%252e/" + rel,
                "/original/images\\..\\..\\" + rel.replace('/', '\\'),
                "/original/images%5c..%5c..%5c" + rel,
                "/original/" + outside,
                "/original/%2F" + outside.toString().substring(1).replace("/", "%2F"),
                "/original//" + outside,
                "/original/images/missions/artemis3/02.jpg%00/../../../" + rel,
                "/original/images/missions/artemis3/02.jpg/../../../../" + rel,
                "/../" + rel,
                "/%2e%2e/" + rel,
                "/original/file:" + outside,
        };
        for (String attempt : attempts) {
            String status = rawGet(attempt);
            assertThat(status).as(attempt).startsWith("HTTP/1.1 4").doesNotStartWith("HTTP/1.1 200");
        }
        // the escaping variant paths from the manifest, asked for exactly as written
        for (String v : List.of("/images/../../" + rel, "/../../" + rel, outside.toString())) {
            assertThat(get("/original" + ReviewServer.encodePath(v)).statusCode()).as(v).isEqualTo(404);
        }
        assertThat(get("/original" + ReviewServer.encodePath(FixtureSite.RS25)).statusCode()).isEqualTo(200);
    }

    private String rawGet(String rawPath) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.uri().getPort())) {
            s.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.uri().getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.isEmpty() ? "HTTP/1.1 400 (closed)" : answer.lines().findFirst().orElse("");
        }
    }

    private HttpResponse<String> get(String rawPath) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(origin() + rawPath)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aForeignHostHeaderIsRefused_soARebindingPageCannotReadTheToken() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.uri().getPort())) {
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: evil.example:" + server.uri().getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 403").doesNotContain(TOKEN);
        }
    }

    /** Clients that connect and then stall, each in a way a slowloris, a crashed tab or a buggy script would. */
    static List<Socket> stuckClients(int port, int each) throws IOException {
        String host = "Host: 127.0.0.1:" + port + "\r\n";
        List<String> halves = List.of(
                "GET / HT",                                                        // half a request line
                "GET / HTTP/1.1\r\n" + host + "X-Slow: ",                          // headers that never end
                "POST /api/flag HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n"
                        + "Content-Length: 900\r\n\r\n{\"path\": \"/im",               // a body that never comes
                "");                                                                // connected, nothing sent
        List<Socket> stuck = new java.util.ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (String half : halves) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stuck.add(s);
            }
        }
        return stuck;
    }

    @Test
    void slowHalfOpenAndIdleClientsNeverHoldUpAnAnswerToSomeoneElse() throws Exception {
        int port = server.uri().getPort();
        // keep-alive connections left idle after a complete exchange
        List<Socket> stuck = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("HEAD / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            stuck.add(s);
        }
        stuck.addAll(stuckClients(port, 8));
        // headers far over any browser's, sent by a thread of their own: the server may stop reading them
        Socket huge = new Socket(InetAddress.getLoopbackAddress(), port);
        stuck.add(huge);
        Thread.ofVirtual().start(() -> {
            try {
                huge.getOutputStream().write(("GET / HTTP/1.1\r\nX-Huge: " + "a".repeat(4 << 20)).getBytes(StandardCharsets.US_ASCII));
            } catch (IOException refused) {
                // the server closed it: that is one right answer
            }
        });
        try {
            HttpClient fresh = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
            for (String path : List.of("/", "/original" + ReviewServer.encodePath(FixtureSite.RS25))) {
                HttpResponse<byte[]> r = fresh.send(HttpRequest.newBuilder(URI.create(origin() + path))
                        .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).as(path + " answered beside %d stuck clients", stuck.size()).isEqualTo(200);
            }
            HttpResponse<String> flag = post("flag", "{\"path\": \"" + FixtureSite.RS25 + "\", \"reason\": \"Blurry\"}",
                    Map.of("Content-Type", "application/json", "X-Imagevision-Token", TOKEN, "Origin", origin()));
            assertThat(flag.statusCode()).as(flag.body()).isEqualTo(200);
        } finally {
            for (Socket s : stuck) s.close();
        }
    }

    @Test
    void theClientLimitsAreTheJdkServersOwnSettings() {
        // 20,000 descriptors with 90 open, a 6 GiB heap: the heap decides (a quarter of it over 272 KiB a connection)
        var capacity = new ReviewServer.Limits.Capacity(20_000, 90, 6L << 30);
        var limits = ReviewServer.Limits.of(java.time.Duration.ofSeconds(10), capacity);
        assertThat(limits.jdkProperties()).containsEntry("sun.net.httpserver.maxReqTime", "10")
                .containsEntry("sun.net.httpserver.idleInterval", "30")
                .containsEntry("sun.net.httpserver.maxRspTime", "300")
                .containsEntry("sun.net.httpserver.maxReqHeaderSize", "65536")
                .containsEntry("jdk.httpserver.maxConnections", "5782");
        // 1,024 descriptors: the files decide, with room kept for the server's own
        assertThat(ReviewServer.Limits.of(java.time.Duration.ofSeconds(10), new ReviewServer.Limits.Capacity(1024, 90, 6L << 30))
                .maxConnections()).isEqualTo((1024 - 90 - 256) / 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReviewServer.Limits.of(java.time.Duration.ZERO, capacity))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
