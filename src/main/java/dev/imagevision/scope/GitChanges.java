package dev.imagevision.scope;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.site.Json;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --changed-since REF}: the provenance paths whose image files differ between REF and the
 * working tree (new, untracked files included), plus those whose provenance row changed.
 */
public final class GitChanges {
    private GitChanges() {}

    public static Set<String> since(Path siteRoot, Path staticDir, Path provenanceFile, String ref) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(siteRoot.toFile());
        if (builder.getGitDir() == null) {
            throw new ScopeException("--changed-since " + ref + ": " + siteRoot + " is not inside a git repository");
        }
        try (Repository repo = builder.build(); Git git = new Git(repo); RevWalk walk = new RevWalk(repo);
             ObjectReader reader = repo.newObjectReader()) {
            ObjectId id = repo.resolve(ref);
            if (id == null) throw new ScopeException("--changed-since " + ref + ": no such commit, branch or tag");
            RevCommit commit = walk.parseCommit(id);
            CanonicalTreeParser old = new CanonicalTreeParser();
            old.reset(reader, commit.getTree());
            Path work = repo.getWorkTree().toPath().toRealPath();
            Path realStatic = staticDir.toRealPath();
            Set<String> changed = new TreeSet<>();
            List<DiffEntry> diffs = git.diff().setOldTree(old).setShowNameAndStatusOnly(true).call();
            for (DiffEntry d : diffs) {
                for (String p : new String[] {d.getOldPath(), d.getNewPath()}) {
                    if (p == null || p.equals(DiffEntry.DEV_NULL)) continue;
                    Path abs = work.resolve(p).normalize();
                    if (abs.startsWith(realStatic)) {
                        changed.add("/" + realStatic.relativize(abs).toString().replace('\\', '/'));
                    }
                }
            }
            Path realProvenance = provenanceFile.toRealPath();
            if (realProvenance.startsWith(work)) {
                String rel = work.relativize(realProvenance).toString().replace('\\', '/');
                changed.addAll(changedRows(repo, reader, commit, rel, provenanceFile));
            }
            return changed;
        } catch (IOException | GitAPIException e) {
            throw new ScopeException("--changed-since " + ref + ": cannot read the git repository: " + e.getMessage());
        }
    }

    /** Paths whose provenance row is new or different now compared with the file at the commit. */
    static Set<String> changedRows(Repository repo, ObjectReader reader, RevCommit commit, String repoPath,
                                   Path current) throws IOException {
        Set<String> out = new TreeSet<>();
        Map<String, JsonNode> before = new HashMap<>();
        try (TreeWalk tw = TreeWalk.forPath(repo, repoPath, commit.getTree())) {
            if (tw != null) {
                ObjectLoader loader = reader.open(tw.getObjectId(0));
                try {
                    rows(Json.LENIENT.readTree(loader.getBytes()), before);
                } catch (IOException e) {
                    // the old file did not parse: every current row counts as changed
                }
            }
        }
        Map<String, JsonNode> now = new HashMap<>();
        rows(Json.LENIENT.readTree(Files.readAllBytes(current)), now);
        for (Map.Entry<String, JsonNode> e : now.entrySet()) {
            if (!e.getValue().equals(before.get(e.getKey()))) out.add(e.getKey());
        }
        return out;
    }

    private static void rows(JsonNode tree, Map<String, JsonNode> out) {
        if (tree == null) return;
        JsonNode entries = tree.isObject() && tree.has("entries") ? tree.get("entries") : tree;
        if (entries.isArray()) {
            for (JsonNode e : entries) if (e.hasNonNull("path")) out.put(e.get("path").asText(), e);
        } else if (entries.isObject()) {
            entries.fields().forEachRemaining(e -> {
                if (e.getValue().isObject()) {
                    out.put(e.getValue().hasNonNull("path") ? e.getValue().get("path").asText() : e.getKey(), e.getValue());
                }
            });
        }
    }
}
