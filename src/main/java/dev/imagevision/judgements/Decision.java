package dev.imagevision.judgements;

import dev.imagevision.inventory.Image;

/**
 * What one image in scope needs from the provider: the one decision the real run, the dry run and
 * the cost estimate all take, so they cannot drift apart. Pure.
 */
public enum Decision {
    /** The image cannot be used (unsafe, missing, unreadable): named, never sent. */
    UNUSABLE,
    /** On the editor's deny-list: scored 0 by the editor, never sent. */
    FLAGGED,
    /** A usable score is cached under its score key. */
    CACHED,
    /** The manifest entry holds the site's previous tool's judgement for these bytes: kept, no call. */
    ADOPTED,
    /** These bytes failed before in a way they always will: reported again, not re-sent. */
    REMEMBERED_FAULT,
    /** No cached score and {@code --skip-scoring}: reported, not fetched. */
    NOT_SCORED,
    /** A provider call. */
    CALL;

    /**
     * @param reJudgeAdopted {@code --force-score} with an explicit scope (never the default run): only then is
     *                       an adopted judgement asked for again
     */
    public static Decision of(Image image, boolean forceScore, boolean skipScoring, boolean reJudgeAdopted) {
        if (image.error() != null) return UNUSABLE;
        if (image.flagged()) return FLAGGED;
        // an adopted judgement stands even where the cache holds one of ours for the same bytes (made for
        // another path that shares them): it changes only when asked for by name, never by coincidence
        if (!reJudgeAdopted && image.adoptedJudgement() != null) return ADOPTED;
        if (!forceScore && image.cachedJudgement() != null) return CACHED;
        if (!forceScore && image.rememberedFault()) return REMEMBERED_FAULT;
        if (skipScoring) return NOT_SCORED;
        return CALL;
    }
}
