package dev.imagevision.scope;

import dev.imagevision.site.ImagePath;
import dev.imagevision.site.ProvenanceEntry;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.site.SourceImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scope flags as a table over a small fixture site. */
class ScopeTest {

    static SourceImage img(String path, String agency, String sourceType) {
        return new SourceImage(ImagePath.of(path),
                new ProvenanceEntry("id", path, sourceType, agency, "t", null, null, "PD-NASA", null));
    }

    static final List<SourceImage> SITE = List.of(
            img("/images/missions/curiosity/01.jpg", "NASA/JPL-Caltech", "nasa-images-api"),
            img("/images/missions/curiosity/02.jpg", "NASA", "wikimedia-commons"),
            img("/images/missions/curiosity.jpg", "NASA", "curated-url"),
            img("/images/missions/juice/01.jpg", "ESA", "agency-portal-esa"),
            img("/images/missions/bepicolombo/01.jpg", "ESA / JAXA", "agency-portal-esa"),
            img("/images/missions/hayabusa2/01.jpg", "JAXA", "agency-portal-jaxa"),
            img("/images/fleet-galleries/a7l/01.jpg", "NASA", "nasa-images-api"),
            img("/images/crew-portraits/collins/01.png", "NASA", "nasa-images-api"),
            img("/images/planets/mars/01.jpg", "NASA / ESA / ASI", "wikimedia-commons"));

