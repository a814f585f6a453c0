package dev.imagevision.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A K-fold split of a labelled set by source folder: every image of a folder lands in the same
 * fold, so near-duplicates (one photo at two sizes, frames of one sequence, one site's house style)
 * never sit in training and test at once. Folders are dealt largest first to the fold with the
 * fewest images so far, which keeps folds near equal; ties go by name, so the split is a pure
 * function of the paths.
 */
public final class Folds {
    private Folds() {}

    /** The folder an image came from: its path up to the last slash ("" at the top). */
    public static String folder(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The test part of each of {@code k} folds; the training part of fold i is every label not in it. */
    public static List<List<Label>> split(List<Label> labels, int k) {
        Map<String, List<Label>> byFolder = new LinkedHashMap<>();
        for (Label l : labels) byFolder.computeIfAbsent(folder(l.path()), f -> new ArrayList<>()).add(l);
        if (k < 2) throw new IllegalArgumentException("--folds must be at least 2, got " + k);
        if (k > byFolder.size()) {
            throw new IllegalArgumentException("--folds " + k + " needs at least " + k + " source folders; the labels have "
                    + byFolder.size() + " (images of one folder always stay in one fold)");
        }
        List<String> order = new ArrayList<>(byFolder.keySet());
        order.sort(Comparator.comparingInt((String f) -> -byFolder.get(f).size()).thenComparing(Comparator.naturalOrder()));
        List<List<Label>> folds = new ArrayList<>(k);
        for (int i = 0; i < k; i++) folds.add(new ArrayList<>());
        for (String f : order) {
            List<Label> smallest = folds.get(0);
            for (List<Label> fold : folds) if (fold.size() < smallest.size()) smallest = fold;
            smallest.addAll(byFolder.get(f));
        }
        return folds.stream().map(List::copyOf).toList();
    }

    /** Every label not in {@code test}. */
    public static List<Label> training(List<Label> labels, List<Label> test) {
        java.util.Set<String> held = new java.util.HashSet<>();
        for (Label l : test) held.add(l.path());
        return labels.stream().filter(l -> !held.contains(l.path())).toList();
    }
}
