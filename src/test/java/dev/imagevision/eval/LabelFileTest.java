package dev.imagevision.eval;

import dev.imagevision.site.SiteFileException;
import dev.imagevision.vision.Category;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelFileTest {
    @TempDir
    Path dir;

    static final String GOOD = """
            [{"path": "images/a.jpg", "category": "launch", "quality": 6,
              "subject_box": {"x": 0.47, "y": 0.15, "w": 0.08, "h": 0.41},
              "focal_point": {"x": 0.51, "y": 0.38}, "whole_scene": false,
              "gallery_worthy": true, "subject": "Small rocket.", "credit": "ignored extra key"}]
            """;

    @Test
    void readsTheCorpusFormat() throws Exception {
        Path f = Files.writeString(dir.resolve("labels.json"), GOOD);
        List<Label> labels = LabelFile.read(f);
        assertThat(labels).hasSize(1);
        Label l = labels.get(0);
        assertThat(l.category()).isEqualTo(Category.LAUNCH);
        assertThat(l.subjectBox().h()).isEqualTo(0.41);
        assertThat(l.focalPoint().x()).isEqualTo(0.51);
        assertThat(l.wholeScene()).isFalse();
    }

    @Test
    void unknownCategoryNamesTheEntry() throws Exception {
        Path f = Files.writeString(dir.resolve("labels.json"), GOOD.replace("\"launch\"", "\"rocket\""));
        assertThatThrownBy(() -> LabelFile.read(f)).isInstanceOf(SiteFileException.class)
                .hasMessageContaining("entry #0 (images/a.jpg)");
    }

    @Test
    void boxOutsideTheImageIsRefused() throws Exception {
        Path f = Files.writeString(dir.resolve("labels.json"), GOOD.replace("\"w\": 0.08", "\"w\": 0.8"));
        assertThatThrownBy(() -> LabelFile.read(f)).hasMessageContaining("subject_box");
    }

    @Test
    void pathsMayNotClimbOutOfTheImagesFolder() throws Exception {
        Path f = Files.writeString(dir.resolve("labels.json"), GOOD.replace("images/a.jpg", "../a.jpg"));
        assertThatThrownBy(() -> LabelFile.read(f)).hasMessageContaining("without \"..\"");
    }

    @Test
    void aDuplicatePathIsAnError() throws Exception {
        String entry = GOOD.strip();
        entry = entry.substring(1, entry.length() - 1);
        Path f = Files.writeString(dir.resolve("labels.json"), "[" + entry + "," + entry + "]");
        assertThatThrownBy(() -> LabelFile.read(f)).hasMessageContaining("labelled twice");
    }
}