    static ScopeRequest req(String mission, String agency, String source, String fleet, String segment) {
        return new ScopeRequest(mission, agency, source, fleet, segment, null, false, false);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("--mission curiosity (hero file included)", req("curiosity", null, null, null, null),
                        List.of("/images/missions/curiosity/01.jpg", "/images/missions/curiosity/02.jpg", "/images/missions/curiosity.jpg")),
                Arguments.of("--agency esa: whole word, any case; not NASA", req(null, "esa", null, null, null),
                        List.of("/images/missions/juice/01.jpg", "/images/missions/bepicolombo/01.jpg", "/images/planets/mars/01.jpg")),
                Arguments.of("--agency JAXA", req(null, "JAXA", null, null, null),
                        List.of("/images/missions/bepicolombo/01.jpg", "/images/missions/hayabusa2/01.jpg")),
                Arguments.of("--source exact", req(null, null, "agency-portal-esa", null, null),
                        List.of("/images/missions/juice/01.jpg", "/images/missions/bepicolombo/01.jpg")),
                Arguments.of("--fleet-asset galleries", req(null, null, null, "galleries", null),
                        List.of("/images/fleet-galleries/a7l/01.jpg")),
                Arguments.of("--fleet-asset portraits", req(null, null, null, "portraits", null),
                        List.of("/images/crew-portraits/collins/01.png")),
                Arguments.of("--segment planets", req(null, null, null, null, "planets"),
                        List.of("/images/planets/mars/01.jpg")),
                Arguments.of("AND: --agency NASA --segment missions", req(null, "NASA", null, null, "missions"),
                        List.of("/images/missions/curiosity/01.jpg", "/images/missions/curiosity/02.jpg", "/images/missions/curiosity.jpg")),
                Arguments.of("AND: --agency NASA --source wikimedia-commons", req(null, "NASA", "wikimedia-commons", null, null),
                        List.of("/images/missions/curiosity/02.jpg", "/images/planets/mars/01.jpg")),
                Arguments.of("AND with nothing in common", req("juice", "JAXA", null, null, null), List.of()),
                Arguments.of("--changed-since", new ScopeRequest(null, null, null, null, null,
                                Set.of("/images/missions/juice/01.jpg", "/images/planets/mars/01.jpg"), false, false),
                        List.of("/images/missions/juice/01.jpg", "/images/planets/mars/01.jpg")),
                Arguments.of("--all", new ScopeRequest(null, null, null, null, null, null, true, false),
                        SITE.stream().map(SourceImage::path).toList()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void flagsSelectExactlyTheirImages(String name, ScopeRequest request, List<String> expected) {
        List<SourceImage> selected = Scope.select(SITE, request, SiteConfig.defaults().fleetAssets(), s -> false);
        assertThat(selected).extracting(SourceImage::path).containsExactlyElementsOf(expected);
    }

    @Test
    void withNoFlagTheRunIsIncrementalAndTakesOnlyWhatNeedsWork() {
        ScopeRequest none = ScopeRequest.defaults();
        assertThat(none.incremental()).isTrue();
        List<SourceImage> selected = Scope.select(SITE, none, SiteConfig.defaults().fleetAssets(),
                s -> s.path().contains("juice"));
        assertThat(selected).extracting(SourceImage::path).containsExactly("/images/missions/juice/01.jpg");
    }

    @Test
    void newOnlyAndsWithOtherFlags() {
        ScopeRequest r = new ScopeRequest(null, "NASA", null, null, null, null, false, true);
        List<SourceImage> selected = Scope.select(SITE, r, SiteConfig.defaults().fleetAssets(),
                s -> s.path().contains("curiosity") || s.path().contains("juice"));
        assertThat(selected).extracting(SourceImage::path).containsExactly("/images/missions/curiosity/01.jpg",
                "/images/missions/curiosity/02.jpg", "/images/missions/curiosity.jpg");
    }

    @Test
    void aFilterFlagWithoutNewOnlyTakesCachedImagesToo() {
        assertThat(req("juice", null, null, null, null).incremental()).isFalse();
        assertThat(new ScopeRequest(null, null, null, null, null, null, true, false).incremental()).isFalse();
    }

    @Test
    void unknownValuesAreRefusedListingWhatExists() {
        var fleet = SiteConfig.defaults().fleetAssets();
        assertThatThrownBy(() -> Scope.validate(SITE, req(null, null, null, null, "nope"), fleet, Set.of()))
                .isInstanceOf(ScopeException.class)
                .hasMessage("--segment nope matches nothing in this site. Known values: crew-portraits, fleet-galleries, missions, planets");
        assertThatThrownBy(() -> Scope.validate(SITE, req("apollo99", null, null, null, null), fleet, Set.of("apollo11")))
                .hasMessageContaining("apollo11").hasMessageContaining("curiosity").hasMessageContaining("juice");
        assertThatThrownBy(() -> Scope.validate(SITE, req(null, "CNSA", null, null, null), fleet, Set.of()))
                .hasMessageContaining("--agency CNSA").hasMessageContaining("ESA / JAXA");
        assertThatThrownBy(() -> Scope.validate(SITE, req(null, null, "flickr", null, null), fleet, Set.of()))
                .hasMessageContaining("nasa-images-api");
        assertThatThrownBy(() -> Scope.validate(SITE, req(null, null, null, "badges", null), fleet, Set.of()))
                .hasMessageContaining("not a configured fleet-asset type").hasMessageContaining("galleries (")
                .hasMessageContaining("portraits (");
    }

    @Test
    void aFleetAssetTypeWhosePatternsMatchNoImageIsRefusedLikeAnyOtherValueThatMatchesNothing() {
        var fleet = SiteConfig.defaults().fleetAssets();
        for (String type : List.of("heroes", "patches")) {
            assertThatThrownBy(() -> Scope.validate(SITE, req(null, null, null, type, null), fleet, Set.of()))
                    .as(type).isInstanceOf(ScopeException.class)
                    .hasMessageContaining("--fleet-asset " + type + " matches no image")
                    .hasMessageContaining("Types with images here: galleries (1 image, /fleet-galleries/)")
                    .hasMessageContaining("fleet_assets");
        }
    }

    @Test
    void knownValuesPassValidation() {
        Scope.validate(SITE, req("curiosity", "nasa", "curated-url", "galleries", "missions"),
                SiteConfig.defaults().fleetAssets(), Set.of());
    }
}
