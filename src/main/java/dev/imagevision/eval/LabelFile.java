package dev.imagevision.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.site.Json;
import dev.imagevision.site.SiteFileException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a labels file (a JSON array of {@link Label} objects, unknown keys ignored) and checks
 * every entry once, so the metrics can trust what they get.
 */
public final class LabelFile {
    private LabelFile() {}

    public static List<Label> read(Path file) {
        JsonNode tree = Json.readTree(file);
        if (!tree.isArray()) throw new SiteFileException(file, "expected a JSON array of labelled images");
        List<Label> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode node : tree) {
            String where = "entry #" + i + (node.hasNonNull("path") ? " (" + node.get("path").asText() + ")" : "");
            if (!node.isObject()) throw new SiteFileException(file, where + " is not an object");
            Label label;
            try {
                label = Json.convert(file, node, Json.LENIENT, Label.class);
            } catch (SiteFileException e) {
                String prefix = file + ": ";
                String m = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
                throw new SiteFileException(file, where + ": " + m, e);
            }
            String problem = problem(label);
            if (problem != null) throw new SiteFileException(file, where + ": " + problem);
            if (!seen.add(label.path())) throw new SiteFileException(file, where + ": the same path is labelled twice");
            out.add(label);
            i++;
        }
        if (out.isEmpty()) throw new SiteFileException(file, "has no labelled images");
        return List.copyOf(out);
    }

    /** What is wrong with one label, or null. */
    static String problem(Label l) {
        if (l.path() == null || l.path().isBlank()) return "\"path\" is missing";
        if (l.path().startsWith("/") || l.path().contains("\\") || List.of(l.path().split("/")).contains("..")) {
            return "\"path\" must be relative to the images folder, without \"..\"";
        }
        if (l.category() == null) return "\"category\" is missing (one of the nine)";
        if (l.subjectBox() == null) return "\"subject_box\" is missing";
        if (l.focalPoint() == null) return "\"focal_point\" is missing";
        var b = l.subjectBox();
        if (b.x() < 0 || b.y() < 0 || b.w() <= 0 || b.h() <= 0 || b.x() + b.w() > 1.0001 || b.y() + b.h() > 1.0001) {
            return "\"subject_box\" must lie inside the image with a positive width and height (fractions 0-1)";
        }
        var f = l.focalPoint();
        if (f.x() < 0 || f.x() > 1 || f.y() < 0 || f.y() > 1) return "\"focal_point\" must be fractions 0-1";
        return null;
    }
}
