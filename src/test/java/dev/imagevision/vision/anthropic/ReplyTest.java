package dev.imagevision.vision.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.Judgement;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
        in.putObject("focal_point").put("x", 1.03).put("y", "0.2");
        Judgement j = Reply.check(in).judgement();
        assertThat(j.score()).isEqualTo(8);
        assertThat(j.category()).isEqualTo(Category.SPACECRAFT);
        assertThat(j.subject()).isEqualTo("The probe in orbit.");
        assertThat(j.subjectMatch()).isFalse();
        assertThat(j.rejectReason()).isEqualTo("off-subject");
        // the focal point is clamped into the image and then moved into the subject box (0.3–0.7 × 0.1–0.9)
        assertThat(j.focalPoint().x()).isEqualTo(0.7);
        assertThat(j.focalPoint().y()).isEqualTo(0.2);
    }

    @Test
    void scoresOutsideTheScaleAreClamped() {
        assertThat(Reply.check(good().put("score", 14)).judgement().score()).isEqualTo(10);
        assertThat(Reply.check(good().put("score", 0)).judgement().score()).isEqualTo(1);
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
    @Property(tries = 500)
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
        Arbitrary<JsonNode> number = Arbitraries.doubles().between(-3, 15).map(F::numberNode);
        Arbitrary<JsonNode> anything = Arbitraries.oneOf(number, Arbitraries.strings().ofMaxLength(400).map(F::textNode),
                Arbitraries.of(F.booleanNode(true), F.booleanNode(false), F.nullNode()),
                Arbitraries.of(Category.values()).map(c -> F.textNode(c.id())));
        Arbitrary<JsonNode> unit = Arbitraries.doubles().between(-0.2, 1.2).map(F::numberNode);
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
}
