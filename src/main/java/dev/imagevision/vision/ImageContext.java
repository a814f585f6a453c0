package dev.imagevision.vision;

import java.util.List;

/**
 * What the provider is told about an image besides its pixels: the entity the frame should show
 * (from its path and the missions index) and the editor's most recent deny-list reasons.
 */
public record ImageContext(String path, String segment, String entity, String agency, String destination,
                           String missionStatus, List<String> recentDenyReasons) {

    public static ImageContext bare(String path) {
        return new ImageContext(path, "", "", "", "", "", List.of());
    }
}
