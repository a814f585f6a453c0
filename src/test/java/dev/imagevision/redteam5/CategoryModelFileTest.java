package dev.imagevision.redteam5;

import dev.imagevision.vision.Category;
import dev.imagevision.vision.local.CategoryModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A category model file that cannot predict must be refused when read, not loaded: a zero spread
 * or a missing weight row made every prediction NaN (so silently the first class, spacecraft) or a
 * NullPointerException; a model of no features failed every image later.
 */
class CategoryModelFileTest {
    private static final String CLASSES = "[\"spacecraft\",\"surface\",\"launch\",\"orbital\",\"hardware\",\"people\",\"diagram\",\"render\",\"other\"]";
    private static final String BIAS = "[0,0,0,0,0,0,0,0,0]";

    private static byte[] model(String mean, String scale, String weights, int trainedOn) {
        return ("{\"format\":1,\"features\":\"x\",\"trained_on\":" + trainedOn + ",\"penalty\":0.3,\"classes\":" + CLASSES
                + ",\"mean\":" + mean + ",\"scale\":" + scale + ",\"bias\":" + BIAS + ",\"weights\":" + weights + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aZeroSpreadIsRefusedInsteadOfPredictingSpacecraftForEverything() {
        assertThatThrownBy(() -> CategoryModel.fromJson(model("[0]", "[0]", "[[0,0,0,0,0,0,0,0,1]]", 5)))
                .isInstanceOf(IOException.class).hasMessageContaining("spread");
    }

    @Test
    void aMissingWeightRowIsAnIoErrorNotANullPointer() {
        assertThatThrownBy(() -> CategoryModel.fromJson(model("[0]", "[1]", "[null]", 5))).isInstanceOf(IOException.class);
    }

    @Test
    void aModelOfNoFeaturesIsRefused() {
        assertThatThrownBy(() -> CategoryModel.fromJson(model("[]", "[]", "[]", 5))).isInstanceOf(IOException.class);
    }

    @Test
    void aGoodModelStillReadsBackAndPredictsAsWritten() throws IOException {
        CategoryModel fitted = CategoryModel.fit(List.of(new double[]{0, 1}, new double[]{1, 0}),
                List.of(Category.LAUNCH, Category.ORBITAL), CategoryModel.PENALTY);
        CategoryModel read = CategoryModel.fromJson(fitted.toJson());
        assertThat(read.predict(new double[]{0, 1})).isEqualTo(Category.LAUNCH);
        assertThat(read.predict(new double[]{1, 0})).isEqualTo(Category.ORBITAL);
    }

    @Test
    void aModelThatLearnedNothingAnswersOther() {
        assertThat(CategoryModel.untrained().predict(new double[1286])).isEqualTo(Category.OTHER);
        assertThat(CategoryModel.untrained().trainedOn()).isZero();
    }
}
