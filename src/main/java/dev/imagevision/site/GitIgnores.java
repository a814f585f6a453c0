package dev.imagevision.site;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.treewalk.filter.PathFilter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether git ignores a file of the site, by the rules of the repository that holds it (every
 * {@code .gitignore} on the way, {@code info/exclude}, {@code core.excludesFile}), read with JGit.
 * Only read; nothing in the repository changes.
 */
public final class GitIgnores implements AutoCloseable {
    private final Repository repo;
    private final Path workTree;

    private GitIgnores(Repository repo) throws IOException {
        this.repo = repo;
        this.workTree = repo.getWorkTree().toPath().toRealPath();
    }

    /** The repository holding {@code siteRoot}, or empty when the site is not inside a git work tree. */
    public static Optional<GitIgnores> around(Path siteRoot) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(siteRoot.toFile());
        if (builder.getGitDir() == null) return Optional.empty();
        Repository repo = builder.build();
        if (repo.isBare()) {
            repo.close();
            return Optional.empty();
        }
        return Optional.of(new GitIgnores(repo));
    }

    /**
     * True when git ignores the file or folder (or a folder it is in), false when it would be
     * tracked; empty when it does not exist or lies outside the work tree (nothing to say).
     */
    public Optional<Boolean> ignored(Path file) throws IOException {
        if (!Files.exists(file)) return Optional.empty();
        Path real = file.toRealPath();
        if (real.equals(workTree)) return Optional.of(false); // the work tree itself is never ignored
        if (!real.startsWith(workTree)) return Optional.empty();
        String rel = workTree.relativize(real).toString().replace('\\', '/');
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(new FileTreeIterator(repo));
            walk.setFilter(PathFilter.create(rel));
            walk.setRecursive(false);
            while (walk.next()) {
                WorkingTreeIterator entry = walk.getTree(0, WorkingTreeIterator.class);
                // a folder git ignores hides everything under it
                if (entry.isEntryIgnored()) return Optional.of(true);
                if (walk.getPathString().equals(rel)) return Optional.of(false);
                if (walk.isSubtree()) walk.enterSubtree();
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        repo.close();
    }
}
