package dev.imagevision.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.ledger.LedgerAudit;
import dev.imagevision.ledger.LedgerRow;
import dev.imagevision.site.GitIgnores;
import dev.imagevision.site.Json;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteFileException;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.site.SourceImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code validate} checks (spec M6). Errors — the build should stop: the manifest is not JSON,
 * breaks the schema, or names a variant file that is not there; the cost ledger is malformed or has a
 * row that cannot be counted as money (the next paid run would refuse it). Warnings — worth a look, never
 * fatal: an image that was scored has no entry, an entry's image left provenance, a flag the
 * manifest does not show yet, a curation file that does not parse, and (in a git work tree) a
 * machine-local file git would commit or a shared one it ignores. Everything is only read;
 * nothing is written.
 */
public final class ManifestCheck {
    private ManifestCheck() {}

    public enum Severity { ERROR, WARNING }

    /** One finding: the entry (image path) it is about, or null for the file as a whole. */
    public record Finding(@JsonProperty("severity") Severity severity, @JsonProperty("entry") String entry,
                          @JsonProperty("message") String message) {}

    /** What a check found. */
    public record Report(@JsonProperty("manifest") String manifest, @JsonProperty("entries") int entries,
                         @JsonProperty("findings") List<Finding> findings) {
        public List<Finding> errors() {
            return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
        }

        public List<Finding> warnings() {
            return findings.stream().filter(f -> f.severity() == Severity.WARNING).toList();
        }

        public boolean ok() {
            return errors().isEmpty();
        }
    }

    /** Checks the site's manifest, curation file, score cache and cost ledger. */
    public static Report run(Site site, ManifestSchema schema) {
        var paths = site.config().paths();
        Path manifestFile = site.file(paths.manifest());
        String shown = site.root().root().relativize(manifestFile).toString();
        List<Finding> findings = new ArrayList<>();
        Set<String> provenance = new TreeSet<>();
        for (SourceImage s : site.sources()) provenance.add(s.path());

        Curation curation = null;
        try {
            curation = CurationFile.read(site.file(paths.curation()));
        } catch (SiteFileException e) {
            // the site never reads the deny-list, so its build is not at stake (M6 fails only on the manifest)
            findings.add(new Finding(Severity.WARNING, null, "curation file: " + e.getMessage()
                    + "; imagevision score and flag refuse to run until it is fixed"));
        }

        findings.addAll(gitFindings(site));

        // "scored" from the cost ledger (committed, so a fresh checkout knows too), read one row at a time
        Map<String, String> scored = new TreeMap<>();
        findings.addAll(ledgerFindings(site.file(paths.ledger()), scored));

        if (!Files.exists(manifestFile)) {
            findings.add(new Finding(Severity.WARNING, null, "there is no manifest at " + shown
                    + " yet; run imagevision score to make one"));
            return new Report(shown, 0, findings);
        }
        JsonNode tree;
        try {
            tree = Json.readTree(manifestFile);
        } catch (SiteFileException e) {
            findings.add(new Finding(Severity.ERROR, null, e.getMessage()));
            return new Report(shown, 0, findings);
        }
        // and from the cache (this machine's)
        try {
            for (ScoreRecord r : new ScoreCache(site.file(paths.cache())).all()) {
                if (r.usable() && r.path() != null) scored.put(r.path(), "a score in the cache");
            }
        } catch (IOException e) {
            findings.add(new Finding(Severity.WARNING, null, "cannot read the score cache (" + e.getMessage()
                    + "); images scored but missing from the manifest are not reported"));
        }
        findings.addAll(check(tree, schema, provenance, scored, curation, site.root()));
        JsonNode entries = tree.path("entries");
        return new Report(shown, entries.isObject() ? entries.size() : 0, findings);
    }

