package dev.imagevision.spark;

import dev.imagevision.inventory.Image;
import dev.imagevision.judgements.Decision;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.ledger.Prices;
import dev.imagevision.site.SiteConfig;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hard cost limit across workers. No worker can see what the others spend while they spend it, so
 * the driver decides before anything is sent: images that need a paid call are admitted in path
 * order while the sum of their cost ceilings stays within {@code cost_hard_usd}; the rest are named
 * and left for the next run (exit 3), as the CLI does once its limit is reached. Pure.
 *
 * @param refusal what each image not admitted is told
 */
record Admission(Set<String> admitted, boolean halted, String refusal) {
    /** The API downsizes every upload to at most this many pixels (Anthropic's documented 1.15 megapixels). */
    static final long UPLOAD_PIXELS = 1_150_000;
    /** Every text a request carries (rubric, deny-list reasons, page context, the tool's schema) fits in this many tokens. */
    static final long TEXT_TOKENS = 16_384;
    static final long FRAMING_TOKENS = 1_024;
    static final long MAX_OUTPUT_TOKENS = 1_024;
    /** An unusable reply is asked for once more: an image is at most two requests. */
    static final int REQUESTS_PER_IMAGE = 2;

    static Admission of(Collection<Image> images, Map<String, Decision> decisions, ProviderChoice choice, SiteConfig config) {
        Set<String> admitted = new TreeSet<>();
        BigDecimal hard = BigDecimal.valueOf(config.costHardUsd());
        BigDecimal committed = BigDecimal.ZERO;
        boolean halted = false;
        for (Image i : images) {
            if (decisions.get(i.path()) != Decision.CALL) continue;
            if (!choice.paid()) {
                admitted.add(i.path());
                continue;
            }
            BigDecimal ceiling = ceilingUsd(choice.model(), i.width(), i.height(), config.uploadMaxEdge());
            if (!halted && committed.add(ceiling).compareTo(hard) <= 0) {
                committed = committed.add(ceiling);
                admitted.add(i.path());
            } else {
                halted = true; // in path order: the next run continues where this one stopped
            }
        }
        String refusal = String.format(Locale.ROOT, "not scored: this run's hard cost limit of $%.2f (cost_hard_usd) "
                + "admits %d image(s) at their cost ceiling; run again to continue", config.costHardUsd(), admitted.size());
        return new Admission(admitted, halted, refusal);
    }

    /** The most one image's calls can be billed: two requests, each at its input and output ceiling. */
    static BigDecimal ceilingUsd(String model, int width, int height, int uploadMaxEdge) {
        long pixels = UPLOAD_PIXELS;
        if (width > 0 && height > 0) {
            double scale = Math.min(1, (double) uploadMaxEdge / Math.max(width, height));
            pixels = Math.min(UPLOAD_PIXELS, (long) Math.ceil(width * scale) * (long) Math.ceil(height * scale));
        }
        long input = (long) Math.ceil(pixels / 750.0 * 1.25) + TEXT_TOKENS + FRAMING_TOKENS;
        return Prices.ceiling(model, input, MAX_OUTPUT_TOKENS, false).multiply(BigDecimal.valueOf(REQUESTS_PER_IMAGE));
    }
}
