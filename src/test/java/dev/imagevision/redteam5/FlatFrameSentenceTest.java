package dev.imagevision.redteam5;

import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.local.CategoryModel;
import dev.imagevision.vision.local.LocalProvider;
import dev.imagevision.vision.local.PlacementTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sentence says only what was measured; where only the learned category says what a frame is,
 * it is a likeness. The shipped model calls a flat mid-grey frame {@code orbital}, and the orbital
 * sentence's last branch (written when a rule had measured texture everywhere) then said "Textured
 * scene seen from above" of a frame with no texture at all.
 */
class FlatFrameSentenceTest {
    @TempDir
    Path dir;

    @Test
    void aFlatFrameTheModelCallsOrbitalIsNotDescribedAsTextured() throws Exception {
        BufferedImage img = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, 200, 150);
        g.dispose();
        Path file = dir.resolve("grey.png");
        ImageIO.write(img, "png", file.toFile());

        LocalProvider provider = new LocalProvider(new OpenCvCodec(), 100_000_000L);
        LocalProvider.Analysis a = provider.analyse(file);
        CategoryModel orbitalOnly = LocalProvider.fitCategories(List.of(a), List.of(Category.ORBITAL));
        Judgement j = LocalProvider.judgement(a, new LocalProvider.Fitted(PlacementTrust.SHIPPED, orbitalOnly));

        assertThat(j.category()).isEqualTo(Category.ORBITAL);
        assertThat(j.subject()).doesNotContainIgnoringCase("textured");
    }
}
