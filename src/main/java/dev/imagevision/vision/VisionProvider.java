package dev.imagevision.vision;

import java.nio.file.Path;

/**
 * Image in, judgement out. The Anthropic and the offline provider are equals behind this seam;
 * the pipeline never knows which one it talks to.
 */
public interface VisionProvider {
    /** "anthropic", "local": part of the score cache key. */
    String id();

    /** The model string: part of the score cache key. */
    String model();

    /** Version of the prompt or algorithm: bumping it invalidates cached scores. */
    String promptVersion();

    /**
     * Judges one image. The file has already been checked to lie inside the site.
     *
     * @throws ProviderException when no usable judgement could be had; the image fails, the run goes on
     */
    Scored judge(Path image, ImageContext context) throws ProviderException;
}
