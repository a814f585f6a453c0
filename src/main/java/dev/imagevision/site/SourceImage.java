package dev.imagevision.site;

/**
 * A provenance row that is a source image: its path parts, its provenance, and the files its
 * variants are written to (see {@link VariantNames} for how they are named).
 */
public record SourceImage(ImagePath image, ProvenanceEntry provenance, VariantNames.VariantPaths variants) {
    /** A source with the documented default variant names for the given ids. */
    public SourceImage(ImagePath image, ProvenanceEntry provenance) {
        this(image, provenance, VariantNames.assign(java.util.List.of(image.path()),
                java.util.List.of("1x1", "4x3", "16x9")).of(image.path()));
    }

    public String path() {
        return image.path();
    }

    /** Where the variant of this id is written, or null when it is refused (see {@link #variants()}). */
    public String variantPath(String id) {
        return variants.paths().get(id);
    }
}
