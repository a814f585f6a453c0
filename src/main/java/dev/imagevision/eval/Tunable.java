package dev.imagevision.eval;

import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.ProviderException;

import java.nio.file.Path;
import java.util.List;

/**
 * A provider whose judgement depends on levels fitted to labelled images. Measuring is split from
 * judging so cross-validation measures each image once and judges it under each fold's fit.
 *
 * @param <A> what is measured on one image
 * @param <T> one choice of the fitted levels
 */
public interface Tunable<A, T> {
    A analyse(Path image) throws ProviderException;

    /**
     * Every choice the fit may make on these training images (what the provider learns from them
     * directly, it learns here), most cautious first: ties go to the earlier one.
     */
    List<T> candidates(List<Label> training, List<A> analyses);

    Judgement judge(A analysis, T levels);
}
