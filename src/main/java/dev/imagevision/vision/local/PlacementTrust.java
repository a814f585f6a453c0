package dev.imagevision.vision.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How far the crop follows each kind of evidence for where the subject is, away from the centre
 * prior. A confirmed face or one object on a plain backdrop is rarely wrong; the saliency weight's
 * centroid often is, on images unlike those it was looked at on, and a centred window keeps more
 * subjects than a window moved by a wrong guess. These levels are fitted, not written by hand:
 * {@code imagevision eval --folds K} chooses them on the training folds only and reports the
 * held-out folds, and {@link #SHIPPED} is what the same fit chooses on the whole labelled dev set.
 */
public record PlacementTrust(Trust face, Trust figure, Trust darkGroup, Trust saliency) {

    /**
     * What the window does with one cue: stay centred; go halfway to its focal point; move from the
     * centre only as far as it takes to keep the cue's whole box (the least move that keeps both
     * the cue's subject and as much of a centred one as it can); centre on its focal point; or centre
     * on its focal point and keep its box.
     */
    public enum Trust {
        CENTRE(0), HALFWAY(0.5), COVER(0), FOCAL(1), BOX(1);

        final double pull;

        Trust(double pull) {
            this.pull = pull;
        }
    }

    /** Which evidence placed the subject (see {@link Judge#cue}). */
    public enum Cue { FACE, FIGURE, DARK_GROUP, SALIENCY }

    /**
     * What the fit chooses on the whole 84-image dev set; folder-split cross-validation (5 folds) picks
     * the same for faces in four folds, the same or a more cautious level for dark-frame groups in four,
     * and halfway for saliency in four. No dev image had a plain-backdrop figure, so the fit leaves that
     * cue at the centre rather than trust it unmeasured.
     */
    public static final PlacementTrust SHIPPED = new PlacementTrust(Trust.BOX, Trust.CENTRE, Trust.FOCAL, Trust.HALFWAY);

    public Trust of(Cue cue) {
        return switch (cue) {
            case FACE -> face;
            case FIGURE -> figure;
            case DARK_GROUP -> darkGroup;
            case SALIENCY -> saliency;
        };
    }

    /** Total trust, for preferring the more cautious of two levels that keep as many subjects. */
    public int boldness() {
        return face.ordinal() + figure.ordinal() + darkGroup.ordinal() + saliency.ordinal();
    }

    /** Every combination of levels, most cautious first, so a fit that breaks ties by order stays near the centre. */
    public static List<PlacementTrust> all() {
        List<PlacementTrust> out = new ArrayList<>();
        for (Trust a : Trust.values())
            for (Trust b : Trust.values())
                for (Trust c : Trust.values())
                    for (Trust d : Trust.values()) out.add(new PlacementTrust(a, b, c, d));
        out.sort(Comparator.comparingInt(PlacementTrust::boldness));
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "face " + name(face) + ", figure " + name(figure) + ", dark group " + name(darkGroup) + ", saliency " + name(saliency);
    }

    private static String name(Trust t) {
        return t.name().toLowerCase(java.util.Locale.ROOT);
    }
}
