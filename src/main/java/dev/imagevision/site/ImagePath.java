package dev.imagevision.site;

import java.util.Locale;
import java.util.Optional;

/**
 * What a provenance path says about an image: its segment and entity, whether it is a source at
 * all (variants, SVGs and thumbnails are not). Pure; the path is the one written in provenance,
 * e.g. {@code /images/missions/curiosity/01.jpg}.
 */
public record ImagePath(String path, String segment, String entity) {

    /** Normalises how people write a path: {@code static/images/x.jpg}, {@code images/x.jpg} → {@code /images/x.jpg}. */
    public static String normalise(String raw) {
        String p = raw.trim().replace('\\', '/');
        while (p.startsWith("./")) p = p.substring(2);
        if (p.startsWith("/static/")) p = p.substring("/static".length());
        if (p.startsWith("static/")) p = p.substring("static".length());
        if (!p.startsWith("/")) p = "/" + p;
        return p;
    }

    public static ImagePath of(String path) {
        String[] parts = path.split("/");
        // "", "images", segment, entity, ...
        String segment = parts.length > 3 && parts[1].equals("images") ? parts[2] : "";
        String entity;
        if (parts.length > 4 && parts[1].equals("images")) {
            entity = parts[3];
        } else if (parts.length == 4 && parts[1].equals("images")) {
            entity = stem(parts[3]); // loose /images/missions/<id>.jpg
        } else {
            entity = "";
        }
        return new ImagePath(path, segment, entity);
    }

    /** The selection group: segment and entity, e.g. {@code missions/curiosity}. */
    public String group() {
        if (segment.isEmpty()) return "(ungrouped)";
        return segment + "/" + entity;
    }

    public boolean isMission() {
        return segment.equals("missions");
    }

    /** SVGs and thumbnails: never sources by design, skipped without a word. */
    public boolean neverSource() {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".svg") || lower.contains("/thumbnails/");
    }

    /**
     * The reason this row is not a source image, or empty when it is one. Whether it is one of a
     * source's variants, listed by the site, depends on the other rows: see {@link VariantNames}.
     */
    public Optional<String> notSourceReason() {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".svg")) return Optional.of("SVG (vector art is never scored)");
        if (lower.contains("/thumbnails/")) return Optional.of("thumbnail");
        if (!(lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".png") || lower.endsWith(".webp"))) {
            return Optional.of("not an image path (.jpg, .jpeg, .png, .webp)");
        }
        return Optional.empty();
    }

    /** Base path without the extension: {@code /images/x/01.jpg} → {@code /images/x/01}. */
    public String base() {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(0, dot) : path;
    }

    /** The default path of one variant, {@code <base>.<id>.jpg} (a clash of names changes it: {@link VariantNames}). */
    public String variantPath(String variantId) {
        return base() + "." + variantId + ".jpg";
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
