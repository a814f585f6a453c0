package dev.imagevision.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagevision.pipeline.RunLock;
import dev.imagevision.testing.SampleSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With --json, every ending of a command prints exactly one JSON object on stdout; stderr keeps the human line. */
class JsonEndingTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Every JSON value on stdout, in order (so "exactly one" can be asserted, not just "the first parses"). */
    static List<JsonNode> values(String out) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        try (var it = JSON.readerFor(JsonNode.class).<JsonNode>readValues(out)) {
            while (it.hasNext()) all.add(it.next());
        }
        return all;
    }

    /** The one failure object: its exit code is the process's, and its message is the stderr line's. */
    static JsonNode oneFailure(InProcess.Result r, int code) throws IOException {
        assertThat(r.code()).isEqualTo(code);
        List<JsonNode> objects = values(r.out());
        assertThat(objects).as("stdout: %s", r.out()).hasSize(1);
        JsonNode o = objects.get(0);
        assertThat(o.isObject()).isTrue();
        assertThat(o.get("exit_code").asInt()).isEqualTo(code);
        assertThat(o.get("error").asText()).isNotBlank();
        assertThat(r.err()).contains("imagevision: " + o.get("error").asText());
        assertThat(r.out()).doesNotContain("\tat "); // never a stack trace on stdout
        return o;
    }

    static InProcess.Result score(String... args) {
        return InProcess.score(Map.of("CI", "true"), args);
    }

    @Test
    void anUnknownSegmentWithJsonExitsTwoWithOneErrorObject(@TempDir Path dir) throws IOException {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        InProcess.Result r = score("score", "--root", site.toString(), "--provider", "local", "--segment", "nope", "--json");
        JsonNode o = oneFailure(r, Main.BAD_INPUT);
        assertThat(o.get("error").asText()).contains("--segment nope matches nothing");
        assertThat(o.size()).isEqualTo(2);
    }

    @Test
    void malformedProvenanceWithJsonExitsTwoNamingTheFileInTheObject(@TempDir Path dir) throws IOException {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Files.writeString(site.resolve("static/data/image-provenance.json"), "{\"entries\": [\n  {\"path\": 12,, }\n]}");
        JsonNode o = oneFailure(score("score", "--root", site.toString(), "--provider", "local", "--json"), Main.BAD_INPUT);
        assertThat(o.get("error").asText()).contains("image-provenance.json").contains("line 2, column");
    }

    @Test
    void aUsageErrorWithJsonStillPrintsOneObject(@TempDir Path dir) throws IOException {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        InProcess.Result r = score("score", "--json", "--root", site.toString(), "--no-such-flag");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        List<JsonNode> objects = values(r.out());
        assertThat(objects).hasSize(1);
        assertThat(objects.get(0).get("exit_code").asInt()).isEqualTo(Main.BAD_INPUT);
        assertThat(objects.get(0).get("error").asText()).contains("--no-such-flag");
        assertThat(r.err()).contains("--no-such-flag");
    }

    @Test
    void aHeldLockWithJsonExitsFourWithOneErrorObject(@TempDir Path dir) throws IOException {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        try (RunLock held = RunLock.acquire(site.resolve(".image-cache"))) {
            JsonNode o = oneFailure(score("score", "--root", site.toString(), "--provider", "local", "--json"), Main.LOCKED);
            assertThat(o.get("error").asText()).contains("another imagevision run");
        }
    }

    @Test
    void anUnwritableManifestWithJsonExitsFiveWithOneErrorObject(@TempDir Path dir) throws IOException {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        // the manifest's folder is a regular file: the run scores, then cannot write its output (as root too)
        Files.writeString(site.resolve("static/data/blocker"), "not a folder");
        Files.writeString(site.resolve("imagevision.json"), "{\"provider\": \"local\", \"paths\": {\"manifest\": \"static/data/blocker/image-vision.json\"}}");
        JsonNode o = oneFailure(score("score", "--root", site.toString(), "--provider", "local", "--mission", "spirit",
                "--json"), Main.WRITE_FAILED);
        assertThat(o.get("error").asText()).startsWith("could not write outputs").contains("blocker");
    }

    @Test
    void withoutJsonAFailurePrintsNothingOnStdout(@TempDir Path dir) {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        InProcess.Result r = score("score", "--root", site.toString(), "--provider", "local", "--segment", "nope");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.out()).isEmpty();
    }

    static JsonNode oneFailureOf(String expected, String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(java.io.InputStream.nullInputStream(), new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as(err.toString()).isEqualTo(Main.BAD_INPUT);
        List<JsonNode> objects = values(out.toString());
        assertThat(objects).as(String.join(" ", args)).hasSize(1);
        assertThat(objects.get(0).get("exit_code").asInt()).isEqualTo(Main.BAD_INPUT);
        assertThat(objects.get(0).get("error").asText()).contains(expected);
        assertThat(err.toString()).contains(expected);
        return objects.get(0);
    }

    @Test
    void otherJsonCommandsEndTheSameWay(@TempDir Path dir) throws IOException {
        String missing = dir.resolve("missing").toString();
        oneFailureOf("is not a directory", "validate", "--root", missing, "--json");
        oneFailureOf("--split must be all, a or b", "eval", "--labels", missing, "--split", "z", "--json");
        oneFailureOf("is not a folder", "bench", "crops", "--images", missing, "--json");
        oneFailureOf("neither an image file nor a folder", "bench", "local", missing, "--json");
    }
}
