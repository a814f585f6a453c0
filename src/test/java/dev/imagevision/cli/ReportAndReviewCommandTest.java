package dev.imagevision.cli;

import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.pipeline.RunLock;
import dev.imagevision.vision.FocalPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ReportAndReviewCommandTest {
    @TempDir
    Path root;

    /** A two-image site with a manifest, no scoring needed. */
    void site() throws IOException {
        Path img = root.resolve("static/images/missions/spirit");
        Files.createDirectories(img);
        Files.copy(Path.of("sample-site/static/images/missions/artemis3/02.jpg"), img.resolve("01.jpg"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(root.resolve("static/data"));
        Files.writeString(root.resolve("static/data/image-provenance.json"), """
                {"schema_version": 1, "entries": [
                  {"id": "a", "path": "/images/missions/spirit/01.jpg", "license_short": "PD-NASA", "credit": "NASA/JPL"},
                  {"id": "b", "path": "/images/missions/spirit/02.jpg", "license_short": "PD-NASA", "credit": "NASA/JPL"}
                ]}
                """);
        Map<String, ManifestEntry> entries = new TreeMap<>();
        entries.put("/images/missions/spirit/01.jpg", new ManifestEntry(8, "Rover on Mars", "spacecraft",
                new FocalPoint(0.5, 0.5), null, true, null, null, null, null, false,
                new ManifestEntry.Selection("missions/spirit", "hero", 0), "local", "imagevision-local", null, 0.0));
        ManifestFile.write(root.resolve("static/data/image-vision.json"), new Manifest(1, null, "local", "imagevision-local",
                "local-1", entries));
    }

    static CommandLine cli(Writer out, Writer err) {
        CommandLine cli = new CommandLine(new Main());
        Failures.install(cli);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    @Test
    void reportWritesTheSelfContainedPageAndSaysWhere() throws IOException {
        site();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = cli(out, err).execute("report", "--root", root.toString());
        assertThat(code).as(err.toString()).isZero();
        Path report = root.resolve("static/data/audit-report.html");
        assertThat(out.toString().strip()).isEqualTo(report.toAbsolutePath().normalize().toString());
        assertThat(err.toString()).contains("2 images · 1 thumbnail made · 1 without preview");
        String html = Files.readString(report);
        assertThat(html).contains("Rover on Mars").contains("data:image/jpeg;base64,")
                .contains("No preview: image file is missing: static/images/missions/spirit/02.jpg");
        assertThat(root.resolve(".image-cache/thumbs")).isDirectory();

        // a second run makes nothing and rewrites nothing
        long modified = Files.getLastModifiedTime(report).toMillis();
        StringWriter err2 = new StringWriter();
        assertThat(cli(new StringWriter(), err2).execute("report", "--root", root.toString())).isZero();
        assertThat(err2.toString()).contains("0 thumbnails made").contains("unchanged");
        assertThat(Files.getLastModifiedTime(report).toMillis()).isEqualTo(modified);
    }

    @Test
    void reportWaitsForNoRunningScoreButSaysSo() throws IOException {
        site();
        try (RunLock held = RunLock.acquire(root.resolve(".image-cache"))) {
            StringWriter err = new StringWriter();
            assertThat(cli(new StringWriter(), err).execute("report", "--root", root.toString())).isEqualTo(Main.LOCKED);
            assertThat(err.toString()).contains("another imagevision run is working on this site");
        }
    }

    @Test
    void reviewPrintsALoopbackUrlAndServesUntilStopped() throws Exception {
        site();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Writer out = new Writer() {
            final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] buf, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    if (buf[i] == '\n') {
                        lines.add(line.toString());
                        line.setLength(0);
                    } else {
                        line.append(buf[i]);
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        int[] code = {-1};
        Thread t = new Thread(() -> code[0] = cli(out, new StringWriter()).execute("review", "--root", root.toString()));
        t.start();
        try {
            String url = lines.poll(60, TimeUnit.SECONDS);
            assertThat(url).as("the URL the review command printed").isNotNull().matches("http://127\\.0\\.0\\.1:\\d+/");
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Rover on Mars").containsPattern("\"token\":\"[0-9a-f]{64}\"");
        } finally {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(t.isAlive()).isFalse();
        assertThat(code[0]).isZero();
    }

    @Test
    void reviewRefusesABadPort() throws IOException {
        site();
        StringWriter err = new StringWriter();
        assertThat(cli(new StringWriter(), err).execute("review", "--root", root.toString(), "--port", "70000"))
                .isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--port must be 0..65535");
    }
}
