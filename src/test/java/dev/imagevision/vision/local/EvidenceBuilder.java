package dev.imagevision.vision.local;

import java.util.ArrayList;
import java.util.List;

/** Evidence for rule tests: a plain, mid-grey, featureless daylight photograph unless told otherwise. */
final class EvidenceBuilder {
    int width = 512, height = 384, sourceWidth = 4000, sourceHeight = 3000;
    List<Evidence.Face> faces = new ArrayList<>();
    double textFraction, meanLuma = 120, darkFraction = 0.05, blackFraction = 0.01, clippedHigh, clippedLow,
            whiteFraction, meanSaturation = 0.2, syntheticHue, warmFraction, flatFraction = 0.05, dominantShare = 0.2;
    int colourCount = 100;
    double sharpness = 800, edgeDensity = 0.1, verticality = 0.5, skyTop = 1.5, groundContrast, pointSources;
    Measure.Blob blob = Measure.Blob.NONE;
    Measure.Lines lines = new Measure.Lines(0.5);
    double borderSpread = 30, borderLuma = 120;
    Evidence.Hot hot = Evidence.Hot.NONE;
    Evidence.Figure figure = new Evidence.Figure(30, 0, null);
    Evidence.Box subject = new Evidence.Box(0.1, 0.1, 0.8, 0.8);
    double focalX = 0.5, focalY = 0.5;
    int[] torso;
    Evidence.Box opaque;
    double[] appearance = new double[Appearance.LENGTH];

    EvidenceBuilder face(double x, double y, double w, double score, double second, double lit) {
        faces.add(new Evidence.Face(new Evidence.Box(x, y, w, w * width / height), score, second, lit));
        return this;
    }

    EvidenceBuilder dark(double fraction) {
        darkFraction = fraction;
        blackFraction = fraction * 0.8;
        meanLuma = 120 * (1 - fraction);
        borderLuma = 10;
        return this;
    }

    Evidence build() {
        return new Evidence(width, height, sourceWidth, sourceHeight, faces, textFraction, null, meanLuma, darkFraction,
                blackFraction, clippedHigh, clippedLow, whiteFraction, meanSaturation, syntheticHue, warmFraction,
                flatFraction, dominantShare, colourCount, sharpness, edgeDensity, verticality, skyTop, groundContrast,
                pointSources, blob, lines, borderSpread, borderLuma, hot, figure, subject, focalX, focalY, torso, opaque, appearance);
    }
}
