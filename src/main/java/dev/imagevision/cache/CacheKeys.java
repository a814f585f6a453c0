package dev.imagevision.cache;

import dev.imagevision.crop.CropSpec;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;


/**
 * The two cache keys (PRODUCT.md, spec M7/M20). Nothing time-based and nothing about curation goes
 * in: a flag never costs a provider call.
 */
public final class CacheKeys {
    private CacheKeys() {}

    /** SHA-256 of (source bytes, provider, model, prompt version). */
    public static String score(String sourceSha256, String provider, String model, String promptVersion) {
        return Hashing.parts("score/v1", sourceSha256, provider, model, promptVersion);
    }

    /** SHA-256 of (source bytes, focal point and subject box, crop spec, imaging-library major version). */
    public static String variant(String sourceSha256, FocalPoint focal, SubjectBox box, CropSpec spec, String libraryMajor) {
        // focal points and boxes are already rounded to 4 decimals; Double.toString is exact and locale-free
        String f = focal == null ? "centre" : focal.x() + "," + focal.y();
        String b = box == null ? "none" : box.x() + "," + box.y() + "," + box.w() + "," + box.h();
        return Hashing.parts("variant/v1", sourceSha256, f, b, spec.cacheText(), libraryMajor);
    }
}
