package dev.imagevision.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

/**
 * One labelled image of an evaluation set: what an editor says it shows and where its subject is.
 * Coordinates are fractions of the image after EXIF orientation, origin top-left.
 */
public record Label(@JsonProperty("path") String path,
                    @JsonProperty("category") Category category,
                    @JsonProperty("quality") int quality,
                    @JsonProperty("subject_box") SubjectBox subjectBox,
                    @JsonProperty("focal_point") FocalPoint focalPoint,
                    @JsonProperty("whole_scene") boolean wholeScene,
                    @JsonProperty("gallery_worthy") boolean galleryWorthy,
                    @JsonProperty("subject") String subject) {}
