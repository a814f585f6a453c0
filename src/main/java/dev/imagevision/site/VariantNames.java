package dev.imagevision.site;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which provenance rows are sources, and the file each source's variants are written to. Pure: a
 * function of the row paths and the variant ids alone, so every run, thread and machine names the
 * same files.
 *
 * <p>The rule, documented in the README: a source's variants are {@code <stem>.<id>.jpg} next to it.
 * When two sources would share such a name — {@code b.jpg} and {@code b.png}, {@code c.jpg} and
 * {@code c.JPG}, or any two whose names differ only by letter case or Unicode form, since the site
 * may be checked out on a file system that does not tell those apart — every one of them writes
 * {@code <file name>.<id>.jpg} instead ({@code b.jpg.1x1.jpg}, {@code b.png.1x1.jpg}). A name
 * that still clashes, or that would be longer than a file system allows (255 bytes), is refused
 * for that source by name: the source is still judged, that variant is not written. A variant
 * never lands on a source's path.
 *
 * <p>A row whose path is the name a shorter source's variant could have ({@code 01.1x1.jpg} beside
 * {@code 01.jpg}) is that variant, listed by the site: never a source, unless the site's manifest has
 * judged it as a picture of its own. Any other row is a source, {@code poster.2048x1024.jpg} or a lone
 * {@code x.1x1.jpg} included.
 */
public final class VariantNames {
    /** The longest file name (one path component, in bytes) common file systems take. */
    public static final int NAME_MAX = 255;

    private VariantNames() {}

    /**
     * @param sources     every source, in path order
     * @param variantRows rows that are a source's variant as the site lists it (row → its source)
     * @param paths       per source, variant id → the path to write
     * @param refused     per source, variant id → why that variant is not written
     */
    public record Assignment(List<String> sources, Map<String, String> variantRows,
                             Map<String, Map<String, String>> paths, Map<String, Map<String, String>> refused) {

        /** The variant paths and refusals of one source. */
        public VariantPaths of(String source) {
            return new VariantPaths(paths.getOrDefault(source, Map.of()), refused.getOrDefault(source, Map.of()));
        }
    }

    /** Where one source's variants go: id → path, and id → why not written. */
    public record VariantPaths(Map<String, String> paths, Map<String, String> refused) {
        public static final VariantPaths NONE = new VariantPaths(Map.of(), Map.of());

        public VariantPaths {
            paths = Map.copyOf(paths);
            refused = Map.copyOf(refused);
        }
    }

