package dev.imagevision.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a run changed in hero and gallery picks, group by group, in words an editor reads at the end
 * of a run ({@code missions/hubble: hero 03.jpg → 04.jpg}). Pure.
 */
public final class SelectionChanges {
    /** Groups listed at most; the rest are counted. */
    static final int SHOWN = 20;

    private SelectionChanges() {}

    private record Picks(String hero, Set<String> gallery) {}

    public static List<String> lines(Manifest before, Manifest after) {
        Map<String, Picks> was = picks(before), now = picks(after);
        if (was.isEmpty() && !now.isEmpty()) {
            return List.of("picked a hero and gallery in " + now.size() + (now.size() == 1 ? " group" : " groups"));
        }
        Set<String> groups = new TreeSet<>(was.keySet());
        groups.addAll(now.keySet());
        List<String> out = new ArrayList<>();
        int changed = 0;
        for (String g : groups) {
            Picks a = was.getOrDefault(g, new Picks(null, Set.of())), b = now.getOrDefault(g, new Picks(null, Set.of()));
            List<String> parts = new ArrayList<>();
            if (!Objects.equals(a.hero(), b.hero())) parts.add("hero " + name(a.hero()) + " → " + name(b.hero()));
            Set<String> added = new TreeSet<>(b.gallery()), removed = new TreeSet<>(a.gallery());
            added.removeAll(a.gallery());
            removed.removeAll(b.gallery());
            if (!added.isEmpty() || !removed.isEmpty()) {
                StringBuilder s = new StringBuilder("gallery");
                added.forEach(p -> s.append(" +").append(name(p)));
                removed.forEach(p -> s.append(" −").append(name(p)));
                parts.add(s.toString());
            }
            if (parts.isEmpty()) continue;
            if (++changed <= SHOWN) out.add(g + ": " + String.join(", ", parts));
        }
        if (changed > SHOWN) out.add("… and " + (changed - SHOWN) + " more groups whose picks changed (see the audit report)");
        return out;
    }

    private static Map<String, Picks> picks(Manifest m) {
        Map<String, String> hero = new TreeMap<>();
        Map<String, Set<String>> gallery = new TreeMap<>();
        m.entries().forEach((path, e) -> {
            if (e.selection() == null || e.selection().group() == null) return;
            String g = e.selection().group();
            gallery.computeIfAbsent(g, k -> new TreeSet<>());
            if ("hero".equals(e.selection().role())) hero.put(g, path);
            if ("gallery".equals(e.selection().role())) gallery.get(g).add(path);
        });
        Map<String, Picks> out = new TreeMap<>();
        gallery.forEach((g, set) -> out.put(g, new Picks(hero.get(g), set)));
        return out;
    }

    /** The file name: the group already says where it is. */
    private static String name(String path) {
        return path == null ? "(none)" : path.substring(path.lastIndexOf('/') + 1);
    }
}
