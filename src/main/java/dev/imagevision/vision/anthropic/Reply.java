package dev.imagevision.vision.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks and normalises the tool input the model returned, pure. A number outside the rubric is
 * never pulled into it: a score of 11 or −3, 1e308, "NaN", a coordinate outside the frame or a box
 * that runs off it makes the reply unusable, and it is asked for again (then the image fails). What
 * is repaired, field by field:
 * <ul>
 *   <li>score: a number or numeric string on the 1–10 scale (to within {@link #ROUNDING}); a
 *       fraction on the scale (7.6) is rounded to the nearest whole score;</li>
 *   <li>focal_point and subject_box: every number in 0–1 and the box's far edges (x + w, y + h) at
 *       most 1, each to within {@link #ROUNDING}, which is clamped away (float noise such as
 *       1.0000001 or 0.3334 + 0.6667); a box without area is no box; a focal point outside its box
 *       (both in the frame) is moved to the box's nearest edge, the box being what a crop keeps whole;</li>
 *   <li>subject and reject_reason: whitespace collapsed, control characters dropped, cut at a word;</li>
 *   <li>category and subject_match: any case, surrounding spaces, "true"/"false" as text.</li>
 * </ul>
 * Anything that would mean guessing (a missing field, an unknown category) is a problem too.
 */
public final class Reply {
    private Reply() {}

    /** A usable judgement, or the problems that make the reply unusable (never both). */
    public record Checked(Judgement judgement, List<String> problems) {
        public boolean usable() {
            return judgement != null;
        }
    }

    /**
     * How far past the end of its range a number may stray and still be read as rounding noise: a
     * thousandth of the frame is under two pixels of a 1568-pixel upload, and covers boxes whose
     * parts were each rounded to three or four places.
     */
    static final double ROUNDING = 0.001;
    static final int MIN_SCORE = 1;
    static final int MAX_SCORE = 10;
    static final int MAX_REASON = 200;

    public static Checked check(JsonNode input) {
        List<String> problems = new ArrayList<>();
        if (input == null || !input.isObject()) {
            return new Checked(null, List.of("the reply did not carry a record_judgement object"));
        }
        Integer score = score(input.get("score"), problems);
        String subject = subject(input.get("subject"), problems);
        Category category = category(input.get("category"), problems);
        SubjectBox box = box(input.get("subject_box"), problems);
        FocalPoint focal = focal(input.get("focal_point"), box, problems);
        Boolean match = bool(input.get("subject_match"), "subject_match", problems);
        if (!problems.isEmpty()) return new Checked(null, List.copyOf(problems));
        String reason = text(input.get("reject_reason"), MAX_REASON).orElse(null);
        if (!match && reason == null) reason = "off-subject";
        return new Checked(new Judgement(score, subject, category, focal, box, match, reason), List.of());
    }

    static Integer score(JsonNode n, List<String> problems) {
        Double v = number(n);
        if (v == null) {
            problems.add("score is " + describe(n) + ", expected an integer 1-10");
            return null;
        }
        if (v < MIN_SCORE - ROUNDING || v > MAX_SCORE + ROUNDING) {
            problems.add("score is " + describe(n) + ", outside the rubric's 1-10");
            return null;
        }
        return (int) Math.max(MIN_SCORE, Math.min(MAX_SCORE, Math.round(v)));
    }

    static String subject(JsonNode n, List<String> problems) {
        Optional<String> s = text(n, Judgement.MAX_SUBJECT);
        if (s.isEmpty()) problems.add("subject is " + describe(n) + ", expected one sentence of alt text");
        return s.orElse(null);
    }

    static Category category(JsonNode n, List<String> problems) {
        Optional<Category> c = n != null && n.isTextual() ? Category.parse(n.asText()) : Optional.empty();
        if (c.isEmpty()) problems.add("category is " + describe(n) + ", expected one of " + Prompt.CATEGORIES);
        return c.orElse(null);
    }

    /** The box, rounding noise at the frame's edges clamped away; none when absent or without area (crops then centre on the focal point). */
    static SubjectBox box(JsonNode n, List<String> problems) {
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) {
            problems.add("subject_box is " + describe(n) + ", expected {x, y, w, h}");
            return null;
        }
        Double x = fraction(n.get("x"), "subject_box.x", problems);
        Double y = fraction(n.get("y"), "subject_box.y", problems);
        Double w = fraction(n.get("w"), "subject_box.w", problems);
        Double h = fraction(n.get("h"), "subject_box.h", problems);
        if (x == null || y == null || w == null || h == null) return null;
        if (x + w > 1 + ROUNDING || y + h > 1 + ROUNDING) {
            problems.add("subject_box runs off the image (x + w = " + edge(x + w) + ", y + h = " + edge(y + h)
                    + "), expected both at most 1");
            return null;
        }
        SubjectBox b = SubjectBox.of(x, y, w, h);
        return b.w() > 0 && b.h() > 0 ? b : null;
    }

    private static String edge(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** The focal point (rounding noise at the frame's edges clamped away) moved into the subject box; the box's centre when only a box came back. */
    static FocalPoint focal(JsonNode n, SubjectBox box, List<String> problems) {
        if ((n == null || n.isNull()) && box != null) return FocalPoint.of(box.x() + box.w() / 2, box.y() + box.h() / 2);
        if (n == null || !n.isObject()) {
            problems.add("focal_point is " + describe(n) + ", expected {x, y}");
            return null;
        }
        Double x = fraction(n.get("x"), "focal_point.x", problems);
        Double y = fraction(n.get("y"), "focal_point.y", problems);
        if (x == null || y == null) return null;
        FocalPoint p = FocalPoint.of(x, y);
        return box == null ? p : intoBox(p, box);
    }

    static FocalPoint intoBox(FocalPoint p, SubjectBox b) {
        FocalPoint q = FocalPoint.of(Math.max(b.x(), Math.min(b.x() + b.w(), p.x())), Math.max(b.y(), Math.min(b.y() + b.h(), p.y())));
        if (b.contains(q)) return q;
        // rounding to 4 places pushed it a hair past the edge: the edge itself, unrounded
        return new FocalPoint(Math.max(b.x(), Math.min(b.x() + b.w(), q.x())), Math.max(b.y(), Math.min(b.y() + b.h(), q.y())));
    }

    static Double fraction(JsonNode n, String name, List<String> problems) {
        Double v = number(n);
        if (v == null || v < -ROUNDING || v > 1 + ROUNDING) {
            problems.add(name + " is " + describe(n) + ", expected a fraction 0-1");
            return null;
        }
        return Math.max(0, Math.min(1, v));
    }

    static Boolean bool(JsonNode n, String name, List<String> problems) {
        if (n != null && n.isBoolean()) return n.asBoolean();
        if (n != null && n.isTextual()) {
            String t = n.asText().strip();
            if (t.equalsIgnoreCase("true")) return true;
            if (t.equalsIgnoreCase("false")) return false;
        }
        problems.add(name + " is " + describe(n) + ", expected true or false");
        return null;
    }

    /** Plain decimal notation: what a JSON number looks like (no "NaN", "Infinity", hex or "8d"). */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?\\d+(\\.\\d*)?([eE][-+]?\\d+)?|[-+]?\\.\\d+([eE][-+]?\\d+)?");

    /** A finite number, or a string holding one in decimal notation. */
    static Double number(JsonNode n) {
        if (n == null) return null;
        double v;
        if (n.isNumber()) v = n.asDouble();
        else if (n.isTextual()) {
            String t = n.asText().strip();
            if (!DECIMAL.matcher(t).matches()) return null;
            v = Double.parseDouble(t);
        } else return null;
        return Double.isFinite(v) ? v : null;
    }

    /** Text on one line, whitespace collapsed, control characters dropped, cut at a word to {@code max}; empty → none. */
    static Optional<String> text(JsonNode n, int max) {
        if (n == null || !n.isTextual()) return Optional.empty();
        StringBuilder b = new StringBuilder();
        n.asText().codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        String s = b.toString().replaceAll("\\s+", " ").strip();
        if (s.isEmpty()) return Optional.empty();
        if (s.length() > max) s = shorten(s, max);
        return Optional.of(s);
    }

    /** At most {@code max} chars, cut at the last space when there is one in the second half, ending in "…". */
    static String shorten(String s, int max) {
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--; // never split a character in two
        String head = s.substring(0, end);
        int space = head.lastIndexOf(' ');
        if (space > head.length() / 2) head = head.substring(0, space);
        return head.stripTrailing() + "…";
    }

    static String describe(JsonNode n) {
        if (n == null) return "missing";
        String t = n.toString();
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }
}
