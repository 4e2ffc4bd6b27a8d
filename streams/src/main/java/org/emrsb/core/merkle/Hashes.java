package org.emrsb.core.merkle;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/** Helpers for lists of hashes held by the immutable value types of this package. */
final class Hashes {

    private static final HexFormat HEX = HexFormat.of();

    private Hashes() {
    }

    /**
     * A private, unmodifiable deep copy, so that no caller can change a proof or range after the
     * fact. Only nulls are rejected here; lengths are judged where the hashes are used.
     */
    static List<byte[]> deepCopy(List<byte[]> hashes, String what) {
        Objects.requireNonNull(hashes, () -> what + " must not be null");
        byte[][] copy = new byte[hashes.size()][];
        for (int i = 0; i < copy.length; i++) {
            int at = i;
            copy[i] = Objects.requireNonNull(hashes.get(i), () -> what + "[" + at + "] is null").clone();
        }
        return List.of(copy);
    }

    /** A deep copy as a mutable-element list for handing out. */
    static List<byte[]> copyOut(List<byte[]> hashes) {
        return hashes.stream().map(byte[]::clone).toList();
    }

    static boolean equal(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static int hashCode(List<byte[]> hashes) {
        int h = 1;
        for (byte[] hash : hashes) {
            h = 31 * h + Arrays.hashCode(hash);
        }
        return h;
    }

    static String hex(byte[] hash) {
        return HEX.formatHex(hash);
    }

    static String toString(List<byte[]> hashes) {
        return hashes.stream().map(Hashes::hex).toList().toString();
    }
}
