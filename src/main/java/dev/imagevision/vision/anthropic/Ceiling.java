package dev.imagevision.vision.anthropic;

/**
 * The most input tokens one Messages request can be billed, from what it carries, pure. It is what a
 * request is charged when the process died before its reply reached the ledger journal (the API has
 * no endpoint that tells later what a message cost), so it must never be below the truth:
 * <ul>
 *   <li>text: one token per UTF-8 byte (a token is at least one byte);</li>
 *   <li>image: the documented {@code width × height / 750}, with a quarter on top;</li>
 *   <li>framing: the tool-use system prompt the API adds (a few hundred tokens) and the role and
 *       block markers, bounded by {@link #FRAMING_TOKENS}.</li>
 * </ul>
 * Output is bounded by {@code max_tokens}, which the API never exceeds.
 */
final class Ceiling {
    private Ceiling() {}

    static final long FRAMING_TOKENS = 1_024;
    static final double PIXELS_PER_TOKEN = 750;
    static final double IMAGE_HEADROOM = 1.25;

    /**
     * A bound for any request this provider sends, for a result whose own ceiling was not kept (a
     * batch submitted by an older version): every upload is scaled to at most {@link
     * Upload#API_MAX_PIXELS}, and the prompt, page context and tool schema are far below 64 KiB.
     */
    static final long ANY_UPLOAD_INPUT_TOKENS = (long) Math.ceil(Upload.API_MAX_PIXELS / PIXELS_PER_TOKEN * IMAGE_HEADROOM)
            + (64 << 10) + FRAMING_TOKENS;

    static long inputTokens(int imageWidth, int imageHeight, long textBytes) {
        if (imageWidth < 0 || imageHeight < 0 || textBytes < 0) throw new IllegalArgumentException("negative size");
        long image = (long) Math.ceil((double) imageWidth * imageHeight / PIXELS_PER_TOKEN * IMAGE_HEADROOM);
        return image + textBytes + FRAMING_TOKENS;
    }
}