    /** How file systems that ignore case (macOS, Windows by default) and Unicode form see a name. */
    static String folded(String path) {
        return Normalizer.normalize(path, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    /**
     * @param rows image rows of provenance (paths already checked safe and ending in an image
     *             extension), duplicates allowed
     * @param ids  the variant ids of the crop specs, e.g. {@code 1x1, 4x3, 16x9}
     */
    public static Assignment assign(Collection<String> rows, List<String> ids) {
        return assign(rows, ids, java.util.Set.of());
    }

    /**
     * As {@link #assign(Collection, List)}, where the rows in {@code judged} are sources whatever their
     * names: the site's manifest has judged them as pictures of their own (an older tool's manifest may
     * hold a source named like another's variant), so they are never taken for a listed variant.
     */
    public static Assignment assign(Collection<String> rows, List<String> ids, java.util.Set<String> judged) {
        // shorter rows first: a variant's name is always longer than its source's, so a row's
        // source (if any) is decided before the row is
        List<String> ordered = new ArrayList<>(new TreeSet<>(rows));
        ordered.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        Map<String, String> plainNames = new HashMap<>(); // the default variant path of a source → that source
        Set<String> sources = new TreeSet<>();
        Map<String, String> variantRows = new TreeMap<>();
        for (String row : ordered) {
            String source = judged.contains(row) ? null : plainNames.get(row);
            if (source != null) {
                variantRows.put(row, source);
                continue;
            }
            sources.add(row);
            for (String id : ids) plainNames.putIfAbsent(plain(row, id), row);
        }
        while (true) {
            Set<String> qualify = qualified(sources, ids);
            // a row that is the qualified name a clashing source now uses is that variant, listed by the site
            Map<String, String> listed = new TreeMap<>();
            for (String s : qualify) {
                for (String id : ids) {
                    String q = qualified(s, id);
                    if (sources.contains(q) && !judged.contains(q)) listed.put(q, s);
                }
            }
            if (listed.isEmpty()) {
                Map<String, Map<String, String>> paths = new TreeMap<>();
                Map<String, Map<String, String>> refused = new TreeMap<>();
                name(sources, ids, qualify, paths, refused);
                return new Assignment(List.copyOf(sources), variantRows, paths, refused);
            }
            variantRows.putAll(listed);
            sources.removeAll(listed.keySet());
        }
    }

    /** The sources that must use qualified names: those in a clash, until the qualified names clash no more. */
    private static Set<String> qualified(Set<String> sources, List<String> ids) {
        Set<String> sourceNames = new HashSet<>();
        for (String s : sources) sourceNames.add(folded(s));
        Set<String> qualify = new HashSet<>();
        while (true) {
            Map<String, Set<String>> users = users(sources, ids, qualify);
            boolean grew = false;
            for (Map.Entry<String, Set<String>> e : users.entrySet()) {
                if (e.getValue().size() > 1 || sourceNames.contains(e.getKey())) {
                    for (String s : e.getValue()) grew |= qualify.add(s);
                }
            }
            if (!grew) return qualify;
        }
    }

    /** Folded variant name → the sources that would write it. */
    private static Map<String, Set<String>> users(Set<String> sources, List<String> ids, Set<String> qualify) {
        Map<String, Set<String>> users = new HashMap<>();
        for (String s : sources) {
            for (String id : ids) users.computeIfAbsent(folded(candidate(s, id, qualify)), k -> new TreeSet<>()).add(s);
        }
        return users;
    }

    private static void name(Set<String> sources, List<String> ids, Set<String> qualify,
                             Map<String, Map<String, String>> paths, Map<String, Map<String, String>> refused) {
        Set<String> sourceNames = new HashSet<>();
        for (String s : sources) sourceNames.add(folded(s));
        Map<String, Set<String>> users = users(sources, ids, qualify);
        for (String s : sources) {
            for (String id : ids) {
                String path = candidate(s, id, qualify);
                Set<String> sharing = users.get(folded(path));
                String why = null;
                if (sharing.size() > 1) {
                    Set<String> others = new TreeSet<>(sharing);
                    others.remove(s);
                    why = "its " + id + " variant would be " + path + ", and so would that of " + String.join(", ", others)
                            + " (the names differ only by letter case or Unicode form); rename one of them";
                } else if (sourceNames.contains(folded(path))) {
                    why = "its " + id + " variant would be " + path + ", which is a source image's path";
                } else if (fileName(path).getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
                    why = "its " + id + " variant's file name would be "
                            + fileName(path).getBytes(StandardCharsets.UTF_8).length + " bytes, too long for a file system ("
                            + NAME_MAX + " at most); shorten the image's file name";
                }
                if (why == null) paths.computeIfAbsent(s, k -> new TreeMap<>()).put(id, path);
                else refused.computeIfAbsent(s, k -> new TreeMap<>()).put(id, why);
            }
        }
    }

    private static String candidate(String source, String id, Set<String> qualify) {
        return qualify.contains(source) ? qualified(source, id) : plain(source, id);
    }

    /** {@code /images/x/01.jpg} → {@code /images/x/01.1x1.jpg}. */
    static String plain(String source, String id) {
        return ImagePath.of(source).variantPath(id);
    }

    /** {@code /images/x/01.jpg} → {@code /images/x/01.jpg.1x1.jpg}. */
    static String qualified(String source, String id) {
        return source + "." + id + ".jpg";
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
