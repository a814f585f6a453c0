package dev.imagevision.selection;

/** Why an image is not acceptable, in precedence order (the first that applies is reported). */
public enum Rejection {
    HUMAN("human"),
    /** The site's previous tool rejected the adopted judgement; its own reason is shown (see Candidate#priorRejection). */
    PREVIOUS_TOOL("previous-tool"),
    OFF_SUBJECT("off-subject"),
    CATEGORY_PEOPLE("category-people"),
    CATEGORY_DIAGRAM("category-diagram"),
    RENDER_ON_FLOWN_MISSION("render-on-flown-mission"),
    SCORE_BELOW_THRESHOLD("score-below-threshold");

    private final String id;

    Rejection(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
