package dev.imagevision.cli;

import dev.imagevision.pipeline.ProviderChoice;
import dev.imagevision.site.Site;

/** The Anthropic provider's identity and factory. */
final class AnthropicChoice {
    private AnthropicChoice() {}

    static ProviderChoice of(Site site) {
        throw new IllegalArgumentException("the anthropic provider is not built yet; use --provider local");
    }
}
