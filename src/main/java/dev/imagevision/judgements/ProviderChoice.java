package dev.imagevision.judgements;

import dev.imagevision.vision.CallRecorder;
import dev.imagevision.vision.VisionProvider;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which provider a run uses: its identity (part of every score key) known up front, the provider
 * itself built only when some image really needs a fresh score, so a warm run never loads a model,
 * reads a key or opens a connection. A paid provider is built with the run's {@link CallRecorder}
 * so every billed reply reaches the cost ledger.
 */
public final class ProviderChoice {
    private final String id;
    private final String model;
    private final String promptVersion;
    private final Function<CallRecorder, VisionProvider> factory;
    private VisionProvider provider;

    public ProviderChoice(String id, String model, String promptVersion, Function<CallRecorder, VisionProvider> factory) {
        this.id = id;
        this.model = model;
        this.promptVersion = promptVersion;
        this.factory = factory;
    }

    /** For a free provider, which has nothing to record. */
    public ProviderChoice(String id, String model, String promptVersion, Supplier<VisionProvider> factory) {
        this(id, model, promptVersion, recorder -> factory.get());
    }

    public static ProviderChoice of(VisionProvider p) {
        return new ProviderChoice(p.id(), p.model(), p.promptVersion(), () -> p);
    }

    /** Provider, model and prompt version: what the score keys are made of. */
    public dev.imagevision.vision.ModelIdentity identity() {
        return new dev.imagevision.vision.ModelIdentity(id, model, promptVersion);
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

    /** Whether the provider costs money (everything but the offline one). */
    public boolean paid() {
        return !id.equals("local");
    }

    /** The provider, built on first use; the first caller's recorder is the one it keeps. */
    public synchronized VisionProvider get(CallRecorder recorder) {
        if (provider == null) provider = factory.apply(recorder);
        return provider;
    }

    public VisionProvider get() {
        return get(CallRecorder.NONE);
    }
}
