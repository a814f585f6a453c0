package dev.imagevision.site;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImagePathTest {

    @ParameterizedTest
    @CsvSource({
            "/images/missions/curiosity/01.jpg, missions, curiosity, missions/curiosity",
            "/images/missions/curiosity.jpg, missions, curiosity, missions/curiosity",
            "/images/fleet-galleries/a7l/02.png, fleet-galleries, a7l, fleet-galleries/a7l",
            "/images/hotspots/mars/opportunity/traverse/km-04.jpg, hotspots, mars, hotspots/mars",
            "/logo.png, '', '', (ungrouped)"})
    void segmentEntityAndGroupComeFromThePath(String path, String segment, String entity, String group) {
        ImagePath p = ImagePath.of(path);
        assertThat(p.segment()).isEqualTo(segment);
        assertThat(p.entity()).isEqualTo(entity);
        assertThat(p.group()).isEqualTo(group);
    }

    @ParameterizedTest
    @CsvSource({
            "/images/missions/thumbnails/apollo11.jpg, thumbnail",
            "/images/logos/esa.svg, SVG (vector art is never scored)",
            "/images/docs/readme.txt, 'not an image path (.jpg, .jpeg, .png, .webp)'"})
    void thumbnailsSvgsAndOtherFilesAreNeverSources(String path, String reason) {
        assertThat(ImagePath.of(path).notSourceReason()).contains(reason);
    }

    @ParameterizedTest
    @CsvSource({"/images/a/b/01.jpg", "/images/a/b/01.JPEG", "/images/a/b/01.webp", "/images/a/b/01.png",
            "/images/a/b/poster.2048x1024.jpg", "/images/a/b/lone.1x1.jpg"})
    void imagesAreSources(String path) {
        assertThat(ImagePath.of(path).notSourceReason()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "static/images/a/01.jpg, /images/a/01.jpg",
            "/static/images/a/01.jpg, /images/a/01.jpg",
            "images/a/01.jpg, /images/a/01.jpg",
            "./images/a/01.jpg, /images/a/01.jpg",
            "/images/a/01.jpg, /images/a/01.jpg"})
    void pathsAreNormalisedTheWayPeopleWriteThem(String raw, String normal) {
        assertThat(ImagePath.normalise(raw)).isEqualTo(normal);
    }

    @Test
    void variantPathsSitNextToTheSource() {
        assertThat(ImagePath.of("/images/missions/x/01.png").variantPath("16x9")).isEqualTo("/images/missions/x/01.16x9.jpg");
    }
}
