package dev.imagevision.pipeline;

import dev.imagevision.vision.VisionProvider;

import java.util.function.Supplier;

/**
 * Which provider a run uses: its identity (part of every score key) known up front, the provider
 * itself built only when some image really needs a fresh score, so a warm run never loads a model
 * or opens a connection.
 */
public final class ProviderChoice {
    private final String id;
    private final String model;
    private final String promptVersion;
    private final Supplier<VisionProvider> factory;
    private VisionProvider provider;

    public ProviderChoice(String id, String model, String promptVersion, Supplier<VisionProvider> factory) {
        this.id = id;
        this.model = model;
        this.promptVersion = promptVersion;
        this.factory = factory;
    }

    public static ProviderChoice of(VisionProvider p) {
        return new ProviderChoice(p.id(), p.model(), p.promptVersion(), () -> p);
    }

    public String id() {
        return id;
    }

    public String model() {
        return model;
    }

    public String promptVersion() {
        return promptVersion;
    }

    public synchronized VisionProvider get() {
        if (provider == null) provider = factory.get();
        return provider;
    }
}
