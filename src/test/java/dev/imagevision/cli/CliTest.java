package dev.imagevision.cli;

import dev.imagevision.testing.SampleSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user meets it: exit codes, messages, --json. */
class CliTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void malformedProvenanceExitsTwoNamingFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Files.writeString(site.resolve("static/data/image-provenance.json"), "{\"entries\": [\n  {\"path\": 12,, }\n]}");
        Result r = run("score", "--root", site.toString(), "--provider", "local");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("image-provenance.json").contains("line 2, column");
        assertThat(r.err()).doesNotContain("at dev.imagevision"); // no stack trace without --verbose
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"score", "report", "validate", "flag --list", "review --port 0",
            "preview"})
    void outsideASiteEveryCommandSaysSoAndHowToPassRoot(String command, @TempDir Path dir) {
        if (command.equals("preview") && !Main.commandLine().getSubcommands().containsKey("preview")) return;
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
        args.addAll(java.util.List.of("--root", dir.toString()));
        Result r = run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains(dir + " is not a site root", "static/data/image-provenance.json", "--root DIR",
                "imagevision demo");
        assertThat(r.err()).doesNotContain("does not exist", "Exception");
    }

    @Test
    void versionIsTheProjectsVersion() {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out().strip()).matches("imagevision \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void aFleetAssetTypeWithNoImagesExitsTwoListingTheTypesThatHaveSome(@TempDir Path dir) {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        for (String type : java.util.List.of("heroes", "patches")) {
            Result r = run("score", "--root", site.toString(), "--provider", "local", "--fleet-asset", type, "--dry-run");
            assertThat(r.code()).as(type).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).contains("--fleet-asset " + type + " matches no image", "galleries (");
        }
    }

    @Test
    void anUnknownSegmentListsTheSegmentsThatExist(@TempDir Path dir) {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Result r = run("score", "--root", site.toString(), "--provider", "local", "--segment", "nope");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("--segment nope matches nothing")
                .contains("crew-portraits, fleet-galleries, missions, science-diagrams");
    }

    @Test
    void jsonSummaryIsOneObjectOnStdout(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Result r = run("score", "--root", site.toString(), "--provider", "local", "--json");
        assertThat(r.code()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(json.get("scored").asInt()).isEqualTo(29);
        assertThat(json.get("cached").asInt()).isZero();
        assertThat(json.get("failed").asInt()).isZero();
        assertThat(json.get("cropped").asInt()).isEqualTo(29);
        assertThat(json.get("provider_calls").asInt()).isEqualTo(29);
        assertThat(json.get("exit_code").asInt()).isZero();
        assertThat(json.has("cost_usd")).isTrue();
        assertThat(json.get("halted").asBoolean()).isFalse();
        assertThat(r.err()).contains("29 scored");

        Result again = run("score", "--root", site.toString(), "--provider", "local", "--all", "--json");
        var warm = new com.fasterxml.jackson.databind.ObjectMapper().readTree(again.out());
        assertThat(warm.get("cached").asInt()).isEqualTo(29);
        assertThat(warm.get("provider_calls").asInt()).isZero();

        // an image leaves provenance: the dry run says what the real run would drop, and writes nothing
        Path prov = site.resolve("static/data/image-provenance.json");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(prov.toFile());
        String gone = ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("entries")).remove(0).get("path").asText();
        mapper.writeValue(prov.toFile(), tree);
        byte[] manifest = Files.readAllBytes(site.resolve("static/data/image-vision.json"));
        Result dry = run("score", "--root", site.toString(), "--provider", "local", "--dry-run", "--json");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(mapper.readTree(dry.out()).get("dropped").asInt()).isEqualTo(1);
        assertThat(dry.err()).contains("would drop " + gone + " from the manifest")
                .contains("dry run, (default) new-only: 0 images in scope, 0 would be scored with local, estimated $0.00, "
                        + "1 manifest entry would be dropped; nothing was written");
        assertThat(Files.readAllBytes(site.resolve("static/data/image-vision.json"))).isEqualTo(manifest);
    }

    @Test
    void everyCommandsHelpFormatsCleanly() {
        // picocli formats descriptions with String.format; a bare "%" there prints a warning on stderr
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CommandLine cli = Main.commandLine();
            assertThat(cli.getUsageMessage()).contains("Exit codes");
            cli.getSubcommands().forEach((name, sub) -> {
                assertThat(sub.getUsageMessage()).as(name).isNotBlank();
                sub.getSubcommands().values().forEach(CommandLine::getUsageMessage);
            });
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Could not format");
    }

    @Test
    void contradictoryFlagsAreAUsageError(@TempDir Path dir) {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Result r = run("score", "--root", site.toString(), "--provider", "local", "--force-score", "--skip-scoring");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("contradict");
    }

    @Test
    void previewWritesThePageAndSaysWhenThereIsNoManifestYet(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Result none = run("preview", "--root", site.toString());
        assertThat(none.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(none.err()).contains("image-vision.json: no manifest yet: run imagevision score");
        assertThat(run("score", "--root", site.toString(), "--provider", "local", "--skip-crops").code()).isZero();
        Result one = run("preview", "--root", site.toString());
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.out().trim()).isEqualTo(site.resolve("static/data/preview.html").toAbsolutePath().toString());
        assertThat(one.err()).startsWith("preview of 29 images · ");
        Result again = run("preview", "--root", site.toString(), "--out", dir.resolve("elsewhere.html").toString());
        assertThat(again.code()).isZero();
        assertThat(Files.readString(dir.resolve("elsewhere.html"))).contains("{\"base\":\"site/static/\"");
        assertThat(run("preview", "--root", site.toString()).err()).endsWith("· unchanged" + System.lineSeparator());
    }

    @Test
    void demoCopiesTheSampleOnceAndTheSecondRunIsFree(@TempDir Path dir) {
        Path out = dir.resolve("demo");
        Result one = run("demo", "--out", out.toString(), "--sample", SampleSite.source().toString(), "--json");
        assertThat(one.code()).isZero();
        assertThat(one.err()).contains("copied the sample site").contains("manifest:").contains("report:")
                .contains("preview:  " + out.resolve("static/data/preview.html").toAbsolutePath());
        Path preview = out.resolve("static/data/preview.html");
        assertThat(preview).isRegularFile();
        long written = preview.toFile().lastModified();
        Result two = run("demo", "--out", out.toString(), "--sample", SampleSite.source().toString(), "--json");
        assertThat(two.err()).contains("reusing the demo site").contains("0 provider calls");
        assertThat(preview.toFile().lastModified()).as("a warm demo rewrites no preview").isEqualTo(written);
    }
}
