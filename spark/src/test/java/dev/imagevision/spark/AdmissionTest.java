package dev.imagevision.spark;

import dev.imagevision.inventory.Image;
import dev.imagevision.judgements.Decision;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.site.ImagePath;
import dev.imagevision.site.ProvenanceEntry;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.anthropic.Prompt;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver's decisions without Spark: admission under the hard cap, and a codec that never decodes. */
class AdmissionTest {
    static Image image(String path, int w, int h) {
        SourceImage s = new SourceImage(ImagePath.of(path), new ProvenanceEntry(null, path, null, null, null, null, null, null, null));
        return new Image(s, null, "sha", "key", null, null, null, List.of(), w, h, null, false);
    }

    static SiteConfig capped(double hard) {
        SiteConfig c = SiteConfig.defaults();
        return new SiteConfig(c.paths(), "anthropic", c.model(), c.scoreThreshold(), c.maxInputPixels(), c.variants(),
                c.concurrency(), 0, hard, c.uploadMaxEdge(), c.fleetAssets(), c.imageTimeoutSeconds());
    }

    @Test
    void paidImagesAreAdmittedInPathOrderWhileTheirCeilingsFitUnderTheCap() {
        List<Image> images = new ArrayList<>();
        Map<String, Decision> decisions = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            Image img = image(String.format("/images/missions/juice/%02d.jpg", i), 4000, 3000);
            images.add(img);
            decisions.put(img.path(), i == 3 ? Decision.CACHED : Decision.CALL);
        }
        BigDecimal ceiling = Admission.ceilingUsd("claude-sonnet-4-6", 4000, 3000, 1568);
        assertThat(ceiling).isGreaterThan(BigDecimal.valueOf(0.05)).isLessThan(BigDecimal.ONE);
        double hard = ceiling.multiply(BigDecimal.valueOf(4.5)).doubleValue();
        ProviderChoice paid = new ProviderChoice("anthropic", "claude-sonnet-4-6", Prompt.VERSION, () -> {
            throw new AssertionError("admission never builds the provider");
        });
        Admission a = Admission.of(images, decisions, paid, capped(hard));
        assertThat(a.admitted()).containsExactly("/images/missions/juice/00.jpg", "/images/missions/juice/01.jpg",
                "/images/missions/juice/02.jpg", "/images/missions/juice/04.jpg");
        assertThat(a.halted()).isTrue();
        assertThat(a.refusal()).contains("admits 4 image(s)");

        ProviderChoice free = new ProviderChoice("local", "m", "v", () -> null);
        Admission all = Admission.of(images, decisions, free, capped(0.000001));
        assertThat(all.admitted()).hasSize(9);
        assertThat(all.halted()).isFalse();
    }

    @Test
    void theDriversCodecNamesTheLibraryAndRefusesToDecode() {
        assertThat(SparkPipeline.DRIVER_CODEC.libraryMajorVersion()).isEqualTo(new dev.imagevision.crop.OpenCvCodec().libraryMajorVersion());
        assertThatThrownBy(() -> SparkPipeline.DRIVER_CODEC.decode(java.nio.file.Path.of("a.jpg"), null, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never decodes");
    }
}
