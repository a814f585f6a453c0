package dev.imagevision.selection;

/**
 * Selection's verdict on one image.
 *
 * @param rank       0 for the hero, 1–8 for gallery slots, -1 for none
 * @param rejectedBy why it is not acceptable, or null
 * @param fallback   hero only because nothing in the group was acceptable
 */
public record Placement(String path, String group, Role role, int rank, Rejection rejectedBy, boolean fallback) {}
