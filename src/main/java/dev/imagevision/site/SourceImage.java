package dev.imagevision.site;

/** A provenance row that is a source image: its path parts and its provenance. */
public record SourceImage(ImagePath image, ProvenanceEntry provenance) {
    public String path() {
        return image.path();
    }
}
