package dev.imagevision.manifest;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class SelectionChangesTest {
    static ManifestEntry entry(String group, String role) {
        return new ManifestEntry(6, "s", "surface", null, null, true, null, null, null, null, false,
                new ManifestEntry.Selection(group, role, role.equals("gallery") ? 1 : null), null, null, null, 0.0);
    }

    static Manifest manifest(String... pathGroupRole) {
        Map<String, ManifestEntry> e = new TreeMap<>();
        for (int i = 0; i < pathGroupRole.length; i += 3) e.put(pathGroupRole[i], entry(pathGroupRole[i + 1], pathGroupRole[i + 2]));
        return new Manifest(1, null, null, null, null, e);
    }

    @Test
    void aNewHeroAndGalleryMovesAreNamedPerGroup() {
        Manifest before = manifest("/images/missions/hubble/03.jpg", "missions/hubble", "hero",
                "/images/missions/hubble/04.jpg", "missions/hubble", "gallery",
                "/images/missions/hubble/02.jpg", "missions/hubble", "gallery",
                "/images/missions/juice/01.jpg", "missions/juice", "hero");
        Manifest after = manifest("/images/missions/hubble/03.jpg", "missions/hubble", "none",
                "/images/missions/hubble/04.jpg", "missions/hubble", "hero",
                "/images/missions/hubble/02.jpg", "missions/hubble", "gallery",
                "/images/missions/juice/01.jpg", "missions/juice", "hero");
        assertThat(SelectionChanges.lines(before, after)).containsExactly("missions/hubble: hero 03.jpg → 04.jpg, gallery −04.jpg");
        assertThat(SelectionChanges.lines(after, after)).isEmpty();
    }

    @Test
    void aFirstRunSaysHowManyGroupsItPickedFor() {
        Manifest empty = manifest();
        Manifest after = manifest("/images/missions/juice/01.jpg", "missions/juice", "hero");
        assertThat(SelectionChanges.lines(empty, after)).containsExactly("picked a hero and gallery in 1 group");
    }

    @Test
    void manyChangedGroupsAreCounted() {
        String[] before = new String[3 * 30], after = new String[3 * 30];
        for (int i = 0; i < 30; i++) {
            before[3 * i] = after[3 * i] = "/images/missions/m" + i + "/01.jpg";
            before[3 * i + 1] = after[3 * i + 1] = "missions/m" + i;
            before[3 * i + 2] = "none";
            after[3 * i + 2] = "hero";
        }
        var lines = SelectionChanges.lines(manifest(before), manifest(after));
        assertThat(lines).hasSize(SelectionChanges.SHOWN + 1);
        assertThat(lines.get(lines.size() - 1)).startsWith("… and 10 more groups");
    }
}
