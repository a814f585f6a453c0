package dev.imagevision.eval;

import dev.imagevision.vision.Judgement;

/**
 * What a provider answered for one labelled image: the judgement, or why there is none, with the
 * oriented image size the coordinates refer to and the wall time the answer took.
 */
public record Outcome(Label label, int width, int height, Judgement judgement, String failure, double millis) {
    public Outcome {
        if (width < 1 || height < 1) throw new IllegalArgumentException("image size must be positive for " + label.path());
        if ((judgement == null) == (failure == null)) {
            throw new IllegalArgumentException("an outcome has either a judgement or a failure: " + label.path());
        }
    }

    public static Outcome judged(Label label, int width, int height, Judgement judgement, double millis) {
        return new Outcome(label, width, height, judgement, null, millis);
    }

    public static Outcome failed(Label label, int width, int height, String failure, double millis) {
        return new Outcome(label, width, height, null, failure, millis);
    }
}
