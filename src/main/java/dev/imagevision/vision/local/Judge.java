package dev.imagevision.vision.local;

import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;

import java.util.Arrays;
import java.util.Locale;

/** Turns evidence into the judgement fields. Pure, so every rule is tested without images. */
final class Judge {
    private Judge() {}

    static Judgement judgement(Evidence ev) {
        return judgement(ev, PlacementTrust.SHIPPED, CategoryModel.shipped());
    }

    static Judgement judgement(Evidence ev, PlacementTrust trust, CategoryModel categories) {
        Category category = category(ev, categories);
        SubjectBox box = box(ev);
        FocalPoint focal = focal(ev);
        if (!box.contains(focal)) {
            focal = FocalPoint.of(Math.max(box.x(), Math.min(box.x() + box.w(), focal.x())),
                    Math.max(box.y(), Math.min(box.y() + box.h(), focal.y())));
        }
        PlacementTrust.Trust t = trust.of(cue(ev));
        if (t == PlacementTrust.Trust.COVER) {
            // the frame's centre as the point to stay near, the cue's box as what must stay in
            focal = box.contains(FocalPoint.CENTRE) ? FocalPoint.CENTRE
                    : FocalPoint.of(Math.max(box.x(), Math.min(box.x() + box.w(), 0.5)), Math.max(box.y(), Math.min(box.y() + box.h(), 0.5)));
        } else if (t != PlacementTrust.Trust.BOX) {
            // not sure enough of the box to let it move the window: the whole frame may be subject, and
            // the focal point moves only as far as the cue is trusted from the centre prior
            focal = FocalPoint.of(0.5 + t.pull * (focal.x() - 0.5), 0.5 + t.pull * (focal.y() - 0.5));
            box = SubjectBox.of(0, 0, 1, 1);
        }
        if (ev.opaque() != null) {
            // transparency is certain, not a guess: what is clear is not subject, so the box keeps to the opaque part
            Evidence.Box o = ev.opaque();
            double x0 = Math.max(box.x(), o.x()), y0 = Math.max(box.y(), o.y());
            double x1 = Math.min(box.x() + box.w(), o.x() + o.w()), y1 = Math.min(box.y() + box.h(), o.y() + o.h());
            box = x1 > x0 && y1 > y0 ? SubjectBox.of(x0, y0, x1 - x0, y1 - y0) : SubjectBox.of(o.x(), o.y(), o.w(), o.h());
            focal = FocalPoint.of(Math.max(box.x(), Math.min(box.x() + box.w(), focal.x())),
                    Math.max(box.y(), Math.min(box.y() + box.h(), focal.y())));
        }
        return new Judgement(score(ev, category), sentence(ev, category), category, focal, box, true, null);
    }

    /** The evidence {@link #box} and {@link #focal} follow, in the order they are consulted. */
    static PlacementTrust.Cue cue(Evidence ev) {
        if (confirmedFace(ev) != null) return PlacementTrust.Cue.FACE;
        if (plainBackdrop(ev)) return PlacementTrust.Cue.FIGURE;
        Evidence.Box g = ev.blob().group();
        if (darkFrame(ev) && g != null && g.area() > 0) return PlacementTrust.Cue.DARK_GROUP;
        return PlacementTrust.Cue.SALIENCY;
    }

    /**
     * A face the detector is sure of at both looks, or fairly sure of when it sits among lit
     * surroundings (a body, a room) rather than in black sky, where round disks fool it.
     */
    static Evidence.Face confirmedFace(Evidence ev) {
        Evidence.Face best = null;
        for (Evidence.Face f : ev.faces()) {
            if (!confirmed(f)) continue;
            if (best == null || f.box().area() > best.box().area()) best = f;
        }
        return best;
    }

    static boolean confirmed(Evidence.Face f) {
        double sure = Math.min(f.score(), f.secondLook());
        return f.box().w() >= MIN_FACE && (sure >= SURE || (sure >= FAIRLY_SURE && f.litSurround() >= 0.6));
    }

    /** Confidence at both looks that confirms a face anywhere, and that confirms one among lit surroundings. */
    static final double SURE = 0.78, FAIRLY_SURE = 0.65;
    /** Faces narrower than this share of the frame are too small to trust. */
    static final double MIN_FACE = 0.02;

    /** The lower of the two looks counts, so a candidate below these at its first look cannot be confirmed. */
    static boolean confirmable(double firstLook, double width) {
        return firstLook >= FAIRLY_SURE && width >= MIN_FACE;
    }

    static boolean blank(Evidence ev) {
        return ev.colourCount() <= 2 && (ev.meanLuma() < 3 || ev.meanLuma() > 252);
    }

