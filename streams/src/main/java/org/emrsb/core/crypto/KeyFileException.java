package org.emrsb.core.crypto;

import java.io.IOException;

/** A member key file that is readable but not a valid {@code emrsb-key/1} file; names the field at fault. */
public final class KeyFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String field;

    KeyFileException(String source, String field, String problem) {
        super(source + ": " + (field == null ? "" : "field \"" + field + "\": ") + problem);
        this.field = field;
    }

    /** The JSON field at fault, or {@code null} if the problem is not about one field. */
    public String field() {
        return field;
    }
}
