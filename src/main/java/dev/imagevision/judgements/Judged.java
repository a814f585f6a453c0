package dev.imagevision.judgements;

import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.inventory.Image;
import dev.imagevision.inventory.Problem;
import dev.imagevision.vision.Judgement;

import java.util.List;

/**
 * One image after the judgements stage: the score record it goes on with (a fresh one, the cached
 * one, or none), and what went wrong.
 *
 * @param record   the usable record the image goes on with, a failed one this run made, or null
 * @param fresh    the record was made by a provider this run
 * @param problems what to tell the user about this image (empty when all went well)
 */
public record Judged(Image image, Decision decision, ScoreRecord record, boolean fresh, List<Problem> problems) {

    public Judged {
        problems = List.copyOf(problems);
    }

    /** The judgement crops and the manifest use, or null when there is none. */
    public Judgement judgement() {
        // the previous tool's judgement, while it stands, is what a flagged image is cut around too
        Judgement adopted = image.adoptedJudgement();
        if (decision == Decision.ADOPTED || (decision == Decision.FLAGGED && adopted != null)) return adopted;
        return record != null && record.usable() ? record.judgement() : null;
    }

    /** The previous tool's judgement is kept as it is: the manifest keeps the entry's own fields. */
    public boolean adopted() {
        return decision == Decision.ADOPTED;
    }

    public String path() {
        return image.path();
    }
}
