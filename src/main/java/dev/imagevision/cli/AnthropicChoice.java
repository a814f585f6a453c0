package dev.imagevision.cli;

import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.vision.anthropic.AnthropicProvider;
import dev.imagevision.vision.anthropic.AnthropicSettings;
import dev.imagevision.vision.anthropic.ApiKey;
import dev.imagevision.vision.anthropic.DotEnv;
import dev.imagevision.vision.anthropic.Prompt;
import dev.imagevision.vision.anthropic.Sleeper;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Random;

/**
 * The Anthropic provider's identity (part of every score key) and its factory. The key and
 * {@code ANTHROPIC_BASE_URL} are read from the environment, else from {@code .env.local} at the
 * site root, only when some image really needs a fresh score: a warm run needs no key at all.
 */
final class AnthropicChoice {
    private AnthropicChoice() {}

    static ProviderChoice of(Site site, Map<String, String> env, dev.imagevision.crop.OpenCvCodec codec) {
        SiteConfig c = site.config();
        return new ProviderChoice(AnthropicProvider.ID, c.model(), Prompt.VERSION, recorder -> {
            Map<String, String> dotEnv;
            try {
                dotEnv = DotEnv.read(site.root().root());
            } catch (IOException e) {
                throw new IllegalArgumentException(DotEnv.FILE_NAME + " at " + site.root().root()
                        + " cannot be read: " + e.getMessage());
            }
            AnthropicSettings s = new AnthropicSettings(c.model(), AnthropicSettings.baseUrl(env, dotEnv),
                    c.uploadMaxEdge(), c.maxInputPixels(), c.concurrency(), AnthropicSettings.REQUEST_TIMEOUT,
                    AnthropicSettings.POLL_INTERVAL, java.time.Duration.ofSeconds(c.imageTimeoutSeconds()));
            return new AnthropicProvider(s, ApiKey.find(env, dotEnv), recorder, Sleeper.REAL, new Random(),
                    Clock.systemUTC(), codec);
        });
    }
}
