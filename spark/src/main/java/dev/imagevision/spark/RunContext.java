package dev.imagevision.spark;

import java.io.Serializable;
import java.time.Clock;

/**
 * What every task of one run needs, broadcast once per executor: the store, the site's small files,
 * the run's id and clock, and how the provider is built.
 *
 * @param providerName     the provider the run uses (the config's, or {@code --provider})
 * @param concurrencyShare requests each executor may have in flight: the site's concurrency split across executors
 * @param scorer           provider id, model and prompt version: the score keys the driver expects
 * @param thumbnails       workers make the report's missing thumbnails (the driver never decodes an image)
 */
public record RunContext(SiteStore store, SiteFiles files, String runId, Clock clock, String providerName,
                         int concurrencyShare, String[] scorer, boolean thumbnails, ProviderFactory providers)
        implements Serializable {}
