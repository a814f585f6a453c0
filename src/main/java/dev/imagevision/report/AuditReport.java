package dev.imagevision.report;

import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.curation.Curation;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.site.Site;
import dev.imagevision.site.SourceImage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The editor's audit report: one HTML file, grouped by entity, hero and gallery first. Every
 * string from the model or from provenance is escaped.
 */
public final class AuditReport {
    private AuditReport() {}

    public static void write(Site site, Manifest manifest, Curation curation, Path target) throws IOException {
        AtomicFiles.writeIfChanged(target, render(site, manifest, curation, target).getBytes(StandardCharsets.UTF_8));
    }

    static String render(Site site, Manifest manifest, Curation curation, Path target) {
        Map<String, SourceImage> provenance = new HashMap<>();
        for (SourceImage s : site.sources()) provenance.put(s.path(), s);
        Map<String, List<Map.Entry<String, ManifestEntry>>> groups = new TreeMap<>();
        for (Map.Entry<String, ManifestEntry> e : manifest.entries().entrySet()) {
            String group = e.getValue().selection() == null ? "(ungrouped)" : e.getValue().selection().group();
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(e);
        }
        Path reportDir = target.toAbsolutePath().getParent();
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self' data: file:; style-src 'unsafe-inline'\">")
                .append("<title>imagevision audit report</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:1.5rem;background:#111;color:#eee}")
                .append("section{margin-bottom:2rem}.cards{display:flex;flex-wrap:wrap;gap:12px}")
                .append(".card{width:220px;background:#1d1d1d;padding:8px;border-radius:6px}")
                .append(".card img{width:192px;height:192px;object-fit:cover;display:block;background:#000}")
                .append(".hero{outline:2px solid #f5c542}.rejected{opacity:.6}.meta{color:#aaa;font-size:12px}")
                .append("</style></head><body>\n<h1>imagevision audit report</h1>\n");
        h.append("<p class=\"meta\">").append(manifest.entries().size()).append(" images in ")
                .append(groups.size()).append(" groups · provider ").append(Html.escape(manifest.visionProvider()))
                .append(" · model ").append(Html.escape(manifest.visionModel())).append("</p>\n");
        for (Map.Entry<String, List<Map.Entry<String, ManifestEntry>>> g : groups.entrySet()) {
            List<Map.Entry<String, ManifestEntry>> list = g.getValue();
            list.sort(Comparator.comparingInt((Map.Entry<String, ManifestEntry> e) -> order(e.getValue()))
                    .thenComparing(Map.Entry::getKey));
            h.append("<section><h2>").append(Html.escape(g.getKey())).append("</h2><div class=\"cards\">\n");
            for (Map.Entry<String, ManifestEntry> e : list) card(h, e.getKey(), e.getValue(), provenance.get(e.getKey()),
                    curation, site, reportDir);
            h.append("</div></section>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static int order(ManifestEntry e) {
        if (e.selection() == null) return 100;
        return switch (e.selection().role()) {
            case "hero" -> 0;
            case "gallery" -> e.selection().rank() == null ? 50 : e.selection().rank();
            default -> 100;
        };
    }

    private static void card(StringBuilder h, String path, ManifestEntry e, SourceImage source, Curation curation,
                             Site site, Path reportDir) {
        String status = status(e, curation.flagged(path));
        boolean hero = e.selection() != null && "hero".equals(e.selection().role());
        h.append("<div class=\"card").append(hero ? " hero" : "").append(e.rejectedBy() != null && !hero ? " rejected" : "")
                .append("\">");
        String thumb = e.variants() == null ? null : e.variants().get("1x1");
        if (thumb != null && !thumb.isEmpty()) {
            try {
                Path file = site.root().resolveImage(thumb);
                h.append("<img alt=\"\" loading=\"lazy\" src=\"")
                        .append(Html.escape(reportDir.relativize(file).toString().replace('\\', '/'))).append("\">");
            } catch (RuntimeException ignored) {
                // a variant path that would leave the site is not linked
            }
        }
        h.append("<div><b>").append(e.score() == null ? "–" : e.score()).append("</b> · ")
                .append(Html.escape(e.category())).append(" · ").append(Html.escape(status)).append("</div>");
        h.append("<div>").append(Html.escape(e.subject())).append("</div>");
        h.append("<div class=\"meta\">").append(Html.escape(path));
        if (e.focalPoint() != null) {
            h.append(String.format(Locale.ROOT, " · focal %.2f, %.2f", e.focalPoint().x(), e.focalPoint().y()));
        }
        if (e.scoringCostUsd() != null) h.append(String.format(Locale.ROOT, " · $%.4f", e.scoringCostUsd()));
        if (source != null) {
            h.append(" · ").append(Html.escape(source.provenance().licenseShort())).append(" · ")
                    .append(Html.escape(source.provenance().creditLine()));
        }
        h.append("</div></div>\n");
    }

    static String status(ManifestEntry e, boolean flagged) {
        if (flagged) return "rejected: human";
        if (e.selection() == null) return "not selected";
        if ("hero".equals(e.selection().role())) return Boolean.TRUE.equals(e.fallback()) ? "hero (fallback)" : "hero";
        if ("gallery".equals(e.selection().role())) return "gallery slot " + e.selection().rank();
        return e.rejectedBy() == null ? "not selected" : "rejected: " + e.rejectedBy();
    }
}
