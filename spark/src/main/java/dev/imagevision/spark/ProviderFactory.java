package dev.imagevision.spark;

import dev.imagevision.cli.Providers;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.site.Site;

import java.io.Serializable;

/**
 * Builds the provider of a run on each executor (and, for its identity only, on the driver): the
 * provider the site's config names, or {@code --provider}. The key and {@code ANTHROPIC_BASE_URL} come
 * from the executor's environment ({@code spark.executorEnv.ANTHROPIC_API_KEY}, a Kubernetes secret …).
 * A {@link ProviderChoice} builds its provider only when an image needs a call.
 */
@FunctionalInterface
public interface ProviderFactory extends Serializable {
    ProviderFactory CONFIGURED = site -> Providers.choose(site.config().provider(), site, System.getenv(), Workers.codec());

    /** @param site the site's small files as this JVM holds them, with the provider and concurrency share set */
    ProviderChoice choose(Site site);
}
