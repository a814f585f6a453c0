package dev.imagevision.redteam2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
        String java = ProcessHandle.current().info().command().orElse("java");
        Process review = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.imagevision.cli.Main", "review", "--root", site.toString(), "--port", "0", "--client-timeout", "30")
                .redirectErrorStream(true).start();
        List<Socket> idle = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(review.getInputStream(), StandardCharsets.UTF_8));
            Pattern url = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/)");
            String base = null;
            for (String line; base == null && (line = out.readLine()) != null; ) {
                Matcher m = url.matcher(line);
                if (m.find()) base = m.group(1);
            }
            URI uri = URI.create(base);
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
}
