package dev.imagevision.redteam6;

import dev.imagevision.testing.Runs;
import dev.imagevision.testing.SampleSite;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.local.LocalProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The category now rests on a 2,560-number descriptor from a network read once per thread: the same
 * image judged again in the same JVM, on a fresh thread with a fresh network, or by four threads at
 * once, gets the same judgement (category, score, sentence, focal point, box), not one that drifts
 * with the thread that happened to take it.
 */
class LocalJudgementAcrossThreadsTest {
    @Test
    void sameJudgementOnOneThreadTwiceAndOnFourThreadsAtOnce() throws Exception {
        List<Path> images;
        try (Stream<Path> s = Files.walk(SampleSite.source().resolve("static/images"))) {
            images = s.filter(p -> p.toString().matches(".*/\\d\\d\\.(jpg|png)$")).sorted().limit(12).toList();
        }
        LocalProvider provider = new LocalProvider(Runs.CODEC, Long.MAX_VALUE);
        List<Judgement> first = new ArrayList<>();
        for (Path p : images) first.add(provider.judge(p, ImageContext.bare(p.toString())).judgement());
        List<Judgement> again = new ArrayList<>();
        for (Path p : images) again.add(provider.judge(p, ImageContext.bare(p.toString())).judgement());
        assertThat(again).isEqualTo(first);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Judgement>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++)
                for (Path p : images) futures.add(pool.submit(() -> provider.judge(p, ImageContext.bare(p.toString())).judgement()));
            for (int i = 0; i < futures.size(); i++) assertThat(futures.get(i).get()).isEqualTo(first.get(i % images.size()));
        } finally {
            pool.shutdownNow();
        }
    }
}
