package dev.imagevision.site;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Source → variant paths: one-to-one, never on a source, the same however the rows are ordered. */
class VariantNamesTest {
    static final List<String> IDS = List.of("1x1", "4x3", "16x9");

    @Provide
    Arbitrary<List<String>> rows() {
        Arbitrary<String> folder = Arbitraries.of("/images/a/", "/images/a/", "/images/B/", "/images/b/");
        Arbitrary<String> stem = Arbitraries.oneOf(
                Arbitraries.of("b", "B", "c", "01", "d.webp", "x.1x1", "e\u0301", "\u00e9", "poster.2048x1024", "b.jpg",
                        "b.png", "01.jpg"),
                Arbitraries.strings().withChars("ab").ofMinLength(240).ofMaxLength(252));
        Arbitrary<String> ext = Arbitraries.of(".jpg", ".JPG", ".png", ".webp", ".jpeg", ".Jpg");
        Arbitrary<String> suffix = Arbitraries.of("", "", "", ".1x1.jpg", ".4x3.jpg", ".16x9.jpg", ".16X9.jpg");
        Arbitrary<String> row = Combinators.combine(folder, stem, ext, suffix).as((f, s, e, x) -> x.isEmpty() ? f + s + e : f + s + x);
        return row.list().ofMinSize(1).ofMaxSize(14);
    }

    @Property(tries = 400)
    void everyVariantPathBelongsToOneSourceAndNeverLandsOnASource(@ForAll("rows") List<String> rows) {
        VariantNames.Assignment a = VariantNames.assign(rows, IDS);

        // every row is a source or a listed variant, never both
        Set<String> distinct = new TreeSet<>(rows);
        Set<String> all = new TreeSet<>(a.sources());
        all.addAll(a.variantRows().keySet());
        assertThat(all).isEqualTo(distinct);
        for (String v : a.variantRows().keySet()) assertThat(a.sources()).doesNotContain(v);

        Set<String> foldedSources = new HashSet<>();
        for (String s : a.sources()) foldedSources.add(VariantNames.folded(s));
        Map<String, String> owner = new HashMap<>();
        for (String s : a.sources()) {
            VariantNames.VariantPaths v = a.of(s);
            for (String id : IDS) {
                // each variant is written somewhere or refused with a reason, not both
                assertThat(v.paths().containsKey(id) ^ v.refused().containsKey(id)).as(s + " " + id).isTrue();
                String p = v.paths().get(id);
                if (p == null) {
                    assertThat(v.refused().get(id)).isNotBlank();
                    continue;
                }
                assertThat(owner.put(VariantNames.folded(p), s)).as(p + " (also " + owner.get(VariantNames.folded(p)) + ")").isNull();
                assertThat(foldedSources).as(p + " is a source").doesNotContain(VariantNames.folded(p));
                assertThat(p).startsWith(s.substring(0, s.lastIndexOf('/') + 1)).endsWith("." + id + ".jpg");
                assertThat(p.substring(p.lastIndexOf('/') + 1).getBytes(StandardCharsets.UTF_8).length)
                        .isLessThanOrEqualTo(VariantNames.NAME_MAX);
            }
        }
        // a listed variant is one of the names its source could have
        for (var e : a.variantRows().entrySet()) {
            List<String> names = new ArrayList<>();
            for (String id : IDS) {
                names.add(VariantNames.plain(e.getValue(), id));
                names.add(VariantNames.qualified(e.getValue(), id));
            }
            assertThat(names).contains(e.getKey());
        }
    }

    @Property(tries = 200)
    void theOrderOfProvenanceRowsChangesNothing(@ForAll("rows") List<String> rows, @ForAll long seed) {
        List<String> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(VariantNames.assign(shuffled, IDS)).isEqualTo(VariantNames.assign(rows, IDS));
    }

    @Example
    void aLoneSourceKeepsTheDocumentedNamesAndItsListedVariantsAreNotSources() {
        var a = VariantNames.assign(List.of("/images/x/01.jpg", "/images/x/01.1x1.jpg", "/images/x/poster.2048x1024.jpg",
                "/images/x/lone.1x1.jpg"), IDS);
        assertThat(a.sources()).containsExactly("/images/x/01.jpg", "/images/x/lone.1x1.jpg", "/images/x/poster.2048x1024.jpg");
        assertThat(a.variantRows()).containsExactly(Map.entry("/images/x/01.1x1.jpg", "/images/x/01.jpg"));
        assertThat(a.of("/images/x/01.jpg").paths()).containsEntry("1x1", "/images/x/01.1x1.jpg")
                .containsEntry("16x9", "/images/x/01.16x9.jpg");
        assertThat(a.of("/images/x/lone.1x1.jpg").paths()).containsEntry("1x1", "/images/x/lone.1x1.1x1.jpg");
    }

    @Example
    void sourcesSharingAStemEachWriteUnderTheirWholeFileName() {
        var a = VariantNames.assign(List.of("/images/x/b.jpg", "/images/x/b.png", "/images/x/c.jpg"), IDS);
        assertThat(a.of("/images/x/b.jpg").paths()).containsEntry("1x1", "/images/x/b.jpg.1x1.jpg");
        assertThat(a.of("/images/x/b.png").paths()).containsEntry("1x1", "/images/x/b.png.1x1.jpg");
        assertThat(a.of("/images/x/c.jpg").paths()).containsEntry("1x1", "/images/x/c.1x1.jpg");
    }

    @Example
    void namesThatDifferOnlyByCaseAreRefusedByName() {
        var a = VariantNames.assign(List.of("/images/x/c.jpg", "/images/x/c.JPG"), IDS);
        assertThat(a.of("/images/x/c.jpg").paths()).isEmpty();
        assertThat(a.of("/images/x/c.jpg").refused().get("1x1")).contains("/images/x/c.JPG", "letter case");
        assertThat(a.of("/images/x/c.JPG").refused().get("1x1")).contains("/images/x/c.jpg");
    }
}
