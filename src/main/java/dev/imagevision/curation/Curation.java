package dev.imagevision.curation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The editor's deny-list and overrides, {@code static/data/image-curation.json}:
 * {@code {version, entries: [{path, reason, flaggedAt, …}]}}. Human-edited and committed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Curation(@JsonProperty("version") JsonNode version, @JsonProperty("entries") List<CurationEntry> entries) {

    /** Only the last this-many rows are ever eligible for the prompt (spec M16). */
    public static final int PROMPT_WINDOW = 100;
    /** How many reasons the prompt carries. */
    public static final int PROMPT_REASONS = 5;

    public static Curation empty() {
        return new Curation(TextNode.valueOf("1.0"), List.of());
    }

    public Curation {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /** The row for a path (the last one wins if the file repeats a path). */
    public Optional<CurationEntry> entry(String path) {
        CurationEntry found = null;
        for (CurationEntry e : entries) if (path.equals(e.path())) found = e;
        return Optional.ofNullable(found);
    }

    public boolean flagged(String path) {
        return entry(path).map(CurationEntry::flagged).orElse(false);
    }

    /** Rows by path (last wins). */
    public Map<String, CurationEntry> byPath() {
        Map<String, CurationEntry> out = new LinkedHashMap<>();
        for (CurationEntry e : entries) if (e.path() != null) out.put(e.path(), e);
        return out;
    }

    /** The newest {@value #PROMPT_REASONS} reasons among the last {@value #PROMPT_WINDOW} flagged rows. */
    public List<String> recentReasons() {
        List<CurationEntry> flaggedRows = entries.stream().filter(CurationEntry::flagged).toList();
        List<CurationEntry> window = new ArrayList<>(
                flaggedRows.subList(Math.max(0, flaggedRows.size() - PROMPT_WINDOW), flaggedRows.size()));
        // newest first; rows without a date count as oldest; file order breaks ties (later = newer)
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < window.size(); i++) order.add(i);
        order.sort(Comparator.<Integer, String>comparing(i -> String.valueOf(window.get(i).flaggedAt()))
                .thenComparing(i -> i).reversed());
        List<String> out = new ArrayList<>();
        for (int i : order) {
            if (out.size() == PROMPT_REASONS) break;
            out.add(window.get(i).reason().strip());
        }
        return out;
    }
}
