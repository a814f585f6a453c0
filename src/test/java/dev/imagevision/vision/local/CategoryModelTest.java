package dev.imagevision.vision.local;

import dev.imagevision.vision.Category;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CategoryModelTest {

    /** Labelled points around one centre per category present; the centres are far apart, the spread small. */
    static List<double[]> points(long seed, int perClass, List<Category> present, int d, List<Category> truth) {
        Random r = new Random(seed);
        List<double[]> out = new ArrayList<>();
        for (Category c : present) {
            for (int i = 0; i < perClass; i++) {
                double[] x = new double[d];
                for (int j = 0; j < d; j++) x[j] = r.nextGaussian() * 0.1;
                x[c.ordinal() % d] += 3;
                out.add(x);
                truth.add(c);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<List<Category>> categories() {
        return Arbitraries.of(Category.values()).list().uniqueElements().ofMinSize(2).ofMaxSize(9);
    }

    @Property(tries = 15)
    void itLearnsCategoriesThatAreApartAndNeverSaysOneItWasNotShown(@ForAll("categories") List<Category> present,
                                                                    @ForAll @IntRange(min = 1, max = 1000) int seed) {
        List<Category> truth = new ArrayList<>();
        List<double[]> x = points(seed, 30, present, 12, truth);
        CategoryModel m = CategoryModel.fit(x, truth, CategoryModel.PENALTY);
        for (int i = 0; i < x.size(); i++) assertThat(m.predict(x.get(i))).isEqualTo(truth.get(i));
        // fresh points from the same centres, and probabilities that are probabilities
        List<Category> fresh = new ArrayList<>();
        List<double[]> y = points(seed + 7919L, 3, present, 12, fresh);
        for (int i = 0; i < y.size(); i++) {
            assertThat(present).contains(m.predict(y.get(i)));
            assertThat(m.predict(y.get(i))).isEqualTo(fresh.get(i));
            double[] p = m.probabilities(y.get(i));
            assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
            for (double v : p) assertThat(v).isBetween(0.0, 1.0);
        }
    }

    @Property(tries = 10)
    void theSameImagesGiveTheSameModelBitForBitAndItsFileReadsBackTheSame(@ForAll @IntRange(min = 1, max = 1000) int seed)
            throws IOException {
        List<Category> truth = new ArrayList<>();
        List<double[]> x = points(seed, 4, List.of(Category.ORBITAL, Category.LAUNCH, Category.RENDER), 8, truth);
        CategoryModel a = CategoryModel.fit(x, truth, CategoryModel.PENALTY);
        CategoryModel b = CategoryModel.fit(x, truth, CategoryModel.PENALTY);
        assertThat(a.toJson()).isEqualTo(b.toJson());
        CategoryModel read = CategoryModel.fromJson(a.toJson());
        assertThat(read.toJson()).isEqualTo(a.toJson());
        Random r = new Random(seed);
        for (int i = 0; i < 20; i++) {
            double[] q = new double[8];
            for (int j = 0; j < q.length; j++) q[j] = r.nextGaussian() * 3;
            assertThat(read.probabilities(q)).isEqualTo(a.probabilities(q));
        }
    }

    @Test
    void aFeatureConstantOnEveryTrainingImageWeighsNothing() {
        List<Category> truth = new ArrayList<>();
        List<double[]> x = points(3, 5, List.of(Category.PEOPLE, Category.DIAGRAM), 4, truth);
        for (double[] v : x) v[3] = 0.25; // the same on all
        CategoryModel m = CategoryModel.fit(x, truth, CategoryModel.PENALTY);
        double[] q = x.get(0).clone();
        Category before = m.predict(q);
        q[3] = 1e6;
        assertThat(m.predict(q)).isEqualTo(before);
    }

    @Test
    void itRefusesWhatItCannotLearnFrom() {
        assertThatThrownBy(() -> CategoryModel.fit(List.of(), List.of(), 0.3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CategoryModel.fit(List.of(new double[2], new double[3]), List.of(Category.OTHER, Category.OTHER), 0.3))
                .hasMessageContaining("different lengths");
        CategoryModel m = CategoryModel.fit(List.of(new double[2]), List.of(Category.OTHER), 0.3);
        assertThatThrownBy(() -> m.predict(new double[3])).hasMessageContaining("takes 2 features");
    }

    @Test
    void aDamagedModelFileIsRefusedByName() throws IOException {
        byte[] good = CategoryModel.fit(List.of(new double[2]), List.of(Category.OTHER), 0.3).toJson();
        String text = new String(good, java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CategoryModel.fromJson(text.replace("\"format\": 1", "\"format\": 2").getBytes()))
                .hasMessageContaining("format 2");
        assertThatThrownBy(() -> CategoryModel.fromJson(text.replace("\"render\"", "\"renders\"").getBytes()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theShippedModelReadsTheDescriptorAndStatisticsTheProviderMeasures() {
        CategoryModel shipped = CategoryModel.shipped();
        assertThat(shipped.features()).isEqualTo(Judge.categoryFeatures(new EvidenceBuilder().build()).length);
        assertThat(shipped.trainedOn()).isGreaterThanOrEqualTo(190);
    }

    @Test
    void aRefittedModelIsANewCacheKeyBecauseItsDigestIsInTheProvidersVersion() throws Exception {
        byte[] bytes;
        try (var in = CategoryModel.class.getResourceAsStream(CategoryModel.RESOURCE)) {
            bytes = in.readAllBytes();
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        assertThat(LocalProvider.VERSION).startsWith("local-").endsWith("+" + String.format("%08x", crc.getValue()));
        assertThat(CategoryModel.shippedDigest()).isEqualTo(String.format("%08x", crc.getValue()));
        assertThat(new LocalProvider(new dev.imagevision.crop.OpenCvCodec(), 1_000_000).promptVersion()).isEqualTo(LocalProvider.VERSION);
    }
}
