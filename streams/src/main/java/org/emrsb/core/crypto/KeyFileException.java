package org.emrsb.core.crypto;

import java.io.IOException;

/**
 * A key file that is readable but not valid (a member key file {@code emrsb-key/1}, an anchor key file
 * {@code emrsb-anchor-key/1}); names the file and the field at fault.
 */
public final class KeyFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /** {@code source} names the file, {@code field} the JSON field at fault or {@code null}. */
    public KeyFileException(String source, String field, String problem) {
        super(source + ": " + (field == null ? "" : "field \"" + field + "\": ") + problem);
        this.field = field;
    }

    /** The JSON field at fault, or {@code null} if the problem is not about one field. */
    public String field() {
        return field;
    }
}
