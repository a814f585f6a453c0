package dev.imagevision.vision;

/**
 * A request a paid provider is about to send, with bounds on what it can be billed: the input
 * tokens it can count at most, and the output tokens it can produce at most ({@code max_tokens}).
 */
public record OutgoingCall(String imagePath, String model, long inputTokensCeiling, long outputTokensCeiling,
                           boolean batch) {}
