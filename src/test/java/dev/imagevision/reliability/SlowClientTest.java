package dev.imagevision.reliability;

import dev.imagevision.testing.Cli;
import dev.imagevision.testing.SampleSite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code imagevision review} as a real process with a one-second client timeout: connections that
 * stall mid-request (half a request line, headers that never end, a body that never comes, nothing
 * at all) are closed by the server within a couple of seconds, and a normal request beside them is
 * answered at once.
 */
@Tag("reliability")
class SlowClientTest {

    static List<Socket> stall(int port, int each) throws IOException {
        String host = "Host: 127.0.0.1:" + port + "\r\n";
        List<String> halves = List.of(
                "GET / HT",
                "GET / HTTP/1.1\r\n" + host + "X-Slow: ",
                "POST /api/flag HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: 900\r\n\r\n{\"pa",
                "");
        List<Socket> stuck = new ArrayList<>();
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

    /** True when the server closed the connection (end of stream or a reset) before {@code within}. */
    static boolean closedByServer(Socket s, Duration within) throws IOException {
        s.setSoTimeout((int) within.toMillis());
        try {
            while (s.getInputStream().read() != -1) {
                // an error page before the close is fine
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    @Test
    void stalledClientsAreCutOffAfterTheClientTimeoutWhileOthersAreServedAtOnce(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Process p = Cli.command(site, Map.of(), "review", "--root", ".", "--client-timeout", "1")
                .redirectError(dir.resolve("review.log").toFile()).start();
        List<Socket> stuck = List.of();
        try {
            String url = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(url).as("the URL review printed").isNotNull().startsWith("http://127.0.0.1:");
            int port = URI.create(url).getPort();
            stuck = stall(port, 3);

            HttpResponse<String> page = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("the page, beside %d stalled connections", stuck.size()).isEqualTo(200);

            long t0 = System.nanoTime();
            for (Socket s : stuck) {
                assertThat(closedByServer(s, Duration.ofSeconds(15))).as("a stalled connection is closed by the server").isTrue();
            }
            System.out.printf("review: %d stalled connections closed %d ms after the page was served (client timeout 1 s)%n",
                    stuck.size(), (System.nanoTime() - t0) / 1_000_000);
        } finally {
            for (Socket s : stuck) s.close();
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
