package dev.imagevision.eval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A fixed two-way split of a labelled set for cross-checking: tune rules on one half, confirm on the
 * other. Membership depends only on the image's path (SHA-256), never on file order.
 */
public enum Split {
    ALL, A, B;

    public boolean includes(String path) {
        if (this == ALL) return true;
        boolean inA = (digest(path)[0] & 1) == 0;
        return this == A ? inA : !inA;
    }

    public List<Label> of(List<Label> labels) {
        return labels.stream().filter(l -> includes(l.path())).toList();
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
