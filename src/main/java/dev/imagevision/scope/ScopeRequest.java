package dev.imagevision.scope;

import java.util.Set;

/**
 * The scope flags of one run (spec M18/M19), all AND-joined. Null means "flag not given".
 *
 * @param changedPaths provenance paths changed since {@code --changed-since REF}, or null
 * @param all          {@code --all}: the whole corpus
 * @param newOnly      {@code --new-only} given explicitly
 */
public record ScopeRequest(String mission, String agency, String source, String fleetAsset, String segment,
                           Set<String> changedPaths, boolean all, boolean newOnly) {

    public static ScopeRequest defaults() {
        return new ScopeRequest(null, null, null, null, null, null, false, false);
    }

    public boolean hasFilter() {
        return mission != null || agency != null || source != null || fleetAsset != null || segment != null
                || changedPaths != null;
    }

    /** Incremental mode: explicit, or implied when no flag narrows or widens the run. */
    public boolean incremental() {
        return newOnly || (!all && !hasFilter());
    }

    /** How the ledger and summary describe the scope, e.g. {@code mission=juice new-only}. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (all) s.append("all ");
        if (mission != null) s.append("mission=").append(mission).append(' ');
        if (agency != null) s.append("agency=").append(agency).append(' ');
        if (source != null) s.append("source=").append(source).append(' ');
        if (fleetAsset != null) s.append("fleet-asset=").append(fleetAsset).append(' ');
        if (segment != null) s.append("segment=").append(segment).append(' ');
        if (changedPaths != null) s.append("changed-since ");
        if (incremental()) s.append(hasFilter() ? "new-only" : "(default) new-only");
        return s.toString().strip();
    }
}
