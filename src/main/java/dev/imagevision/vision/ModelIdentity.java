package dev.imagevision.vision;

/**
 * Who judges: provider id, model and prompt version, the three parts of every score key besides
 * the image's bytes. Known before any provider is built, so a warm run never builds one.
 */
public record ModelIdentity(String id, String model, String promptVersion) {}
