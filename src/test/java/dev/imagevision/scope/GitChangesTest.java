package dev.imagevision.scope;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --changed-since against a real temporary git repository. */
class GitChangesTest {

    static void write(Path root, String rel, String content) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    static String provenance(String... rows) {
        return "{\"entries\": [" + String.join(",", rows) + "]}";
    }

    static String row(String path, String agency) {
        return "{\"path\": \"" + path + "\", \"agency\": \"" + agency + "\"}";
    }

    @Test
    void changedAddedAndReRowedImagesSinceARef(@TempDir Path repo) throws Exception {
        Path site = repo.resolve("site");
        write(site, "static/images/missions/a/01.jpg", "one");
        write(site, "static/images/missions/a/02.jpg", "two");
        write(site, "static/images/missions/b/01.jpg", "three");
        write(site, "static/data/image-provenance.json", provenance(row("/images/missions/a/01.jpg", "NASA"),
                row("/images/missions/a/02.jpg", "NASA"), row("/images/missions/b/01.jpg", "ESA")));
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("base").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org")
                    .setSign(false).call();
        }
        write(site, "static/images/missions/a/01.jpg", "one, edited");          // modified, not committed
        write(site, "static/images/missions/c/01.jpg", "new");                  // new, untracked
        write(site, "static/data/image-provenance.json", provenance(row("/images/missions/a/01.jpg", "NASA"),
                row("/images/missions/a/02.jpg", "NASA"), row("/images/missions/b/01.jpg", "ESA / JAXA"),
                row("/images/missions/c/01.jpg", "NASA")));

        var changed = GitChanges.since(site, site.resolve("static"), site.resolve("static/data/image-provenance.json"), "main");
        assertThat(changed).contains("/images/missions/a/01.jpg", "/images/missions/b/01.jpg", "/images/missions/c/01.jpg")
                .doesNotContain("/images/missions/a/02.jpg");
    }

    @Test
    void anUnknownRefIsAClearError(@TempDir Path repo) throws Exception {
        write(repo, "static/data/image-provenance.json", "[]");
        try (Git git = Git.init().setDirectory(repo.toFile()).call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("base").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org")
                    .setSign(false).call();
        }
        assertThatThrownBy(() -> GitChanges.since(repo, repo.resolve("static"), repo.resolve("static/data/image-provenance.json"),
                "no-such-branch")).isInstanceOf(ScopeException.class).hasMessageContaining("no such commit");
    }

    @Test
    void outsideARepositoryIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> GitChanges.since(dir, dir.resolve("static"), dir.resolve("p.json"), "main"))
                .isInstanceOf(ScopeException.class).hasMessageContaining("not inside a git repository");
    }
}
