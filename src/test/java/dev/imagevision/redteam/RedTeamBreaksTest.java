package dev.imagevision.redteam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagevision.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Breaks found from the outside, one per test, each driving the command line over a small site of
 * solid-colour images. They describe what the README promises and fail where the tool breaks it.
 */
@Tag("reliability")
class RedTeamBreaksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path site;

    record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--root";
        all[args.length + 1] = site.toString();
        int exit = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), all);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path image(String path, Color colour) throws IOException {
        Path file = site.resolve("static" + path);
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 320, 240);
        g.dispose();
        ImageIO.write(img, "jpg", file.toFile());
        return file;
    }

    private void provenance(List<String> paths) throws IOException {
        Files.createDirectories(site.resolve("static/data"));
        Files.writeString(site.resolve("imagevision.json"), "{\"provider\": \"local\"}");
        StringBuilder rows = new StringBuilder("{\"entries\": [");
        for (int i = 0; i < paths.size(); i++) {
            rows.append(i == 0 ? "" : ",").append("{\"path\": \"").append(paths.get(i)).append("\"}");
        }
        Files.writeString(site.resolve("static/data/image-provenance.json"), rows.append("]}").toString());
    }

    private JsonNode manifestEntry(String path) throws IOException {
        return JSON.readTree(site.resolve("static/data/image-vision.json").toFile()).path("entries").path(path);
    }

    private void oldToolManifest(String entries) throws IOException {
        Files.writeString(site.resolve("static/data/image-vision.json"),
                "{\"version\": 1, \"generated_at\": \"2026-07-06T07:04:20.112Z\", \"vision_provider\": \"anthropic\","
                        + " \"vision_model\": \"claude-sonnet-4-6\", \"prompt_version\": \"v1.3.0\", \"entries\": {" + entries + "}}");
    }

    private static String oldEntry(String path, int score, String subject) {
        return "\"" + path + "\": {\"score\": " + score + ", \"subject\": \"" + subject + "\", \"category\": \"spacecraft\","
                + " \"focal_point\": {\"x\": 0.5, \"y\": 0.5}, \"variants\": {\"1x1\": \"\"}, \"rejected_by\": null,"
                + " \"fallback\": false, \"scored_at\": \"2026-05-24T00:24:34.029Z\", \"scoring_cost_usd\": 0.005}";
    }

    /** README: the sweep after a killed run removes only its own temporary files. */
    @Test
    void theSweepAfterAKilledRunLeavesAnEditorsFileNamedLikeATemporaryFile() throws IOException {
        provenance(List.of("/images/missions/x/01.jpg"));
        image("/images/missions/x/01.jpg", Color.RED);
        assertThat(run("score").exit()).isZero();
        Path editors = site.resolve("static/images/missions/x/.imagevision-1.tmp");
        Files.writeString(editors, "an editor's notes, not the tool's");
        // what a SIGKILLed run leaves behind: its in-progress marker
        Files.writeString(site.resolve(".image-cache/run-in-progress"), "pid 999999");

        assertThat(run("score").exit()).isZero();

        assertThat(editors).exists().hasContent("an editor's notes, not the tool's");
    }

    /** README (Adopting a site): lifting an editor's flag later restores the previous tool's values. */
    @Test
    void unflaggingAnAdoptedImageRestoresItsAdoptedJudgement() throws IOException {
        provenance(List.of("/images/missions/x/01.jpg", "/images/missions/x/02.jpg"));
        image("/images/missions/x/01.jpg", Color.RED);
        image("/images/missions/x/02.jpg", Color.BLUE);
        oldToolManifest(oldEntry("/images/missions/x/01.jpg", 8, "Red thing.") + ","
                + oldEntry("/images/missions/x/02.jpg", 6, "Blue thing."));
        assertThat(run("score").exit()).isZero();
        assertThat(run("flag", "/images/missions/x/01.jpg", "--reason", "not this mission").exit()).isZero();
        assertThat(run("score").exit()).isZero();
        assertThat(run("flag", "--unflag", "/images/missions/x/01.jpg").exit()).isZero();

        assertThat(run("score").exit()).isZero();

        JsonNode entry = manifestEntry("/images/missions/x/01.jpg");
        assertThat(entry.path("score").asInt()).isEqualTo(8);
        assertThat(entry.path("rejected_by").isNull()).isTrue();
        assertThat(entry.path("selection").path("role").asText()).isEqualTo("hero");
    }

    /** README: a photo an editor put at 01.1x1.jpg is left as it is (here it replaced the tool's own variant). */
    @Test
    void aVariantAnEditorReplacedByHandIsNotOverwritten() throws IOException {
        provenance(List.of("/images/missions/x/01.jpg"));
        image("/images/missions/x/01.jpg", Color.RED);
        assertThat(run("score").exit()).isZero();
        Path editors = image("/images/missions/x/01.1x1.jpg", Color.ORANGE);
        byte[] before = Files.readAllBytes(editors);

        assertThat(run("score").exit()).isZero();

        assertThat(Files.readAllBytes(editors)).isEqualTo(before);
    }

    /** README: a variant the tool refuses to write is not published; two sources never share a picture. */
    @Test
    void aRefusedVariantThatHoldsAnotherSourcesPictureIsNotPublished() throws IOException {
        provenance(List.of("/images/missions/x/01.jpg", "/images/missions/x/02.jpg"));
        image("/images/missions/x/01.jpg", Color.RED);
        image("/images/missions/x/02.jpg", Color.BLUE);
        assertThat(run("score").exit()).isZero();
        Path dir = site.resolve("static/images/missions/x");
        Files.copy(dir.resolve("01.4x3.jpg"), dir.resolve("02.4x3.jpg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Run second = run("score", "--json");

        assertThat(second.out()).contains("02.4x3.jpg"); // the run names the refusal ...
        assertThat(manifestEntry("/images/missions/x/02.jpg").path("variants").path("4x3").asText())
                .isNotEqualTo("/images/missions/x/02.4x3.jpg"); // ... but still publishes 01's red crop as 02's
    }

    /** The manifest the tool writes must pass its own validate (an old entry with score 11 became a hero). */
    @Test
    void theManifestWrittenOverAMalformedOldEntryValidates() throws IOException {
        provenance(List.of("/images/missions/x/01.jpg", "/images/missions/x/02.jpg"));
        image("/images/missions/x/01.jpg", Color.RED);
        image("/images/missions/x/02.jpg", Color.BLUE);
        oldToolManifest(oldEntry("/images/missions/x/01.jpg", 11, "Red thing.") + ","
                + oldEntry("/images/missions/x/02.jpg", 6, "Blue thing."));

        assertThat(run("score", "--provider", "anthropic").exit()).isZero(); // no key: the bad entry cannot be re-judged

        assertThat(manifestEntry("/images/missions/x/01.jpg").path("selection").path("role").asText()).isNotEqualTo("hero");
        assertThat(run("validate").exit()).isZero();
    }

    /** README: two sources never share a variant file; a repeated row is named. */
    @Test
    void twoProvenanceRowsNamingOneFileDoNotShareItsVariants() throws IOException {
        provenance(List.of("/images/missions/x/01.jpg", "/images//missions/x/01.jpg"));
        image("/images/missions/x/01.jpg", Color.RED);

        Run first = run("score", "--json");

        JsonNode summary = JSON.readTree(first.out());
        assertThat(summary.path("problems").toString()).contains("/images//missions/x/01.jpg");
    }

    /** Every command's --help lists "-V, --version  Print version information and exit." */
    @Test
    void aSubcommandsVersionOptionPrintsTheVersion() throws IOException {
        provenance(List.of("/images/missions/x/01.jpg"));
        image("/images/missions/x/01.jpg", Color.RED);

        Run version = run("score", "--version");

        assertThat(version.out() + version.err()).contains("imagevision");
    }

    /** README: only our own variant rows are skipped; a row the old tool judged as a source is not "gone from provenance". */
    @Test
    void aSourceNamedLikeAVariantKeepsItsAdoptedEntry() throws IOException {
        provenance(List.of("/images/missions/x/01.jpg", "/images/missions/x/01.1x1.jpg"));
        image("/images/missions/x/01.jpg", Color.RED);
        image("/images/missions/x/01.1x1.jpg", Color.BLUE);
        oldToolManifest(oldEntry("/images/missions/x/01.jpg", 8, "Red thing.") + ","
                + oldEntry("/images/missions/x/01.1x1.jpg", 7, "Blue panel."));

        Run first = run("score", "--json");

        assertThat(JSON.readTree(first.out()).path("dropped").asInt()).isZero();
        assertThat(manifestEntry("/images/missions/x/01.1x1.jpg").path("subject").asText()).isEqualTo("Blue panel.");
    }
}
