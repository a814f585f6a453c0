package dev.imagevision.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EvalCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        Failures.install(cli);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Three sample-site images with their labels: a portrait, a full Moon and a launch. */
    Path labels() throws Exception {
        String all = Files.readString(Path.of("src/test/resources/eval/sample-site-labels.json"));
        JsonNode tree = new ObjectMapper().readTree(all);
        var picked = new ObjectMapper().createArrayNode();
        for (JsonNode n : tree) {
            String p = n.get("path").asText();
            if (p.endsWith("eileen-collins/01.png") || p.endsWith("hubble/04.jpg") || p.endsWith("crs-21/02.jpg")) picked.add(n);
        }
        return Files.writeString(dir.resolve("labels.json"), picked.toString());
    }

    @Test
    void foldsPrintInSampleAndCrossValidatedFiguresWithEachFoldsFit() throws Exception {
        Run r = run("eval", "--labels", labels().toString(), "--images", "sample-site/static", "--folds", "3");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("in-sample", "cross-val", "subject kept 16:9", "people recall / precision",
                "fitted on all 3 images: face ", "fold 3 (1 images, held out: images/missions/");
        assertThat(r.out()).contains("-- cross-validated (3 folds by source folder");

        Run json = run("eval", "--labels", labels().toString(), "--images", "sample-site/static", "--folds", "2", "--json");
        assertThat(json.code()).as(json.err()).isEqualTo(0);
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.at("/cross_validated/images").asInt()).isEqualTo(3);
        assertThat(j.at("/in_sample/subject_kept/16x9/ratio").asText()).isEqualTo("16:9");
        assertThat(j.get("folds")).hasSize(2);

        Run tooMany = run("eval", "--labels", labels().toString(), "--images", "sample-site/static", "--folds", "4");
        assertThat(tooMany.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(tooMany.err()).contains("--folds 4 needs at least 4 source folders");
    }

    @Test
    void jsonOutputCarriesEveryFigure() throws Exception {
        Run r = run("eval", "--labels", labels().toString(), "--images", "sample-site/static", "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("images").asInt()).isEqualTo(3);
        assertThat(j.at("/category/per_class/people/labelled").asInt()).isEqualTo(1);
        assertThat(j.at("/category/confusion/orbital").size()).isEqualTo(10);
        assertThat(j.at("/subject_kept/16x9/ratio").asText()).isEqualTo("16:9");
        assertThat(j.at("/subject_kept/1x1").has("centre")).isTrue();
        assertThat(j.get("per_image")).hasSize(3);
    }

    @Test
    void tableNamesTheBaselineAndTheTargets() throws Exception {
        Run r = run("eval", "--labels", labels().toString(), "--images", "sample-site/static");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("subject kept", "centre", "16:9", "category accuracy", "confusion", "people", "diagram");
    }

    @Test
    void aMissingImageIsABadInputNamingTheFolderFlag() throws Exception {
        Run r = run("eval", "--labels", labels().toString(), "--images", dir.toString());
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("--images");
    }

    @Test
    void anUnknownSplitIsABadInput() throws Exception {
        Run r = run("eval", "--labels", labels().toString(), "--split", "c");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("--split must be all, a or b");
    }

    @Test
    void benchRefusesAProviderItCannotTime() {
        Run r = run("bench", "anthropic", "sample-site/static/images/missions/hubble/04.jpg");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void benchTimesEachImage() throws Exception {
        Run r = run("bench", "local", "--repeat", "1", "--json", "sample-site/static/images/missions/hubble/04.jpg");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("images")).hasSize(1);
        assertThat(j.at("/images/0/megapixels").asDouble()).isGreaterThan(3.0);
        assertThat(j.at("/images/0").has("cpu_ms")).isTrue();
    }
}
