package org.emrsb.core.proof;

import java.util.Locale;

/**
 * The optional parts of a bundle, in chain order: each one links to the one before (the transaction
 * is always there). Requiring a part requires all parts before it.
 */
public enum Part {
    BLOCK, ANCHOR, BITCOIN;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** {@code block}, {@code anchor} or {@code bitcoin}: the bundle's field name. */
    public String id() {
        return id;
    }

    /**
     * The part spelled exactly {@code id}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Part fromId(String id) {
        for (Part p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown part " + (id == null ? "null" : "\"" + id + "\"")
                + "; expected block, anchor or bitcoin");
    }

    @Override
    public String toString() {
        return id;
    }
}
