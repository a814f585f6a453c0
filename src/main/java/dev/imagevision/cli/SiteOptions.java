package dev.imagevision.cli;

import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** Options every site command shares: where the site is and which provider to use. */
public final class SiteOptions {
    @Option(names = "--root", paramLabel = "DIR", description = "Site root (default: current directory).")
    Path root = Path.of(".");

    @Option(names = "--provider", paramLabel = "NAME", description = "anthropic or local (default: config \"provider\", else anthropic).")
    String provider;

    @Option(names = "--verbose", description = "Show stack traces for errors.")
    boolean verbose;

    Site load() {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("--root " + root + " is not a directory");
        SiteConfig config = SiteConfig.load(root);
        if (provider != null) config = config.withProvider(provider);
        return Site.load(root, config);
    }

    String providerName(SiteConfig config) {
        return provider != null ? provider : config.provider();
    }
}