    /**
     * Point sources with long straight segments among them: a star chart with its figure lines, or a
     * figure drawn over a starry backdrop. Photographed sky has stars but no straight edges; the
     * fewer the stars, the more drawn line it takes (a sparse backdrop behind a labelled figure). Not
     * above a horizon: a night landscape has stars and straight ridges too.
     */
    static boolean starChart(Evidence ev) {
        // stars over a smooth-sky-above-textured-ground split are a night landscape, whose ridges are straight too
        if (ev.darkFraction() < 0.4 || horizon(ev)) return false;
        double stars = ev.pointSources(), lines = ev.lines().total();
        return (stars >= 20 && lines >= 0.25) || (stars >= 10 && lines >= DRAWN_LINES);
    }

    /** Straight segments (in long edges) that make a dark frame with a sparse star backdrop a drawn figure. */
    static final double DRAWN_LINES = 2.5;




    /**
     * One compact, whole object standing out from a plain, lit backdrop (a studio or clean-room
     * sheet, a grey wall): how a craft is shown on its own. Black backdrops are left to the dark-frame
     * rules, where a round body is a planet and a lone irregular one usually an artist's concept.
     */
    static boolean plainBackdrop(Evidence ev) {
        Evidence.Figure f = ev.figure();
        return f.borderSpread() <= Evidence.PLAIN_BORDER && ev.borderLuma() >= LIT_BACKDROP && f.whole()
                && f.share() >= 0.03 && f.share() <= 0.6 && f.box().area() <= 0.6;
    }

    /** Border brightness (0–255) from which a plain backdrop counts as lit rather than black space. */
    static final double LIT_BACKDROP = 60;

    static boolean darkFrame(Evidence ev) {
        return ev.darkFraction() >= 0.4;
    }


    /** A smooth upper band over a brighter, textured lower part: sky over ground. */
    static boolean horizon(Evidence ev) {
        return ev.skyTop() >= 4 && ev.groundContrast() >= 45 && ev.edgeDensity() >= 0.09;
    }

    /** On a dark frame, the brightest region is a tall thin streak: a rocket's trail or plume. */
    static boolean streak(Evidence ev) {
        Measure.Blob b = ev.blob();
        double tall = b.h() * ev.height();
        double wide = Math.max(1, b.w() * ev.width());
        return b.area() > 0.01 && tall / wide >= 3 && b.h() >= 0.5;
    }

    /**
     * Full-brightness pixels along a tall, thin line whose lower end is near the bottom of the frame:
     * an exhaust trail rising from the ground (a long exposure of a launch, a rocket climbing away).
     * A lit tower or a crescent limb is rarely at full brightness, and does not rise from the frame's
     * foot.
     */
    static boolean trail(Evidence ev) {
        Evidence.Hot hot = ev.hot();
        // pixels spread evenly along a segment: its ends lie √3 standard deviations from their centroid
        return hot.share() >= 0.0005 && hot.sy() >= 0.12 && hot.sy() >= 3 * hot.sx()
                && hot.cy() + Math.sqrt(3) * hot.sy() >= 0.85;
    }


    /** A compact hot spot (white or yellow-orange at full brightness) low in the frame: an engine plume. */
    static boolean plume(Evidence ev) {
        Evidence.Hot hot = ev.hot();
        return hot.share() >= 0.005 && hot.cy() >= 0.7 && hot.sx() <= 0.07;
    }



    /**
     * A blank frame is other and a confirmed face is a person (both measured, not guessed); anything
     * else is what the learned model makes of the frame's appearance. The hand-written rules that
     * used to decide here scored 0.69 on the images they were written from and 0.33–0.49 on images
     * they had never seen; the model is judged cross-validated by source folder (docs/local-provider.md).
     */
    static Category category(Evidence ev, CategoryModel model) {
        if (blank(ev)) return Category.OTHER;
        if (confirmedFace(ev) != null) return Category.PEOPLE;
        return model.predict(categoryFeatures(ev));
    }

    /** How many numbers {@link #categoryFeatures} gives: the descriptor and six statistics. */
    static final int CATEGORY_FEATURES = Appearance.LENGTH + 6;

    /**
     * What the category model reads: the appearance descriptor, then six measured statistics that tell
     * a made graphic from a photograph (share of text, rainbow colour-map hue, flat white, flat areas,
     * how many colours, the dominant colour's share), each as log(1 + x). Adding them lifted the
     * leave-one-source-out accuracy from 0.63 to 0.66 and diagram recall from 4 to 6 of 13
     * (docs/local-provider.md, "How it decides").
     */
    static double[] categoryFeatures(Evidence ev) {
        double[] a = ev.appearance();
        double[] stats = {ev.textFraction(), ev.syntheticHue(), ev.whiteFraction(), ev.flatFraction(), ev.colourCount(),
                ev.dominantShare()};
        double[] out = Arrays.copyOf(a, a.length + stats.length);
        for (int i = 0; i < stats.length; i++) out[a.length + i] = Math.log1p(Math.max(0, stats[i]));
        return out;
    }

