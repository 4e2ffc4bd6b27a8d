package org.emrsb.core.format;

/** Bytes that are not the canonical layout of the structure they claim to be. */
public final class FormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
        super(message);
    }
}
