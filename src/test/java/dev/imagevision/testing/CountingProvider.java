package dev.imagevision.testing;

import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.VisionProvider;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a provider and counts the calls that reach it. */
public final class CountingProvider implements VisionProvider {
    private final VisionProvider inner;
    private final AtomicInteger calls = new AtomicInteger();

    public CountingProvider(VisionProvider inner) {
        this.inner = inner;
    }

    public int calls() {
        return calls.get();
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
        return inner.judge(image, context);
    }
}
