package dev.imagevision.redteam5;

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
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eval --folds} and {@code --save-category-model} driven from the command line, on labels
 * where one source folder holds only images that cannot be measured (1×1, 16×5000).
 */
@Tag("reliability")
class CategoryModelEvalTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run eval(String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[4 + extra.length];
        args[0] = "eval";
        args[1] = "--labels";
        args[2] = dir.resolve("labels.json").toString();
        args[3] = "--provider=local";
        System.arraycopy(extra, 0, args, 4, extra.length);
        int exit = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private void image(String path, int w, int h, Color colour) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.fillOval(w / 3, h / 3, Math.max(1, w / 4), Math.max(1, h / 4));
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static String label(String path, String category) {
        return "{\"path\": \"" + path + "\", \"category\": \"" + category + "\", \"quality\": 5,"
                + " \"subject_box\": {\"x\": 0.1, \"y\": 0.1, \"w\": 0.8, \"h\": 0.8}, \"focal_point\": {\"x\": 0.5, \"y\": 0.5},"
                + " \"whole_scene\": false, \"gallery_worthy\": true, \"subject\": \"x\"}";
    }

    /** bad/ has only images too small or too thin to measure; good/ has two that measure. */
    private void labels(boolean withGood) throws IOException {
        image("bad/one.png", 1, 1, Color.RED);
        image("bad/thin.png", 16, 5000, Color.GRAY);
        StringBuilder s = new StringBuilder("[").append(label("bad/one.png", "other")).append(",").append(label("bad/thin.png", "diagram"));
        if (withGood) {
            image("good/a.png", 320, 240, Color.BLACK);
            image("good/b.png", 320, 240, new Color(40, 90, 160));
            s.append(",").append(label("good/a.png", "orbital")).append(",").append(label("good/b.png", "launch"));
        }
        Files.writeString(dir.resolve("labels.json"), s.append("]").toString());
    }

    @Test
    void aFoldWhoseTrainingImagesAllFailedIsReportedNotTheEndOfTheRun() throws IOException {
        labels(true);
        Run r = eval("--folds", "2");
        assertThat(r.err()).doesNotContain("no labelled images to fit a category model on");
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("cross-val").contains("categories learned from 0 images");
    }

    @Test
    void noModelIsWrittenWhenNoLabelledImageCouldBeMeasured() throws IOException {
        labels(true);
        Files.writeString(dir.resolve("labels.json"), Files.readString(dir.resolve("labels.json"))
                .replace("good/a.png", "bad2/one.png").replace("good/b.png", "bad2/thin.png"));
        Files.createDirectories(dir.resolve("bad2"));
        Files.copy(dir.resolve("bad/one.png"), dir.resolve("bad2/one.png"));
        Files.copy(dir.resolve("bad/thin.png"), dir.resolve("bad2/thin.png"));
        Path model = dir.resolve("model.json");
        Run r = eval("--folds", "2", "--save-category-model", model.toString());
        assertThat(r.exit()).isNotEqualTo(Main.OK);
        assertThat(r.err()).contains("no category model to write");
        assertThat(model).doesNotExist();
    }

    @Test
    void aFileThatIsNotACategoryModelIsNeverOverwritten() throws IOException {
        labels(true);
        Path precious = dir.resolve("notes.txt");
        Files.writeString(precious, "the editor's notes");
        Run r = eval("--folds", "2", "--save-category-model", precious.toString());
        assertThat(Files.readString(precious)).isEqualTo("the editor's notes");
        assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("is not a category model").doesNotContain("category accuracy");
    }

    @Test
    void aFolderAsTheModelFileIsRefusedBeforeMeasuringWithAPlainLine() throws IOException {
        labels(true);
        Run r = eval("--folds", "2", "--save-category-model", dir.toString());
        assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("is a folder").doesNotContain("manifest, ledger and cache");
        assertThat(r.out()).doesNotContain("category accuracy");
    }

    @Test
    void anEarlierModelIsReplacedAsTheTrainingScriptDoes() throws IOException {
        labels(true);
        Path model = dir.resolve("model.json");
        assertThat(eval("--folds", "2", "--save-category-model", model.toString()).exit()).isEqualTo(Main.OK);
        byte[] first = Files.readAllBytes(model);
        Run again = eval("--folds", "2", "--save-category-model", model.toString());
        assertThat(again.exit()).as(again.err()).isEqualTo(Main.OK);
        assertThat(Files.readAllBytes(model)).isEqualTo(first);
    }
}
