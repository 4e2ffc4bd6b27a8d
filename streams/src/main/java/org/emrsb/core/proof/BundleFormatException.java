package org.emrsb.core.proof;

/**
 * A proof bundle that cannot be read at all: not JSON, not an {@code emrsb-proof/1} object, a
 * mandatory field missing, or a field of the wrong JSON type. Distinct from a bundle that reads but
 * does not verify (a {@link VerificationReport} with a failed step), which is what tampering produces.
 */
public final class BundleFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public BundleFormatException(String field, String problem) {
        super(field == null ? problem : field + ": " + problem);
        this.field = field;
    }

    /** The JSON path of the field at fault (e.g. {@code block.verdicts[0].monitorKey}), or null. */
    public String field() {
        return field;
    }
}
