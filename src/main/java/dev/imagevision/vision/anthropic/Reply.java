package dev.imagevision.vision.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks and normalises the tool input the model returned, pure. Small slips are repaired (a
 * score of 7.6 or "8", a coordinate a hair outside 0–1, a long subject, a focal point outside its
 * box); anything that would mean guessing (a missing field, an unknown category, a coordinate that
 * is clearly not a fraction) is a problem, and the reply is asked for again.
 */
public final class Reply {
    private Reply() {}

    /** A usable judgement, or the problems that make the reply unusable (never both). */
    public record Checked(Judgement judgement, List<String> problems) {
        public boolean usable() {
            return judgement != null;
        }
    }

    /** How far outside 0–1 a coordinate may stray and still be read as a slip and clamped. */
    static final double SLACK = 0.05;
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
        return (int) Math.max(1, Math.min(10, Math.round(v)));
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

    /** The box clamped into the image; none when absent or without area (crops then centre on the focal point). */
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
        SubjectBox b = SubjectBox.of(x, y, w, h);
        return b.w() > 0 && b.h() > 0 ? b : null;
    }

    /** The focal point clamped into the image and moved into the subject box; the box's centre when only a box came back. */
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
        if (v == null || v < -SLACK || v > 1 + SLACK) {
            problems.add(name + " is " + describe(n) + ", expected a fraction 0-1");
            return null;
        }
        return v;
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

    /** A finite number, or a string holding one. */
    static Double number(JsonNode n) {
        if (n == null) return null;
        double v;
        if (n.isNumber()) v = n.asDouble();
        else if (n.isTextual()) {
            try {
                v = Double.parseDouble(n.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
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
