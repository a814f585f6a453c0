package dev.imagevision.testing;

import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.VisionProvider;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a provider and counts the calls that reach it, keeping the context each one carried. */
public final class CountingProvider implements VisionProvider {
    private final VisionProvider inner;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<ImageContext> contexts = new CopyOnWriteArrayList<>();

    public CountingProvider(VisionProvider inner) {
        this.inner = inner;
    }

    public int calls() {
        return calls.get();
    }

    /** The context of every call, in the order they arrived. */
    public List<ImageContext> contexts() {
        return List.copyOf(contexts);
    }

    @Override
    public String id() {
        return inner.id();
    }

    @Override
    public String model() {
        return inner.model();
    }

    @Override
    public String promptVersion() {
        return inner.promptVersion();
    }

    @Override
    public Scored judge(Path image, ImageContext context) throws ProviderException {
        calls.incrementAndGet();
        contexts.add(context);
        return inner.judge(image, context);
    }
}
