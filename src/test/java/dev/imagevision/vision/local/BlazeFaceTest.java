package dev.imagevision.vision.local;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BlazeFaceTest {

    @Test
    void anchorsFollowMediaPipesShortRangeLayout() {
        float[][] a = BlazeFace.anchors();
        assertThat(a).hasNumberOfRows(896);
        // stride 8: a 16 × 16 grid, two anchors per cell
        assertThat(a[0]).containsExactly(1 / 32f, 1 / 32f);
        assertThat(a[1]).containsExactly(1 / 32f, 1 / 32f);
        assertThat(a[2]).containsExactly(3 / 32f, 1 / 32f);
        assertThat(a[511]).containsExactly(31 / 32f, 31 / 32f);
        // stride 16: an 8 × 8 grid, six anchors per cell
        assertThat(a[512]).containsExactly(1 / 16f, 1 / 16f);
        assertThat(a[517]).containsExactly(1 / 16f, 1 / 16f);
        assertThat(a[895]).containsExactly(15 / 16f, 15 / 16f);
    }

    @Test
    void decodeTurnsOffsetsInInputPixelsIntoFractionsAroundTheAnchor() {
        float[] scores = new float[896];
        float[] boxes = new float[896 * 16];
        java.util.Arrays.fill(scores, -10f);
        int i = 600; // a stride-16 anchor
        float[] anchor = BlazeFace.anchors()[i];
        scores[i] = 3f; // sigmoid 0.95
        boxes[i * 16] = 6.4f; // +0.05 of the input
        boxes[i * 16 + 1] = -12.8f; // -0.1
        boxes[i * 16 + 2] = 32f; // 0.25 wide
        boxes[i * 16 + 3] = 38.4f; // 0.3 tall
        boxes[i * 16 + 4] = 0f; // right eye on the anchor
        List<BlazeFace.Face> faces = BlazeFace.decode(scores, boxes, 0.5);
        assertThat(faces).hasSize(1);
        BlazeFace.Face f = faces.get(0);
        assertThat(f.score()).isCloseTo(1 / (1 + Math.exp(-3)), within(1e-9));
        assertThat(f.x() + f.w() / 2).isCloseTo(anchor[0] + 0.05, within(1e-6));
        assertThat(f.y() + f.h() / 2).isCloseTo(anchor[1] - 0.1, within(1e-6));
        assertThat(f.w()).isCloseTo(0.25, within(1e-6));
        assertThat(f.h()).isCloseTo(0.3, within(1e-6));
        assertThat(f.keypoints()[0]).isCloseTo(anchor[0], within(1e-6));
    }

    @Test
    void weakScoresAreDropped() {
        float[] scores = new float[896];
        java.util.Arrays.fill(scores, 0f); // sigmoid 0.5 exactly is kept at 0.5, dropped at 0.6
        float[] boxes = new float[896 * 16];
        for (int i = 0; i < 896; i++) {
            boxes[i * 16 + 2] = 10;
            boxes[i * 16 + 3] = 10;
        }
        assertThat(BlazeFace.decode(scores, boxes, 0.6)).isEmpty();
    }

    @Test
    void outputOfTheWrongShapeIsRefused() {
        assertThatThrownBy(() -> BlazeFace.decode(new float[10], new float[160], 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlappingDetectionsMergeWeightedByScore() {
        BlazeFace.Face a = new BlazeFace.Face(0.10, 0.10, 0.20, 0.20, 0.9, new double[12]);
        BlazeFace.Face b = new BlazeFace.Face(0.12, 0.10, 0.20, 0.20, 0.6, new double[12]);
        BlazeFace.Face far = new BlazeFace.Face(0.70, 0.70, 0.10, 0.10, 0.8, new double[12]);
        List<BlazeFace.Face> merged = BlazeFace.weightedNms(List.of(b, far, a), 0.3);
        assertThat(merged).hasSize(2);
        assertThat(merged.get(0).score()).isEqualTo(0.9);
        assertThat(merged.get(0).x()).isCloseTo((0.10 * 0.9 + 0.12 * 0.6) / 1.5, within(1e-12));
        assertThat(merged.get(1).x()).isCloseTo(0.70, within(1e-12));
    }
}
