package dev.imagevision.redteam2;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A slow or stuck client never holds up another": 300 connections that send nothing (or a header a second)
 * take every one of the review server's 256 connection slots, and the editor's own page load is reset until
 * --client-timeout closes them (and again whenever they reconnect). The review server runs as its own process
 * because its limits are JDK properties read once per process.
 */
@Tag("reliability")
class ReviewConnectionFloodTest {
    @Test
    void thePageStillLoadsWhileIdleConnectionsAreOpen(@TempDir Path dir) throws Exception {
        Path site = HostileApi.site(dir, 1, "{\"provider\": \"local\"}", "http://127.0.0.1:9");
        Process review = startReview(site);
        List<Socket> idle = new ArrayList<>();
        try {
            URI uri = printedUri(review);
            for (int i = 0; i < 300; i++) idle.add(new Socket(uri.getHost(), uri.getPort()));

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> page;
            try {
                page = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                fail("the editor's page load failed while 300 idle connections were open: " + e);
                return;
            }
            assertEquals(200, page.statusCode());
        } finally {
            for (Socket s : idle) s.close();
            review.destroy();
            review.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The same with every way a client can stall mid-request (a slowloris trickles its headers or its body, a
     * crashed tab leaves half a request line), more of them than the server used to hold: the editor still
     * loads the page and saves a flag.
     */
    @Test
    void thePageLoadsAndAFlagIsSavedWhileStalledRequestsOfEveryKindAreOpen(@TempDir Path dir) throws Exception {
        Path site = HostileApi.site(dir, 1, "{\"provider\": \"local\"}", "http://127.0.0.1:9");
        Process review = startReview(site);
        List<Socket> stalled = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            URI uri = printedUri(review);
            String host = "Host: 127.0.0.1:" + uri.getPort() + "\r\n";
            List<String> halves = List.of(
                    "",                                                                   // connected, nothing sent
                    "GET / HT",                                                           // half a request line
                    "GET / HTTP/1.1\r\n" + host + "X-Slow: a\r\nX-Slower: ",             // headers that never end
                    "POST /api/flag HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n"
                            + "Content-Length: 900\r\n\r\n{\"path\": \"/im");                 // a body that never ends
            // opened side by side: one after another, loopback connects here sometimes wait a second for the SYN to be resent
            List<java.util.concurrent.Future<?>> opened = new ArrayList<>();
            try (var opening = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 70; i++) {
                    for (String half : halves) {
                        opened.add(opening.submit(() -> {
                            Socket s = new Socket(uri.getHost(), uri.getPort());
                            stalled.add(s);
                            s.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
                            s.getOutputStream().flush();
                            return null;
                        }));
                    }
                }
            }
            for (var f : opened) f.get(); // a connection refused or reset fails the test here

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            Matcher token = Pattern.compile("\"token\":\"([0-9a-f]+)\"").matcher(page.body());
            assertTrue(token.find(), "the review page carries its write token");
            String origin = "http://127.0.0.1:" + uri.getPort();
            HttpResponse<String> flag = client.send(HttpRequest.newBuilder(uri.resolve("/api/flag"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json").header("Origin", origin)
                    .header("X-Imagevision-Token", token.group(1))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"path\": \"/images/missions/crs-21/01.jpg\", \"reason\": \"Blurry\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, flag.statusCode(), flag.body());
            assertTrue(Files.readString(site.resolve("static/data/image-curation.json")).contains("Blurry"));
        } finally {
            for (Socket s : stalled) s.close();
            review.destroy();
            review.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The review command in a process of its own, with a client timeout far longer than the test. */
    private static Process startReview(Path site) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.imagevision.cli.Main", "review", "--root", site.toString(), "--port", "0", "--client-timeout", "30")
                .redirectErrorStream(true).start();
    }

    /** The URL the review command prints once it listens. */
    private static URI printedUri(Process review) throws java.io.IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(review.getInputStream(), StandardCharsets.UTF_8));
        Pattern url = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/)");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = url.matcher(line);
            if (m.find()) return URI.create(m.group(1));
        }
        throw new AssertionError("the review command ended without printing its URL");
    }
}