    /**
     * The cost ledger, as a paid run would take it: malformed, or a row that cannot be counted as money
     * (see {@link LedgerRow}), is an error, every such row named by index and line; the site's build
     * does not read the ledger, but the next paid run refuses it, and here is where it is cheapest to
     * hear. A row repeating another's call id exactly is a warning: it is counted once. Notes in
     * {@code scored} each image a call was answered for.
     */
    static List<Finding> ledgerFindings(Path ledger, Map<String, String> scored) {
        List<Finding> out = new ArrayList<>();
        LedgerAudit audit;
        try {
            audit = LedgerAudit.of(ledger, call -> {
                if (!call.has("image_path") || !call.has("input_tokens")) return; // the site's older per-run rows
                if (call.path("call_id").asText("").startsWith("unconfirmed:")) return; // never known to be answered
                scored.put(call.path("image_path").asText(), "a paid call in the cost ledger");
            });
        } catch (SiteFileException | IOException e) {
            out.add(new Finding(Severity.ERROR, null, "cost ledger: " + e.getMessage()
                    + "; images it paid for but missing from the manifest are not reported"));
            return out;
        }
        for (LedgerAudit.Finding f : audit.problems()) {
            out.add(new Finding(Severity.ERROR, null, "cost ledger: " + f + "; a paid run refuses the ledger until it is fixed"));
        }
        if (audit.problemCount() > audit.problems().size()) {
            out.add(new Finding(Severity.ERROR, null, "cost ledger: " + (audit.problemCount() - audit.problems().size())
                    + " more rows that cannot be counted as money"));
        }
        for (LedgerAudit.Finding f : audit.repeats()) out.add(new Finding(Severity.WARNING, null, "cost ledger: " + f));
        if (audit.repeatCount() > audit.repeats().size()) {
            out.add(new Finding(Severity.WARNING, null, "cost ledger: " + (audit.repeatCount() - audit.repeats().size())
                    + " more repeated rows"));
        }
        return out;
    }

    /** What git should do with one of the site's files: leave it out (machine-local) or keep it (shared). */
    public enum GitRole { IGNORED, COMMITTED }

    /** One of the site's files as git sees it: its path as shown, what it should be, and whether git ignores it. */
    public record GitState(String shown, GitRole role, boolean ignored) {}

    /**
     * The spec's split between files that stay on this machine (the cache, the audit report and the
     * preview, git-ignored) and files the site shares (the manifest, the editor's deny-list, provenance, the
     * cost ledger: committed): a warning for each file git would treat the other way.
     */
    static List<Finding> gitFindings(List<GitState> states) {
        List<Finding> out = new ArrayList<>();
        for (GitState s : states) {
            if (s.role() == GitRole.IGNORED && !s.ignored()) {
                out.add(new Finding(Severity.WARNING, null, s.shown() + " is not git-ignored: it belongs to this machine "
                        + "and is remade by imagevision score; add it to .gitignore"));
            } else if (s.role() == GitRole.COMMITTED && s.ignored()) {
                out.add(new Finding(Severity.WARNING, null, s.shown() + " is git-ignored, but the site needs it in the "
                        + "repository (the front end reads the manifest; the deny-list, provenance and cost ledger exist "
                        + "nowhere else); remove it from .gitignore"));
            }
        }
        return out;
    }

    private static List<Finding> gitFindings(Site site) {
        var paths = site.config().paths();
        Path root = site.root().root();
        try (var git = GitIgnores.around(root).orElse(null)) {
            // a site git ignores as a whole (a scratch copy inside some repository) is not the repository's to judge
            if (git == null || git.ignored(root).orElse(false)) return List.of();
            Map<String, GitRole> wanted = new LinkedHashMap<>();
            wanted.put(paths.cache(), GitRole.IGNORED);
            wanted.put(paths.report(), GitRole.IGNORED);
            wanted.put(paths.preview(), GitRole.IGNORED);
            wanted.put(paths.manifest(), GitRole.COMMITTED);
            wanted.put(paths.curation(), GitRole.COMMITTED);
            wanted.put(paths.provenance(), GitRole.COMMITTED);
            wanted.put(paths.ledger(), GitRole.COMMITTED);
            List<GitState> states = new ArrayList<>();
            for (Map.Entry<String, GitRole> w : wanted.entrySet()) {
                Path file = site.file(w.getKey());
                var ignored = git.ignored(file); // a file not made yet has nothing to say
                if (ignored.isPresent()) states.add(new GitState(root.relativize(file).toString(), w.getValue(), ignored.get()));
            }
            return gitFindings(states);
        } catch (IOException | RuntimeException e) {
            return List.of(new Finding(Severity.WARNING, null, "cannot read the git repository around the site ("
                    + e.getMessage() + "); which files git ignores is not checked"));
        }
    }

