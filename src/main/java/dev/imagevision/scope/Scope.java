package dev.imagevision.scope;

import dev.imagevision.site.SourceImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Which source images a run touches. Pure: flags and rows in, rows out. */
public final class Scope {
    private Scope() {}

    /**
     * The sources in scope, in input order.
     *
     * @param fleetAssets the configured path patterns per fleet-asset type
     * @param needsWork   for incremental runs: true when an entry is new or its cache key inputs changed
     */
    public static List<SourceImage> select(List<SourceImage> sources, ScopeRequest req,
                                           Map<String, List<String>> fleetAssets, Predicate<SourceImage> needsWork) {
        Predicate<SourceImage> p = matcher(req, fleetAssets);
        List<SourceImage> out = new ArrayList<>();
        for (SourceImage s : sources) {
            if (!p.test(s)) continue;
            if (req.incremental() && !needsWork.test(s)) continue;
            out.add(s);
        }
        return out;
    }

    /** The AND of every given filter flag (incremental mode aside). */
    public static Predicate<SourceImage> matcher(ScopeRequest req, Map<String, List<String>> fleetAssets) {
        Predicate<SourceImage> p = s -> true;
        if (req.mission() != null) {
            p = p.and(s -> s.image().isMission() && s.image().entity().equals(req.mission()));
        }
        if (req.agency() != null) {
            Pattern word = agencyPattern(req.agency());
            p = p.and(s -> word.matcher(s.provenance().agencyOrEmpty()).find());
        }
        if (req.source() != null) {
            p = p.and(s -> s.provenance().sourceTypeOrEmpty().equals(req.source()));
        }
        if (req.fleetAsset() != null) {
            List<String> patterns = fleetAssets.getOrDefault(req.fleetAsset(), List.of());
            p = p.and(s -> patterns.stream().anyMatch(pattern -> s.path().contains(pattern)));
        }
        if (req.segment() != null) {
            p = p.and(s -> s.image().segment().equals(req.segment()));
        }
        if (req.changedPaths() != null) {
            Set<String> changed = req.changedPaths();
            p = p.and(s -> changed.contains(s.path()));
        }
        return p;
    }

    /** "ESA" matches "NASA / ESA / ASI" and "esa" but not "NASA": whole words, any case. */
    static Pattern agencyPattern(String agency) {
        return Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(agency.strip()) + "(?![A-Za-z0-9])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /**
     * Refuses a flag value that matches nothing the site has, naming what it does have, so a typo
     * ({@code --segment nope}) is an error and not a silent empty run.
     */
    public static void validate(List<SourceImage> sources, ScopeRequest req, Map<String, List<String>> fleetAssets,
                                Set<String> missionIds) {
        if (req.segment() != null) {
            Set<String> segments = sources.stream().map(s -> s.image().segment()).filter(x -> !x.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!segments.contains(req.segment())) throw unknown("--segment", req.segment(), segments);
        }
        if (req.mission() != null) {
            Set<String> ids = new TreeSet<>(missionIds);
            sources.stream().filter(s -> s.image().isMission()).forEach(s -> ids.add(s.image().entity()));
            if (!ids.contains(req.mission())) throw unknown("--mission", req.mission(), ids);
        }
        if (req.source() != null) {
            Set<String> types = sources.stream().map(s -> s.provenance().sourceTypeOrEmpty()).filter(x -> !x.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!types.contains(req.source())) throw unknown("--source", req.source(), types);
        }
        if (req.fleetAsset() != null) {
            // a type is known to this site when its path patterns match an image, like every other flag's values
            Set<String> withImages = new TreeSet<>();
            fleetAssets.forEach((type, patterns) -> {
                long n = sources.stream().filter(s -> patterns.stream().anyMatch(pt -> s.path().contains(pt))).count();
                if (n > 0) withImages.add(type + " (" + n + (n == 1 ? " image, " : " images, ") + String.join(" ", patterns) + ")");
            });
            List<String> patterns = fleetAssets.get(req.fleetAsset());
            boolean matches = patterns != null
                    && sources.stream().anyMatch(s -> patterns.stream().anyMatch(pt -> s.path().contains(pt)));
            if (!matches) {
                String why = patterns == null ? "is not a configured fleet-asset type"
                        : "matches no image (its paths contain none of " + String.join(", ", patterns) + ")";
                throw new ScopeException(String.format(Locale.ROOT, "--fleet-asset %s %s. Types with images here: %s. "
                                + "Path patterns per type are set in imagevision.json (\"fleet_assets\")", req.fleetAsset(),
                        why, withImages.isEmpty() ? "(none)" : String.join("; ", withImages)));
            }
        }
        if (req.agency() != null) {
            Pattern word = agencyPattern(req.agency());
            boolean any = sources.stream().anyMatch(s -> word.matcher(s.provenance().agencyOrEmpty()).find());
            if (!any) {
                Set<String> agencies = sources.stream().map(s -> s.provenance().agencyOrEmpty().strip())
                        .filter(x -> !x.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
                throw unknown("--agency", req.agency(), agencies);
            }
        }
    }

    private static ScopeException unknown(String flag, String value, Set<String> known) {
        List<String> shown = known.stream().limit(40).toList();
        String more = known.size() > shown.size() ? ", … (" + known.size() + " in all)" : "";
        return new ScopeException(String.format(Locale.ROOT, "%s %s matches nothing in this site. Known values: %s%s",
                flag, value, known.isEmpty() ? "(none)" : String.join(", ", shown), more));
    }
}
