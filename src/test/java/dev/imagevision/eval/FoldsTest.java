package dev.imagevision.eval;

import dev.imagevision.crop.CropSpec;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The folder split behind {@code eval --folds}: near-duplicates (one folder) never straddle training and test. */
class FoldsTest {
    @Provide
    Arbitrary<List<Label>> labelled() {
        Arbitrary<String> folder = Arbitraries.of("a", "b", "c/d", "c", "e", "f", "g", "hh", "images/x", "images/y");
        return Arbitraries.integers().between(0, 9999).flatMap(seed -> folder.list().ofMinSize(2).ofMaxSize(60).map(fs -> {
            List<Label> out = new ArrayList<>();
            for (int i = 0; i < fs.size(); i++) {
                out.add(MetricsTest.label(fs.get(i) + "/img" + i + ".jpg", Category.OTHER, 0.1, 0.1, 0.2, 0.2, false));
            }
            return out;
        }));
    }

    @Property
    void noFolderIsInTrainingAndTestAndEveryImageIsTestedOnce(@ForAll("labelled") List<Label> labels, @ForAll @IntRange(min = 2, max = 6) int k) {
        long folders = labels.stream().map(l -> Folds.folder(l.path())).distinct().count();
        if (folders < k) {
            assertThatThrownBy(() -> Folds.split(labels, k)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--folds");
            return;
        }
        List<List<Label>> folds = Folds.split(labels, k);
        assertThat(folds).hasSize(k).allSatisfy(f -> assertThat(f).isNotEmpty());
        Map<String, Integer> tested = new HashMap<>();
        for (List<Label> test : folds) {
            for (Label l : test) tested.merge(l.path(), 1, Integer::sum);
            Set<String> testFolders = new HashSet<>();
            test.forEach(l -> testFolders.add(Folds.folder(l.path())));
            List<Label> train = Folds.training(labels, test);
            assertThat(train.size() + test.size()).isEqualTo(labels.size());
            assertThat(train).noneMatch(l -> testFolders.contains(Folds.folder(l.path())));
        }
        assertThat(tested).hasSize(labels.size()).allSatisfy((p, n) -> assertThat(n).as(p).isEqualTo(1));
    }

    @Property
    void theSplitDependsOnThePathsNotTheirOrder(@ForAll("labelled") List<Label> labels) {
        long folders = labels.stream().map(l -> Folds.folder(l.path())).distinct().count();
        if (folders < 2) return;
        List<Label> reversed = new ArrayList<>(labels);
        java.util.Collections.reverse(reversed);
        List<List<Label>> a = Folds.split(labels, 2), b = Folds.split(reversed, 2);
        for (int i = 0; i < 2; i++) {
            assertThat(b.get(i).stream().map(Label::path).sorted().toList()).isEqualTo(a.get(i).stream().map(Label::path).sorted().toList());
        }
    }

    /**
     * A provider with one fitted level, a horizontal focal point: images of folder "left" have their
     * subject at the left, the others in the centre. Folded by folder, the held-out "left" images are
     * judged with a level fitted without them, so cross-validation must report what the fit could not
     * have known.
     */

    @Property(tries = 6)
    void eachFoldIsJudgedWithLevelsFittedOnTheOtherFoldsOnly(@ForAll @IntRange(min = 2, max = 4) int k) throws Exception {
        Path dir = Files.createTempDirectory("folds");
        try {
            crossValidateLeftFolder(dir, k);
        } finally { // a property cannot take @TempDir: each try cleans up after itself
            try (var files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) Files.delete(f);
            }
        }
    }

    private static void crossValidateLeftFolder(Path dir, int k) throws Exception {
        List<Label> labels = new ArrayList<>();
        String[] folders = {"left", "m1", "m2", "m3", "m4"};
        for (String f : folders) {
            for (int i = 0; i < 3; i++) {
                String path = f + "/" + i + ".png";
                Files.createDirectories(dir.resolve(f));
                Files.write(dir.resolve(path), dev.imagevision.testing.CraftedImages.pngHeaderOnly(400, 100));
                double x = f.equals("left") ? 0.02 : 0.45;
                labels.add(MetricsTest.label(path, Category.OTHER, x, 0.1, 0.1, 0.8, false));
            }
        }
        // levels: 0 = centre, 1 = trust the cue (subject at its labelled place for "left" images, else centre)
        List<List<String>> learntFrom = new ArrayList<>();
        Tunable<String, Integer> tunable = new Tunable<>() {
            public String analyse(Path image) {
                return image.getParent().getFileName().toString();
            }

            public List<Integer> candidates(List<Label> training, List<String> analyses) {
                // what a provider learns directly (a category model) it learns from these: never the held-out fold
                assertThat(analyses).hasSameSizeAs(training);
                learntFrom.add(analyses);
                return List.of(0, 1);
            }

            public Judgement judge(String folder, Integer level) {
                double x = level == 1 && folder.equals("left") ? 0.07 : 0.5;
                return new Judgement(5, "s", Category.OTHER, FocalPoint.of(x, 0.5), SubjectBox.of(0, 0, 1, 1), true, null);
            }
        };
        List<CropSpec> specs = List.of(new CropSpec("1x1", 1, 1, 100, 80));
        CrossValidation.Report<Integer> r = CrossValidation.run(tunable, labels, dir, k, specs, System::nanoTime, o -> {});
        assertThat(r.fittedOnAll()).isEqualTo(1);
        assertThat(r.inSample().subjectKept().get("1x1").providerKept()).isEqualTo(15);
        // the fold holding "left" out learnt nothing about it (its training images are all centred): the centre
        CrossValidation.Fold<Integer> holdsLeft = r.folds().stream().filter(f -> f.folders().contains("left")).findFirst().orElseThrow();
        assertThat(holdsLeft.fitted()).isEqualTo(0);
        assertThat(r.crossValidated().subjectKept().get("1x1").providerKept()).isEqualTo(12);
        assertThat(r.crossValidated().images()).isEqualTo(15);
        // one fit on all 15, then one per fold on the other folds' images only
        assertThat(learntFrom).hasSize(k + 1);
        assertThat(learntFrom.get(0)).hasSize(15);
        assertThat(learntFrom.subList(1, k + 1)).allSatisfy(seen -> assertThat(seen).hasSizeLessThan(15))
                .anySatisfy(seen -> assertThat(seen).doesNotContain("left"));
    }
}
