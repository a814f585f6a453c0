package dev.imagevision.spark;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.inventory.Image;
import dev.imagevision.inventory.Problem;
import dev.imagevision.judgements.Decision;
import dev.imagevision.judgements.Judged;
import dev.imagevision.pipeline.PerImage;
import dev.imagevision.variants.Variants;

import java.util.List;
import java.util.Map;

/**
 * One image after a worker judged and cut it, for the driver: the judgements stage's record and
 * problems, and the variants stage's paths, windows and problems (null when its variants were not
 * looked at). The driver turns it back into the pipeline's {@link PerImage.Done} with its own
 * {@link Image}.
 */
public record Outcome(@JsonProperty("path") String path, @JsonProperty("decision") Decision decision,
                      @JsonProperty("record") ScoreRecord record, @JsonProperty("fresh") boolean fresh,
                      @JsonProperty("problems") List<Problem> problems, @JsonProperty("cut") CutOutcome cut) {

    /** The variants stage's result for one image. */
    public record CutOutcome(@JsonProperty("variants") Map<String, String> variants,
                             @JsonProperty("windows") Map<String, CropWindow.Fraction> windows,
                             @JsonProperty("cut") boolean cut, @JsonProperty("problems") List<Problem> problems) {}

    static Outcome of(PerImage.Done d) {
        Judged j = d.judged();
        Variants.Cut c = d.cut();
        return new Outcome(j.path(), j.decision(), j.record(), j.fresh(), j.problems(),
                c == null ? null : new CutOutcome(c.variants(), c.windows(), c.cut(), c.problems()));
    }

    PerImage.Done done(Image image) {
        Judged j = new Judged(image, decision, record, fresh, problems);
        return new PerImage.Done(j, cut == null ? null : new Variants.Cut(path, cut.variants(), cut.windows(), cut.cut(),
                cut.problems()));
    }
}
