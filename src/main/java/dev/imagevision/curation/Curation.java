package dev.imagevision.curation;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The editor's deny-list and overrides, {@code static/data/image-curation.json}:
 * {@code {version, entries: [{path, reason, flaggedAt, …}]}}. Human-edited and committed. Pure:
 * every change returns a new value; rows keep their file order, a new flag goes to the end.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"version", "entries"})
public record Curation(@JsonProperty("version") JsonNode version,
                       @JsonProperty("entries") List<CurationEntry> entries,
                       @JsonAnySetter @JsonAnyGetter @JsonInclude(JsonInclude.Include.NON_EMPTY)
                       Map<String, JsonNode> extra) {

    /** Only the newest this-many flags are ever eligible for the prompt (spec M16). */
    public static final int PROMPT_WINDOW = 100;
    /** How many reasons the prompt carries. */
    public static final int PROMPT_REASONS = 5;

    public static Curation empty() {
        return new Curation(TextNode.valueOf("1.0"), List.of(), null);
    }

    public Curation {
        entries = entries == null ? List.of() : entries.stream().filter(e -> e != null).toList();
        extra = extra == null ? new TreeMap<>() : new TreeMap<>(extra);
    }

    public Curation(JsonNode version, List<CurationEntry> entries) {
        this(version, entries, null);
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

    /**
     * Flagged rows, newest first: by {@code flaggedAt} as an instant (a missing or unreadable date
     * counts as oldest), then later in the file first, since flags are appended.
     */
    public List<CurationEntry> newestFirst() {
        return newest(Integer.MAX_VALUE);
    }

    /**
     * The {@code n} newest flags, newest first (ties: the later row first). Each date is read once and
     * only {@code n} rows are ever held in order, so a deny-list of ten thousand flags costs little.
     */
    List<CurationEntry> newest(int n) {
        record Dated(Instant at, int index) {}
        Comparator<Dated> oldestFirst = Comparator.comparing(Dated::at).thenComparingInt(Dated::index);
        java.util.PriorityQueue<Dated> keep = new java.util.PriorityQueue<>(oldestFirst);
        for (int i = 0; i < entries.size(); i++) {
            if (!entries.get(i).flagged()) continue;
            keep.add(new Dated(instant(entries.get(i).flaggedAt()), i));
            if (keep.size() > n) keep.poll();
        }
        List<Dated> order = new ArrayList<>(keep);
        order.sort(oldestFirst.reversed());
        return order.stream().map(d -> entries.get(d.index())).toList();
    }

    /**
     * What the scoring prompt learns from (spec M16): the {@value #PROMPT_REASONS} most recent
     * distinct reasons among the newest {@value #PROMPT_WINDOW} flags. Repeating one reason over
     * many images would otherwise crowd the others out of the prompt.
     */
    public List<String> recentReasons() {
        Set<String> out = new LinkedHashSet<>();
        for (CurationEntry e : newest(PROMPT_WINDOW)) {
            if (out.size() == PROMPT_REASONS) break;
            out.add(e.reason().strip().replaceAll("\\s+", " "));
        }
        return List.copyOf(out);
    }

    /** Flags a path with a reason; an existing row keeps its overrides and moves to the end (it is the newest flag). */
    public Curation flag(String path, String reason, String flaggedAt) {
        CurationEntry row = entry(path).orElse(CurationEntry.of(path)).withFlag(reason, flaggedAt);
        List<CurationEntry> next = new ArrayList<>(without(path));
        next.add(row);
        return new Curation(version, next, extra);
    }

    /** Lifts the flag; a row that still carries overrides (or fields of someone else's) stays, without reason and date. */
    public Curation unflag(String path) {
        return change(path, CurationEntry::withoutFlag);
    }

    /**
     * Changes the row for a path in place (a new row is appended); several rows for one path
     * become one; a row left with nothing in it is removed.
     */
    public Curation change(String path, UnaryOperator<CurationEntry> edit) {
        CurationEntry row = edit.apply(entry(path).orElse(CurationEntry.of(path)));
        List<CurationEntry> next = new ArrayList<>();
        boolean placed = false;
        for (CurationEntry e : entries) {
            if (!path.equals(e.path())) {
                next.add(e);
            } else if (!placed) {
                placed = true;
                if (!row.empty()) next.add(row);
            }
        }
        if (!placed && !row.empty()) next.add(row);
        return new Curation(version, next, extra);
    }

    private List<CurationEntry> without(String path) {
        return entries.stream().filter(e -> !path.equals(e.path())).toList();
    }

    static Instant instant(String raw) {
        if (raw == null) return Instant.MIN;
        try {
            return Instant.parse(raw.strip());
        } catch (DateTimeParseException e) {
            return Instant.MIN;
        }
    }
}
