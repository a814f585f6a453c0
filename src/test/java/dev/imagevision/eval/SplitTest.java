package dev.imagevision.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SplitTest {
    @Test
    void halvesArePartitionsFixedByPath() {
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < 200; i++) labels.add(MetricsTest.label("images/x" + i + ".jpg", dev.imagevision.vision.Category.OTHER, 0.1, 0.1, 0.2, 0.2, false));
        List<Label> a = Split.A.of(labels);
        List<Label> b = Split.B.of(labels);
        assertThat(a.size() + b.size()).isEqualTo(200);
        assertThat(a).doesNotContainAnyElementsOf(b);
        assertThat(a.size()).isBetween(70, 130);
        assertThat(Split.ALL.of(labels)).hasSize(200);
        // order does not matter, only the path
        List<Label> reversed = new ArrayList<>(labels);
        java.util.Collections.reverse(reversed);
        assertThat(Split.A.of(reversed)).containsExactlyInAnyOrderElementsOf(a);
    }
}
