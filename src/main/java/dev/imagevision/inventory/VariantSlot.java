package dev.imagevision.inventory;

import dev.imagevision.cache.StatIndex;
import dev.imagevision.crop.VariantMark;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.site.SiteRoot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;

/**
 * One variant of one source as the run finds it: where it goes and whether the tool may write
 * there. The rule: a variant path is written only when nothing is there or the file there is the
 * tool's own output (its mark says so, the stat index recorded writing it, or the previous
 * manifest lists it as this source's variant, the previous tool's included). Anything else — a
 * photo an editor put there, a folder, a link — is left as it is, and the variant is not written.
 *
 * @param path        where the variant goes; null when its name was refused
 * @param refusal     why the variant is not written this run; null when it may be
 * @param present     a regular file is at the path now
 * @param recordedKey the variant key the stat index recorded writing the file there with, when the file is
 *                    unchanged since; null otherwise
 */
public record VariantSlot(String id, String path, String refusal, boolean present, String recordedKey) {

    public boolean writable() {
        return refusal == null;
    }

    /** The file there is this tool's, cut with exactly this variant key and untouched since: nothing to do. */
    public boolean upToDate(String key) {
        return writable() && key.equals(recordedKey);
    }

    /** What is at a variant path, read once at inventory. */
    public enum Kind { NOTHING, FILE, DIRECTORY, LINK, OTHER }

    /**
     * Disk facts about a variant path.
     *
     * @param mark                the tool's valid mark in the file (its data digest matches), if any
     * @param recordedKey         the key the stat index recorded writing exactly this file with (size and time
     *                            unchanged), or null
     * @param changedSinceWritten the stat index recorded writing a file here, and this is not it any more
     * @param previousToolListed  the previous manifest's entry for the source, written by the site's previous
     *                            tool (no score key), lists this very path as its variant of this id
     */
    public record Facts(Kind kind, Optional<VariantMark.Mark> mark, String recordedKey, boolean changedSinceWritten,
                 boolean previousToolListed) {
        static Facts of(Kind kind) {
            return new Facts(kind, Optional.empty(), null, false, false);
        }
    }

    /** The decision, pure: may the variant of {@code source} be written at {@code path}, given the facts there. */
    public static VariantSlot decide(String id, String path, String source, Facts f, Set<String> currentSources) {
        String refusal = switch (f.kind()) {
            case NOTHING -> null;
            case DIRECTORY -> path + " is a directory";
            case LINK -> path + " is a symbolic link";
            case OTHER -> path + " is not a regular file";
            case FILE -> {
                if (f.recordedKey() != null) yield null; // this tool wrote it, and nobody touched it since
                if (f.mark().isPresent()) {
                    String owner = f.mark().get().source();
                    // the tool's own file as it wrote it: this source's, or left by one that is no longer a source
                    if (owner.equals(source) || !currentSources.contains(owner)) yield null;
                    yield path + " holds this tool's " + f.mark().get().id() + " variant of " + owner;
                }
                if (f.changedSinceWritten()) yield path + " was replaced or edited since this tool wrote it";
                if (f.previousToolListed()) yield null; // the site's previous tool's own variant: ours to replace
                yield path + " is a file this tool did not write";
            }
        };
        boolean present = f.kind() == Kind.FILE;
        // the key it was cut with: as the stat index recorded it or, without the cache, as its own mark says
        String recorded = f.recordedKey() != null ? f.recordedKey()
                : f.mark().filter(m -> m.source().equals(source)).map(VariantMark.Mark::key).orElse(null);
        if (refusal == null) return new VariantSlot(id, path, null, present, recorded);
        return new VariantSlot(id, path, refusal + ": it is left as it is, and the " + id + " variant is neither "
                + "written nor published (move or rename that file to let the tool write the variant)", present, null);
    }

    /** A variant whose name was refused (a clash, a name too long). */
    public static VariantSlot refused(String id, String why) {
        return new VariantSlot(id, null, why + "; the " + id + " variant is not written", false, null);
    }

    /**
     * Reads the facts at a variant path: its kind and, only when the stat index cannot vouch for the file,
     * its mark (which means reading it whole, to check the mark's digest: a fresh clone pays that once).
     */
    static Facts facts(SiteRoot root, String id, String path, StatIndex index, ManifestEntry previous) throws IOException {
        Path file = root.resolveImage(path);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return Facts.of(Kind.NOTHING);
        }
        if (a.isSymbolicLink()) return Facts.of(Kind.LINK);
        if (a.isDirectory()) return Facts.of(Kind.DIRECTORY);
        if (!a.isRegularFile()) return Facts.of(Kind.OTHER);
        String recorded = index.wrote(path, a).orElse(null);
        if (recorded != null) return new Facts(Kind.FILE, Optional.empty(), recorded, false, false);
        boolean previousTool = previous != null && previous.scoreKey() == null && previous.variants() != null
                && path.equals(previous.variants().get(id));
        return new Facts(Kind.FILE, VariantMark.read(file), null, index.recorded(path), previousTool);
    }
}
