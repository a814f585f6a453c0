package dev.imagevision.selection;

import java.util.Locale;

/** An image's place in its group. */
public enum Role {
    HERO, GALLERY, NONE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
