package dev.imagevision.vision.anthropic;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The input-token ceiling a request is charged when its reply never reached the journal. */
class CeilingTest {
    @Test
    void aLargestUploadStaysAboveTheApisOwnFigure() {
        // the API's documented ~1,600 tokens for an image at its size limit, plus 4 KB of text
        long ceiling = Ceiling.inputTokens(1092, 1092, 4096);
        assertThat(ceiling).isGreaterThan(1_590 + 4_096);
        assertThat(ceiling).isEqualTo((long) Math.ceil(1092.0 * 1092 / 750 * 1.25) + 4096 + 1024);
    }

    @Property
    void neverBelowTheDocumentedFormulaPlusOneTokenPerByte(@ForAll @IntRange(max = 1600) int w,
                                                            @ForAll @IntRange(max = 1600) int h,
                                                            @ForAll @LongRange(max = 1_000_000) long textBytes) {
        long documented = (long) Math.ceil((double) w * h / 750);
        assertThat(Ceiling.inputTokens(w, h, textBytes)).isGreaterThanOrEqualTo(documented + textBytes + Ceiling.FRAMING_TOKENS);
    }

    @Test
    void negativeSizesAreRefused() {
        assertThatThrownBy(() -> Ceiling.inputTokens(-1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
