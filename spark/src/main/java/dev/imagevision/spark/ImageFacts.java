package dev.imagevision.spark;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.cache.CacheKeys;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.crop.CropSpec;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.VariantMark;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.inventory.Image;
import dev.imagevision.inventory.VariantSlot;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.site.Json;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.ModelIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a worker read about one source image, for the driver: the same facts the CLI's inventory
 * reads from disk (content hash, score key, cached score, what is at each variant path), taken
 * through the site's store. Small and serializable (as JSON): the driver turns them into the
 * inventory's {@link Image} records with the editor's rows and the previous manifest it holds.
 *
 * @param relative the source's path relative to the site root ({@code static/images/…})
 * @param width    upright pixel width from the header (0 when it cannot be read)
 * @param error    why the image cannot be used this run, or null
 * @param missing  the file is not there at all
 * @param thumbnailError why the report's thumbnail could not be made, or null
 */
public record ImageFacts(@JsonProperty("path") String path, @JsonProperty("relative") String relative,
                         @JsonProperty("sha256") String sha256, @JsonProperty("score_key") String scoreKey,
                         @JsonProperty("cached") ScoreRecord cached, @JsonProperty("slots") List<VariantSlot> slots,
                         @JsonProperty("width") int width, @JsonProperty("height") int height,
                         @JsonProperty("error") String error, @JsonProperty("missing") boolean missing,
                         @JsonProperty("thumbnail_error") String thumbnailError) {

    /** Makes the report's thumbnail of a source staged on the worker, when the store has none; returns why it failed, or null. */
    @FunctionalInterface
    interface Thumbnailer {
        Thumbnailer NONE = (file, sha) -> null;

        String make(Path file, String sha256);
    }

    /** A file larger than this at a variant path is not one this tool cut (its variants are a few hundred KB). */
    private static final long VARIANT_MOST = 64L << 20;

    public String json() {
        try {
            return Json.COMPACT.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ImageFacts fromJson(String json) {
        try {
            return Json.LENIENT.readValue(json, ImageFacts.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one source's facts through the store, as {@code Inventory} does from disk. {@code bytes}
     * receives the source's bytes (for the worker's thumbnail) when it could be read.
     *
     * @param local the site's small files laid out on this worker (for the path rules and the config)
     */
    static ImageFacts read(SiteStore store, Site local, SourceImage s, ManifestEntry previous, ModelIdentity scorer,
                           Set<String> currentSources, Path scratch, Thumbnailer thumbnailer) {
        SiteRoot root = local.root();
        String rel;
        try {
            rel = relative(root, root.resolveImage(s.path()));
        } catch (SiteRoot.PathEscapeException e) {
            return unusable(s.path(), null, e.getMessage() + "; never read", false);
        }
        Optional<SiteStore.Entry> status;
        try {
            status = store.status(rel);
        } catch (IOException e) {
            return unusable(s.path(), rel, "cannot resolve image file: " + e.getMessage(), false);
        }
        if (status.isEmpty()) return unusable(s.path(), rel, "image file is missing: " + rel, true);
        if (status.get().link()) {
            return unusable(s.path(), rel, "is a link, which a distributed run does not follow: " + rel, false);
        }
        if (!status.get().file()) return unusable(s.path(), rel, "not a regular file: " + rel, false);
        Path file = scratch.resolve("source-" + Thread.currentThread().threadId());
        String sha;
        try {
            sha = store.download(rel, file).orElseThrow(() -> new IOException("it disappeared"));
        } catch (IOException e) {
            deleteQuietly(file);
            return unusable(s.path(), rel, "cannot read image file: " + e.getMessage(), false);
        }
        String key = CacheKeys.score(sha, scorer.id(), scorer.model(), scorer.promptVersion());
        ScoreRecord cached = null;
        String cacheDir = local.config().paths().cache();
        try {
            cached = ScoreStore.get(store, cacheDir, key);
        } catch (IOException e) {
            // an unreadable record is a miss, as in the CLI's cache
        }
        int w = 0, h = 0;
        String thumbError = null;
        try {
            thumbError = thumbnailer.make(file, sha);
            ImageHeader header = ImageHeader.read(file);
            w = header.orientedWidth();
            h = header.orientedHeight();
        } catch (ImageException | RuntimeException e) {
            // no size: the crop stage reads it again, and says what is wrong with the file
        } finally {
            deleteQuietly(file);
        }
        return new ImageFacts(s.path(), rel, sha, key, cached, slots(store, local, s, previous, currentSources), w, h, null,
                false, thumbError);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // scratch space, removed with the task's folder
        }
    }

    /** Where each variant goes and whether the tool may write there, from what the store has at each path. */
    static List<VariantSlot> slots(SiteStore store, Site local, SourceImage s, ManifestEntry previous, Set<String> current) {
        List<VariantSlot> out = new ArrayList<>();
        for (CropSpec spec : local.config().variants()) {
            String path = s.variantPath(spec.id());
            if (path == null) {
                out.add(VariantSlot.refused(spec.id(), s.variants().refused().get(spec.id())));
                continue;
            }
            try {
                String rel = relative(local.root(), local.root().resolveImage(path));
                out.add(VariantSlot.decide(spec.id(), path, s.path(), facts(store, rel, spec.id(), path, previous), current));
            } catch (IOException | RuntimeException e) {
                out.add(VariantSlot.refused(spec.id(), "cannot look at " + path + ": " + e.getMessage()));
            }
        }
        return out;
    }

    /**
     * The facts at a variant path, as {@code VariantSlot.facts} reads them from disk, with no stat index
     * to vouch for a file: a file's mark counts only when the digest it carries matches the bytes after
     * it, so the variant is read whole (it is small; a source never is).
     */
    private static VariantSlot.Facts facts(SiteStore store, String rel, String id, String path, ManifestEntry previous)
            throws IOException {
        Optional<SiteStore.Entry> st = store.status(rel);
        if (st.isEmpty()) return new VariantSlot.Facts(VariantSlot.Kind.NOTHING, Optional.empty(), null, false, false);
        SiteStore.Entry s = st.get();
        if (s.link()) return new VariantSlot.Facts(VariantSlot.Kind.LINK, Optional.empty(), null, false, false);
        if (s.directory()) return new VariantSlot.Facts(VariantSlot.Kind.DIRECTORY, Optional.empty(), null, false, false);
        if (!s.file()) return new VariantSlot.Facts(VariantSlot.Kind.OTHER, Optional.empty(), null, false, false);
        boolean previousTool = previous != null && previous.scoreKey() == null && previous.variants() != null
                && path.equals(previous.variants().get(id));
        Optional<VariantMark.Mark> mark = s.length() > VARIANT_MOST ? Optional.empty()
                : VariantMark.read(store.head(rel, (int) s.length()));
        return new VariantSlot.Facts(VariantSlot.Kind.FILE, mark, null, false, previousTool);
    }

    static String relative(SiteRoot root, Path file) {
        return root.root().relativize(file).toString().replace('\\', '/');
    }

    private static ImageFacts unusable(String path, String rel, String why, boolean missing) {
        return new ImageFacts(path, rel, null, null, null, List.of(), 0, 0, why, missing, null);
    }

    /**
     * The inventory's record of this image, with the editor's row and the previous manifest entry.
     *
     * @param file where the source is on this machine: the driver's (absent) site path, or a worker's staged copy
     */
    Image image(SourceImage source, Path file, CurationEntry row, ManifestEntry entry) {
        if (error != null) return Image.unusable(source, file, row, entry, error, missing);
        return new Image(source, file, sha256, scoreKey, cached, row, entry, slots, width, height, null, false);
    }
}
