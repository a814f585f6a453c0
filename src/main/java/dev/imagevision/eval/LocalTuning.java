package dev.imagevision.eval;

import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.local.LocalProvider;
import dev.imagevision.vision.local.PlacementTrust;

import java.nio.file.Path;
import java.util.List;

/** The offline provider as a {@link Tunable}: what it fits is how far each placement cue may move the crop. */
public record LocalTuning(LocalProvider provider) implements Tunable<LocalProvider.Analysis, PlacementTrust> {
    @Override
    public LocalProvider.Analysis analyse(Path image) throws ProviderException {
        return provider.analyse(image);
    }

    @Override
    public List<PlacementTrust> candidates() {
        return PlacementTrust.all();
    }

    @Override
    public Judgement judge(LocalProvider.Analysis analysis, PlacementTrust levels) {
        return LocalProvider.judgement(analysis, levels);
    }
}