    /**
     * A confirmed face; else the subject weight's centroid, drawn towards the frame's centre as the
     * subject box grows: a box that covers most of the frame says the weight is spread out, and then
     * its centroid is a weak guess that a centred crop beats.
     */
    static FocalPoint focal(Evidence ev) {
        Evidence.Face face = confirmedFace(ev);
        if (face != null) return FocalPoint.of(face.box().cx(), face.box().cy());
        SubjectBox box = box(ev);
        double doubt = Math.max(0, Math.min(1, (box.area() - SPREAD_FROM) / (SPREAD_TO - SPREAD_FROM)));
        return FocalPoint.of(ev.focalX() + doubt * (0.5 - ev.focalX()), ev.focalY() + doubt * (0.5 - ev.focalY()));
    }

    /** Box areas (fractions of the frame) over which the focal point moves from the centroid to the centre. */
    static final double SPREAD_FROM = 0.5, SPREAD_TO = 1.0;

    /**
     * How far the person box reaches from the face centre, in face sizes: sideways, above, below
     * (head and shoulders); in a close portrait at most {@link #PERSON_REACH} of the frame below the face,
     * so the crop keeps the head rather than the chest.
     */
    static final double PERSON_SIDE = 1.8, PERSON_ABOVE = 1.2, PERSON_BELOW = 2.0, PERSON_REACH = 0.35;

    /**
     * A person around a confirmed face; an object on a plain backdrop, the span of what stands out
     * from it; on a dark frame, every bright region that matters; else the span of the subject weight.
     */
    static SubjectBox box(Evidence ev) {
        Evidence.Face face = confirmedFace(ev);
        if (face != null) {
            Evidence.Box f = face.box();
            double x0 = f.cx() - f.w() * PERSON_SIDE, x1 = f.cx() + f.w() * PERSON_SIDE;
            double y0 = f.cy() - f.h() * PERSON_ABOVE;
            double y1 = f.cy() + Math.min(PERSON_REACH, f.h() * PERSON_BELOW);
            return SubjectBox.of(x0, y0, x1 - x0, y1 - y0);
        }
        if (plainBackdrop(ev) && confirmedFace(ev) == null) {
            Evidence.Box fb = ev.figure().box();
            double m = 0.02;
            return SubjectBox.of(fb.x() - m, fb.y() - m, fb.w() + 2 * m, fb.h() + 2 * m);
        }
        Evidence.Box g = ev.blob().group();
        if (darkFrame(ev) && g != null && g.area() > 0) {
            double m = 0.02;
            return SubjectBox.of(g.x() - m, g.y() - m, g.w() + 2 * m, g.h() + 2 * m);
        }
        Evidence.Box s = ev.subject();
        return SubjectBox.of(s.x(), s.y(), s.w(), s.h());
    }

    /**
     * 1–10. Technical quality (sharpness, exposure clipping, resolution) places the image within a
     * band its category sets: mission imagery can reach the top, renders and people less, graphics
     * stay low, as an editor ranks them. Text over a photograph costs a point. BRISQUE was measured
     * and left out: on the dev set it did not track editorial quality of photographs (Spearman 0.03).
     */
    static int score(Evidence ev, Category category) {
        double sharp = Math.min(1, Math.log1p(ev.sharpness()) / Math.log1p(1500));
        double exposure = 1 - Math.min(1, ev.clippedHigh() * 5 + Math.max(0, ev.clippedLow() - 0.5) * 2);
        double megapixels = (double) ev.sourceWidth() * ev.sourceHeight() / 1e6;
        double resolution = Math.max(0, Math.min(1, Math.log(megapixels / 0.25) / Math.log(16)));
        double q = 0.35 * sharp + 0.25 * exposure + 0.40 * resolution;
        int[] band = switch (category) {
            case SPACECRAFT, SURFACE, LAUNCH, ORBITAL, HARDWARE -> new int[] {4, 9};
            case RENDER -> new int[] {3, 7};
            case PEOPLE -> new int[] {3, 6};
            case DIAGRAM -> new int[] {2, 4};
            case OTHER -> new int[] {1, 4};
        };
        int score = (int) Math.round(band[0] + (band[1] - band[0]) * q);
        if (ev.textFraction() >= TEXT_OVERLAY && category != Category.DIAGRAM) score--;
        return Math.max(1, Math.min(10, score));
    }

    /** Share of text pixels above which a photograph carries a caption, a logo or a watermark. */
    static final double TEXT_OVERLAY = 0.003;

    /**
     * A sentence from what was measured (where the face or the subject is, what the frame looks like)
     * and, where only the learned category says what it is, worded as a likeness ("looks like a
     * launch"). It names no object it cannot recognise (a planet is "a round body").
     */
    static String sentence(Evidence ev, Category category) {
        return sentence(ev, category, focal(ev));
    }