    /**
     * The checks on a parsed manifest.
     *
     * @param provenance source image paths in provenance
     * @param scored     source image paths known to have been scored, each with what says so (the score
     *                   cache's usable score, or a paid call in the cost ledger)
     * @param curation   the deny-list, or null when it could not be read
     */
    static List<Finding> check(JsonNode tree, ManifestSchema schema, Set<String> provenance, Map<String, String> scored,
                               Curation curation, SiteRoot root) {
        List<Finding> out = new ArrayList<>();
        for (ManifestSchema.Violation v : schema.check(tree)) {
            String where = v.location().isEmpty() ? "" : v.location() + ": ";
            out.add(new Finding(Severity.ERROR, v.entry(), (v.entry() == null ? "header: " : "") + where + v.message()));
        }
        JsonNode entries = tree.path("entries");
        Map<String, JsonNode> byPath = new TreeMap<>();
        if (entries.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                byPath.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, JsonNode> e : byPath.entrySet()) {
            String path = e.getKey();
            if (!provenance.contains(path)) {
                out.add(new Finding(Severity.WARNING, path, "is not a source image in provenance any more; "
                        + "the next imagevision score run drops the entry (restore the provenance row to keep it)"));
            }
            JsonNode variants = e.getValue().path("variants");
            if (!variants.isObject()) continue;
            for (Iterator<Map.Entry<String, JsonNode>> it = variants.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                if (!v.getValue().isTextual() || v.getValue().textValue().isEmpty()) continue; // "" = not made (older files)
                out.addAll(variantProblems(path, v.getKey(), v.getValue().textValue(), provenance, root));
            }
        }
        scored.forEach((path, evidence) -> {
            if (provenance.contains(path) && !byPath.containsKey(path)) {
                out.add(new Finding(Severity.WARNING, path, "has " + evidence + " but no manifest entry; "
                        + "run imagevision score to add it"));
            }
        });
        if (curation != null) {
            for (CurationEntry row : curation.entries()) {
                if (!row.flagged() && !row.hasOverride()) continue;
                String path = row.path();
                if (path == null || !provenance.contains(path)) {
                    out.add(new Finding(Severity.WARNING, path, "is in the curation file but not a source image in provenance"));
                    continue;
                }
                JsonNode entry = byPath.get(path);
                if (row.flagged() && entry != null && !"human".equals(entry.path("rejected_by").asText(null))) {
                    out.add(new Finding(Severity.WARNING, path, "is flagged but the manifest still serves it; "
                            + "run imagevision score to apply the flag"));
                }
            }
        }
        return out;
    }

    private static boolean sourceExists(String path, SiteRoot root) {
        try {
            return Files.exists(root.resolveImage(path), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (SiteRoot.PathEscapeException e) {
            return true; // never a source anyway; the schema names the bad key
        }
    }

    private static List<Finding> variantProblems(String path, String ratio, String variant, Set<String> provenance,
                                                 SiteRoot root) {
        Path file;
        try {
            file = root.resolveImage(variant);
        } catch (SiteRoot.PathEscapeException e) {
            return List.of(new Finding(Severity.ERROR, path, "variant " + ratio + " → " + variant + " is not a safe path inside the site"));
        }
        if (Files.isRegularFile(file)) return List.of();
        String shown = root.root().relativize(file).toString();
        String fix;
        if (!provenance.contains(path)) {
            fix = "the image is not in provenance either: run imagevision score, which drops the entry "
                    + "(or restore the provenance row and the image to keep it)";
        } else if (!sourceExists(path, root)) {
            fix = "the source image " + root.root().relativize(root.resolveImage(path)) + " is gone too: run imagevision "
                    + "score, which drops the entry (or restore the image to have it cut again)";
        } else {
            fix = "run imagevision score to cut it again";
        }
        return List.of(new Finding(Severity.ERROR, path, "variant " + ratio + " → " + variant
                + " is missing (no file " + shown + "); " + fix));
    }
}
