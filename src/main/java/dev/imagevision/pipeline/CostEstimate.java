package dev.imagevision.pipeline;

/** What a fresh paid score is expected to cost before the ledger has measured averages. */
final class CostEstimate {
    /** Sonnet 4.6 at $3/$15 per MTok, ~1,600 input and ~150 output tokens for a downscaled image. */
    static final double PER_IMAGE_USD = 0.0071;

    private CostEstimate() {}
}
