package org.emrsb.core.crypto;

import java.util.Locale;

/** The role a member key belongs to; its {@link #id()} is the lowercase word used in key files and records. */
public enum Role {
    PATIENT,
    DOCTOR,
    GATEWAY,
    DELEGATE,
    MONITOR,
    AUTHORITY;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The wire form: {@code patient}, {@code doctor}, {@code gateway}, {@code delegate}, {@code monitor}, {@code authority}. */
    public String id() {
        return id;
    }

    /**
     * The role whose {@link #id()} is exactly {@code id} (lowercase only).
     *
     * @throws IllegalArgumentException for anything else, listing the valid ids
     */
    public static Role fromId(String id) {
        for (Role role : values()) {
            if (role.id.equals(id)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role " + (id == null ? "null" : "\"" + id + "\"")
                + "; expected one of patient, doctor, gateway, delegate, monitor, authority");
    }

    @Override
    public String toString() {
        return id;
    }
}
