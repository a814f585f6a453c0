package dev.imagevision.vision.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.Judgement;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyTest {
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    static ObjectNode good() {
        return FakeAnthropic.goodInput();
    }

    @Test
    void aGoodReplyBecomesAJudgement() {
        Reply.Checked c = Reply.check(good());
        assertThat(c.usable()).isTrue();
        Judgement j = c.judgement();
        assertThat(j.score()).isEqualTo(8);
        assertThat(j.category()).isEqualTo(Category.LAUNCH);
        assertThat(j.focalPoint().x()).isEqualTo(0.5);
        assertThat(j.subjectBox().w()).isEqualTo(0.4);
        assertThat(j.rejectReason()).isNull();
    }

    @Test
    void smallSlipsAreRepaired() {
        ObjectNode in = good();
        in.put("score", 7.6);
        in.put("category", " Spacecraft ");
        in.put("subject", "  The   probe\n in orbit. ");
        in.put("subject_match", "false");
        in.putObject("focal_point").put("x", 1.0000001).put("y", "0.2");
        Judgement j = Reply.check(in).judgement();
        assertThat(j.score()).isEqualTo(8);
        assertThat(j.category()).isEqualTo(Category.SPACECRAFT);
        assertThat(j.subject()).isEqualTo("The probe in orbit.");
        assertThat(j.subjectMatch()).isFalse();
        assertThat(j.rejectReason()).isEqualTo("off-subject");
        // float noise past the frame's edge is clamped away, then the point is moved into its box (0.3–0.7 × 0.1–0.9)
        assertThat(j.focalPoint().x()).isEqualTo(0.7);
        assertThat(j.focalPoint().y()).isEqualTo(0.2);
    }

    @Test
    void numbersOutsideTheRubricAreUnusableNeverClamped() {
        assertThat(Reply.check(good().put("score", 11)).problems()).containsExactly("score is 11, outside the rubric's 1-10");
        assertThat(Reply.check(good().put("score", -3)).usable()).isFalse();
        assertThat(Reply.check(good().put("score", 0)).usable()).isFalse();
        assertThat(Reply.check(good().put("score", 1e308)).usable()).isFalse();
        assertThat(Reply.check(good().put("score", 10.4)).usable()).isFalse();
        for (String nanLike : new String[] {"NaN", "Infinity", "-Infinity", "0x8p0", "8d", "1e999"}) {
            assertThat(Reply.check(good().put("score", nanLike)).usable()).as(nanLike).isFalse();
        }
        ObjectNode focalOut = good();
        focalOut.putObject("focal_point").put("x", 1.03).put("y", 0.5);
        assertThat(Reply.check(focalOut).problems()).anyMatch(p -> p.startsWith("focal_point.x is 1.03"));
        ObjectNode negative = good();
        negative.putObject("focal_point").put("x", 0.5).put("y", -0.2);
        assertThat(Reply.check(negative).problems()).anyMatch(p -> p.startsWith("focal_point.y"));
        ObjectNode boxOff = good();
        boxOff.putObject("subject_box").put("x", 0.6).put("y", 0.1).put("w", 0.6).put("h", 0.5);
        assertThat(Reply.check(boxOff).problems()).anyMatch(p -> p.startsWith("subject_box runs off the image"));
        ObjectNode negativeWidth = good();
        negativeWidth.putObject("subject_box").put("x", 0.6).put("y", 0.1).put("w", -0.2).put("h", 0.5);
        assertThat(Reply.check(negativeWidth).problems()).anyMatch(p -> p.startsWith("subject_box.w"));
    }

    @Test
    void roundingNoiseAtTheEdgesIsTolerated() {
        assertThat(Reply.check(good().put("score", 10.0000001)).judgement().score()).isEqualTo(10);
        assertThat(Reply.check(good().put("score", "0.9999999")).judgement().score()).isEqualTo(1);
        ObjectNode edge = good();
        edge.putObject("subject_box").put("x", 0.3334).put("y", 0).put("w", 0.6667).put("h", 1.0000001);
        edge.putObject("focal_point").put("x", 1.0000001).put("y", -0.0000001);
        Judgement j = Reply.check(edge).judgement();
        assertThat(j.subjectBox().x() + j.subjectBox().w()).isLessThanOrEqualTo(1.0);
        assertThat(j.subjectBox().h()).isEqualTo(1.0);
        assertThat(j.focalPoint()).isEqualTo(new dev.imagevision.vision.FocalPoint(1.0, 0.0));
    }

    @Test
    void aLongSubjectIsCutAtAWordWithinTheLimit() {
        String longText = "A remarkably detailed view of the spacecraft ".repeat(12);
        Judgement j = Reply.check(good().put("subject", longText)).judgement();
        assertThat(j.subject().length()).isLessThanOrEqualTo(Judgement.MAX_SUBJECT);
        assertThat(j.subject()).endsWith("…").doesNotContain("  ");
    }

    @Test
    void whatWouldNeedGuessingIsAProblem() {
        assertThat(Reply.check(good().put("category", "spaceship")).problems()).anyMatch(p -> p.startsWith("category"));
        assertThat(Reply.check(good().put("score", "great")).problems()).anyMatch(p -> p.startsWith("score"));
        ObjectNode noMatch = good();
        noMatch.remove("subject_match");
        assertThat(Reply.check(noMatch).problems()).anyMatch(p -> p.startsWith("subject_match"));
        ObjectNode percent = good();
        percent.putObject("focal_point").put("x", 45).put("y", 50);
        assertThat(Reply.check(percent).problems()).anyMatch(p -> p.startsWith("focal_point.x"));
        assertThat(Reply.check(good().put("subject", "   ")).problems()).anyMatch(p -> p.startsWith("subject"));
        assertThat(Reply.check(F.textNode("a string")).usable()).isFalse();
        assertThat(Reply.check(null).usable()).isFalse();
    }

    @Test
    void aMissingOrEmptyBoxLeavesTheFocalPointAloneAndAMissingFocalPointTakesTheBoxCentre() {
        ObjectNode noBox = good();
        noBox.remove("subject_box");
        assertThat(Reply.check(noBox).judgement().subjectBox()).isNull();
        ObjectNode flat = good();
        flat.putObject("subject_box").put("x", 0.2).put("y", 0.2).put("w", 0).put("h", 0.5);
        assertThat(Reply.check(flat).judgement().subjectBox()).isNull();
        ObjectNode noFocal = good();
        noFocal.remove("focal_point");
        assertThat(Reply.check(noFocal).judgement().focalPoint().x()).isEqualTo(0.5);
        assertThat(Reply.check(noFocal).judgement().focalPoint().y()).isEqualTo(0.5);
    }

    /** Whatever the model sends, the result is either a valid judgement or problems, never both, never an exception. */
    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void everyReplyIsEitherValidOrRejected(@ForAll("replies") JsonNode reply) {
        Reply.Checked c = Reply.check(reply);
        if (c.usable()) {
            Judgement j = c.judgement();
            assertThat(j.score()).isBetween(1, 10);
            assertThat(j.subject()).isNotBlank().hasSizeLessThanOrEqualTo(Judgement.MAX_SUBJECT);
            assertThat(j.subject()).doesNotContain("\n");
            assertThat(j.focalPoint().x()).isBetween(0.0, 1.0);
            assertThat(j.focalPoint().y()).isBetween(0.0, 1.0);
            if (j.subjectBox() != null) {
                var b = j.subjectBox();
                assertThat(b.x() + b.w()).isLessThanOrEqualTo(1.0001);
                assertThat(b.y() + b.h()).isLessThanOrEqualTo(1.0001);
                assertThat(b.contains(j.focalPoint())).isTrue();
            }
            if (!j.subjectMatch()) assertThat(j.rejectReason()).isNotBlank();
            assertThat(c.problems()).isEmpty();
        } else {
            assertThat(c.problems()).isNotEmpty();
        }
    }

    @Provide
    Arbitrary<JsonNode> replies() {
        Arbitrary<JsonNode> number = Arbitraries.oneOf(Arbitraries.doubles().between(-3, 15).map(F::numberNode),
                Arbitraries.of(1e308, -1e308, Double.MAX_VALUE, Double.MIN_VALUE, 10.0000001, 0.9999999).map(F::numberNode),
                Arbitraries.of("NaN", "Infinity", "1e400", "11", "8").map(F::textNode));
        Arbitrary<JsonNode> anything = Arbitraries.oneOf(number, Arbitraries.strings().ofMaxLength(400).map(F::textNode),
                Arbitraries.of(F.booleanNode(true), F.booleanNode(false), F.nullNode()),
                Arbitraries.of(Category.values()).map(c -> F.textNode(c.id())));
        Arbitrary<JsonNode> unit = Arbitraries.oneOf(Arbitraries.doubles().between(-0.2, 1.2).map(F::numberNode),
                Arbitraries.of(1.0000001, -0.0000001, 1e308, -1e308).map(F::numberNode));
        Arbitrary<JsonNode> point = Combinators.combine(unit, unit).as((x, y) -> F.objectNode().<ObjectNode>set("x", x).set("y", y));
        Arbitrary<JsonNode> box = Combinators.combine(unit, unit, unit, unit).as((x, y, w, h) ->
                F.objectNode().<ObjectNode>set("x", x).<ObjectNode>set("y", y).<ObjectNode>set("w", w).set("h", h));
        return Combinators.combine(
                Arbitraries.oneOf(number, anything), Arbitraries.oneOf(anything, Arbitraries.strings().ofMinLength(1).ofMaxLength(600).map(F::textNode)),
                Arbitraries.oneOf(anything, Arbitraries.of(Category.values()).map(c -> F.textNode(c.id()))),
                Arbitraries.oneOf(point, anything), Arbitraries.oneOf(box, anything),
                Arbitraries.oneOf(Arbitraries.of(F.booleanNode(true), F.booleanNode(false)), anything),
                anything).as((score, subject, category, focal, sbox, match, reason) -> {
                    ObjectNode o = F.objectNode();
                    o.set("score", score);
                    o.set("subject", subject);
                    o.set("category", category);
                    o.set("focal_point", focal);
                    o.set("subject_box", sbox);
                    o.set("subject_match", match);
                    o.set("reject_reason", reason);
                    return o;
                });
    }

    // --- the rubric's ranges, for every number ------------------------------------------------

    /** A score is usable exactly when it lies on the 1–10 scale (to rounding noise); then it is its nearest whole score. */
    @Property(tries = 1000)
    void aScoreIsUsableExactlyWhenItIsOnTheScale(@ForAll("scoreValues") double v) {
        Reply.Checked c = Reply.check(good().put("score", v));
        boolean onScale = Double.isFinite(v) && v >= 1 - Reply.ROUNDING && v <= 10 + Reply.ROUNDING;
        assertThat(c.usable()).as("score %s", v).isEqualTo(onScale);
        if (onScale) {
            assertThat(c.judgement().score()).isBetween(1, 10);
            assertThat(Math.abs(c.judgement().score() - v)).isLessThanOrEqualTo(0.5 + Reply.ROUNDING);
        } else {
            assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p).startsWith("score is"));
        }
    }

    @Provide
    Arbitrary<Double> scoreValues() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-20, 30), Arbitraries.integers().between(-5, 15).map(i -> (double) i),
                Arbitraries.of(1e308, -1e308, Double.MAX_VALUE, -Double.MIN_VALUE, 10 + 1e-7, 1 - 1e-7, 10.002, 0.998,
                        Double.NaN, Double.POSITIVE_INFINITY));
    }

    /**
     * A focal point is usable exactly when both numbers lie in the frame (to rounding noise), and is
     * then never moved by more than that noise: nothing outside the frame is pulled in.
     */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.FIRST)
    void aFocalPointOutsideTheFrameIsUnusableAndOneInsideIsKept(@ForAll("coordinates") double x, @ForAll("coordinates") double y) {
        ObjectNode in = good();
        in.remove("subject_box");
        in.putObject("focal_point").put("x", x).put("y", y);
        Reply.Checked c = Reply.check(in);
        assertThat(c.usable()).as("(%s, %s)", x, y).isEqualTo(inFrame(x) && inFrame(y));
        if (c.usable()) {
            assertThat(Math.abs(c.judgement().focalPoint().x() - x)).isLessThanOrEqualTo(Reply.ROUNDING + 5e-5);
            assertThat(Math.abs(c.judgement().focalPoint().y() - y)).isLessThanOrEqualTo(Reply.ROUNDING + 5e-5);
        }
    }

    /**
     * A box is usable exactly when its four numbers and its far edges lie in the frame (to rounding
     * noise); a usable box is the one that was sent, to that noise and 4 decimals.
     */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE) // the values that matter are among coordinates()
    void aBoxThatRunsOffTheFrameIsUnusableAndOneInsideIsKept(@ForAll("coordinates") double x, @ForAll("coordinates") double y,
                                                            @ForAll("coordinates") double w, @ForAll("coordinates") double h) {
        ObjectNode in = good();
        in.putObject("focal_point").put("x", 0.5).put("y", 0.5);
        in.putObject("subject_box").put("x", x).put("y", y).put("w", w).put("h", h);
        Reply.Checked c = Reply.check(in);
        boolean inside = inFrame(x) && inFrame(y) && inFrame(w) && inFrame(h)
                && x + w <= 1 + Reply.ROUNDING && y + h <= 1 + Reply.ROUNDING;
        assertThat(c.usable()).as("(%s, %s, %s, %s)", x, y, w, h).isEqualTo(inside);
        if (c.usable() && c.judgement().subjectBox() != null) {
            var b = c.judgement().subjectBox();
            double slack = 2 * Reply.ROUNDING + 1e-4;
            assertThat(Math.abs(b.x() - x)).isLessThanOrEqualTo(slack);
            assertThat(Math.abs(b.y() - y)).isLessThanOrEqualTo(slack);
            assertThat(Math.abs(b.w() - w)).isLessThanOrEqualTo(slack);
            assertThat(Math.abs(b.h() - h)).isLessThanOrEqualTo(slack);
            assertThat(b.x() + b.w()).isLessThanOrEqualTo(1.0001);
            assertThat(b.y() + b.h()).isLessThanOrEqualTo(1.0001);
        }
    }

    static boolean inFrame(double v) {
        return Double.isFinite(v) && v >= -Reply.ROUNDING && v <= 1 + Reply.ROUNDING;
    }

    @Provide
    Arbitrary<Double> coordinates() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-0.5, 1.5), Arbitraries.doubles().between(0, 1),
                Arbitraries.of(0.0, 1.0, 1.0000001, -0.0000001, 1.0009, 1.0011, -0.0011, 1e308, -1e308, Double.NaN));
    }
}
