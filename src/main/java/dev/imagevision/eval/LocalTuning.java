package dev.imagevision.eval;

import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.local.CategoryModel;
import dev.imagevision.vision.local.LocalProvider;
import dev.imagevision.vision.local.PlacementTrust;

import java.nio.file.Path;
import java.util.List;

/**
 * The offline provider as a {@link Tunable}: it learns its category model from the training images'
 * appearance and labels, and fits how far each placement cue may move the crop.
 */
public record LocalTuning(LocalProvider provider) implements Tunable<LocalProvider.Analysis, LocalProvider.Fitted> {
    @Override
    public LocalProvider.Analysis analyse(Path image) throws ProviderException {
        return provider.analyse(image);
    }

    @Override
    public List<LocalProvider.Fitted> candidates(List<Label> training, List<LocalProvider.Analysis> analyses) {
        CategoryModel categories = LocalProvider.fitCategories(analyses, training.stream().map(Label::category).toList());
        return PlacementTrust.all().stream().map(t -> new LocalProvider.Fitted(t, categories)).toList();
    }

    @Override
    public Judgement judge(LocalProvider.Analysis analysis, LocalProvider.Fitted levels) {
        return LocalProvider.judgement(analysis, levels);
    }
}
