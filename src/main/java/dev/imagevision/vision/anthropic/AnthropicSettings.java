package dev.imagevision.vision.anthropic;

import java.time.Duration;

/**
 * How the provider talks to the API.
 *
 * @param baseUrl        the API's base URL ({@code ANTHROPIC_BASE_URL}); null for the SDK's default
 * @param uploadMaxEdge  images are downscaled to this long edge before upload
 * @param maxInputPixels the pixel guard: larger images are refused before they are decoded
 * @param concurrency    requests in flight at most (the limit shrinks on 429s)
 * @param requestTimeout one attempt's whole time budget; a timeout counts as a transient fault
 * @param pollInterval   how often a pending batch is polled
 * @param imageTimeout   the most one image may spend on the API across its attempts, its re-ask and the
 *                       waits between them ({@code image_timeout_seconds}): a stalled API fails an image
 *                       in this time, not in attempts × {@code requestTimeout}
 */
public record AnthropicSettings(String model, String baseUrl, int uploadMaxEdge, long maxInputPixels,
                                int concurrency, Duration requestTimeout, Duration pollInterval,
                                Duration imageTimeout) {
    public static final String BASE_URL_VARIABLE = "ANTHROPIC_BASE_URL";
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    /** The default of {@code image_timeout_seconds}. */
    public static final Duration IMAGE_TIMEOUT = Duration.ofSeconds(180);
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(30);
    /** Replies are one small tool call; this leaves room for a long subject and reason. */
    static final long MAX_TOKENS = 1024;

    /** {@code ANTHROPIC_BASE_URL} from the environment, else from .env.local; null for the API's own address. */
    public static String baseUrl(java.util.Map<String, String> env, java.util.Map<String, String> dotEnv) {
        String v = env.get(BASE_URL_VARIABLE);
        if (v == null || v.isBlank()) v = dotEnv.get(BASE_URL_VARIABLE);
        return v == null || v.isBlank() ? null : v.strip();
    }

    public AnthropicSettings {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("model is required");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        if (imageTimeout == null || imageTimeout.isNegative() || imageTimeout.isZero()) {
            throw new IllegalArgumentException("the time allowed per image must be positive");
        }
    }

    /** With the default time allowed per image. */
    public AnthropicSettings(String model, String baseUrl, int uploadMaxEdge, long maxInputPixels, int concurrency,
                             Duration requestTimeout, Duration pollInterval) {
        this(model, baseUrl, uploadMaxEdge, maxInputPixels, concurrency, requestTimeout, pollInterval, IMAGE_TIMEOUT);
    }
}
