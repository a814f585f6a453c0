package dev.imagevision.cli;

import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.site.Site;
import dev.imagevision.vision.local.LocalProvider;

import java.util.Map;

/** Builds the provider a run asked for; never switches silently to another one. */
public final class Providers {
    private Providers() {}

    static ProviderChoice choose(String name, Site site, dev.imagevision.crop.OpenCvCodec codec) {
        return choose(name, site, System.getenv(), codec);
    }

    /** @param env the process environment (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL), passed in so tests can set it */
    public static ProviderChoice choose(String name, Site site, Map<String, String> env, dev.imagevision.crop.OpenCvCodec codec) {
        return switch (name) {
            case "local" -> new ProviderChoice("local", LocalProvider.MODEL, LocalProvider.VERSION,
                    () -> new LocalProvider(codec, site.config().maxInputPixels()));
            case "anthropic" -> AnthropicChoice.of(site, env, codec);
            default -> throw new IllegalArgumentException("--provider must be anthropic or local, got " + name);
        };
    }
}