    static String sentence(Evidence ev, Category category, FocalPoint at) {
        String where = where(at.x(), at.y());
        String s = switch (category) {
            case PEOPLE -> confirmedFace(ev) != null ? people(ev) : "Looks like people at work or posing, subject at " + where;
            case DIAGRAM -> ev.textFraction() >= 0.02 ? "Text-heavy graphic: a slide, chart or title card"
                    : ev.syntheticHue() >= 0.15 ? "False-colour data map or visualisation"
                    : starChart(ev) ? "Star chart: point sources joined by straight figure lines"
                    : "Looks like a chart, map or figure, subject at " + where;
            case ORBITAL -> orbital(ev, where);
            case LAUNCH -> (streak(ev) || trail(ev)) && darkFrame(ev) ? "Bright vertical streak across a dark frame, like a launch trail"
                    : trail(ev) && !plume(ev) ? "Bright trail rising from low in the frame, like a rocket climbing away, at " + where
                    : plume(ev) ? "Bright plume low in the frame with sky above, subject at " + where
                    : "Looks like a launch or a rocket on its pad, subject at " + where;
            case SURFACE -> horizon(ev) ? "Ground under a smooth sky, subject at " + where
                    : "Looks like planetary terrain, subject at " + where;
            case HARDWARE -> "Looks like hardware or a work floor (a hangar, a clean room, a test stand), subject at " + where;
            case RENDER -> "Looks like an artist's concept or a rendering, subject at " + where;
            case SPACECRAFT -> "Looks like a spacecraft, rover or station, subject at " + where;
            case OTHER -> blank(ev) ? "Blank or fully transparent frame" : "Not a space scene (a logo, a screenshot or an unrelated photo), subject at " + where;
        };
        return s + ".";
    }

    private static String people(Evidence ev) {
        Evidence.Face main = confirmedFace(ev);
        long count = ev.faces().stream().filter(Judge::confirmed).count();
        String clothes = colourName(ev.torsoRgb());
        String who = count > 1 ? count + " people" : "A person";
        String dressed = clothes == null ? "" : (count > 1 ? ", the nearest in " : " in ") + clothes;
        String face = count > 1 ? ", nearest face at " : ", face at ";
        return who + dressed + face + where(main.box().cx(), main.box().cy());
    }

    private static String orbital(Evidence ev, String where) {
        Measure.Blob b = ev.blob();
        if (darkFrame(ev) && b.area() >= 0.02 && b.fill() >= 0.65 && !b.touchesEdge()) {
            return "Round body on a dark background, at " + where;
        }
        if (darkFrame(ev) && b.area() >= 0.05 && b.touchesEdge()) return "Curved limb against dark space, at " + where;
        if (ev.pointSources() >= 20) return "Star field with many point sources";
        if (darkFrame(ev)) return "Dark frame with a bright subject at " + where;
        // nothing measured says what it is (the frame may be flat): only the learned category does, so it is a likeness
        return "Looks like a view from orbit or of the sky (clouds, ice, a nebula), subject at " + where;
    }

    /** A plain colour word for a mean colour, or null when it is too murky to name. */
    static String colourName(int[] rgb) {
        if (rgb == null) return null;
        int r = rgb[0], g = rgb[1], b = rgb[2];
        int mx = Math.max(r, Math.max(g, b)), mn = Math.min(r, Math.min(g, b));
        double sat = mx == 0 ? 0 : (mx - mn) / (double) mx;
        if (mx <= 60) return "black"; // saturation means little this dark
        if (sat < 0.2) {
            if (mx >= 180) return "white";
            return mx >= 110 ? "light grey" : "dark grey";
        }
        if (sat < 0.35 || mx < 70) return null;
        double d = mx - mn;
        double hue = mx == r ? 60 * (((g - b) / d) % 6) : mx == g ? 60 * ((b - r) / d + 2) : 60 * ((r - g) / d + 4);
        if (hue < 0) hue += 360;
        if (hue < 10 || hue >= 330) return "red";
        if (hue < 40) return "orange";
        if (hue < 70) return "yellow";
        if (hue < 170) return "green";
        if (hue < 260) return "blue";
        return "purple";
    }

    static String where(double x, double y) {
        String v = y < 0.36 ? "upper" : y > 0.64 ? "lower" : "";
        String hz = x < 0.36 ? "left" : x > 0.64 ? "right" : "";
        if (v.isEmpty() && hz.isEmpty()) return "centre";
        if (v.isEmpty()) return "centre " + hz;
        if (hz.isEmpty()) return v + " centre";
        return String.format(Locale.ROOT, "%s %s", v, hz);
    }
}
