package dev.imagevision.vision;

/**
 * One request a provider was billed for: the reply arrived (usable or not) with its token usage.
 *
 * @param callId    the provider's id for the reply (Anthropic: the message id), unique per call
 * @param batch     billed at the batch rate
 * @param requestId the id {@link CallRecorder#sending} gave the request, or null (a batch result)
 */
public record PaidCall(String imagePath, String model, String callId, Usage usage, boolean batch, String requestId) {}
