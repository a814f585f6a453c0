package dev.imagevision.vision;

/** A provider's answer for one image: the judgement and what getting it cost. */
public record Scored(Judgement judgement, Usage usage) {}
