package org.emrsb.core.format;

/**
 * JSON that RFC 8785 cannot canonicalize, or that is not JSON at all.
 *
 * <p>{@link #problem()} says what kind of failure it is; {@link #pointer()} (an RFC 6901 JSON
 * Pointer such as {@code /entry/0/resource/id}) and {@link #line()}, {@link #column()},
 * {@link #offset()} say where, when known. Messages name member names (through the pointer) but
 * never quote string or number values. The one exception is {@link Problem#SYNTAX}, whose message
 * carries Jackson's description of the offending token, which may include a piece of text that
 * was not valid JSON (such as an unquoted word).
 */
public final class CanonicalJsonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Problem {
        /** Not JSON text (RFC 8259): bad token, trailing content, empty input, too large. */
        SYNTAX,
        /** An object has two members of the same name (I-JSON, RFC 7493 section 2.3). */
        DUPLICATE_NAME,
        /** Bytes that are not well-formed UTF-8 (RFC 3629). */
        INVALID_UTF8,
        /** A string holds a surrogate code unit that is not part of a pair (RFC 8785 3.2.2.2). */
        LONE_SURROGATE,
        /** NaN or an infinity in a tree given to the serialiser (RFC 8785 3.2.2.3). */
        NON_FINITE_NUMBER,
        /** A number in the text whose magnitude is beyond the largest double (I-JSON 2.2). */
        NUMBER_OUT_OF_RANGE,
        /** A tree node that is not part of the JSON data model (binary, POJO, missing). */
        UNSUPPORTED_VALUE,
        /** Nesting deeper than {@link CanonicalJson#MAX_DEPTH}. */
        TOO_DEEP,
        /** A string, number or member name longer than the parser accepts (see {@link CanonicalJson}). */
        LIMIT_EXCEEDED
    }

    private final Problem problem;
    private final String pointer;
    private final long line;
    private final long column;
    private final long offset;
    private final String detail;

    CanonicalJsonException(Problem problem, String detail) {
        this(problem, detail, null, -1, -1, -1, null);
    }

    CanonicalJsonException(Problem problem, String detail, String pointer, long line, long column,
                           long offset, Throwable cause) {
        super(compose(detail, pointer, line, column, offset), cause);
        this.problem = problem;
        this.detail = detail;
        this.pointer = pointer;
        this.line = line;
        this.column = column;
        this.offset = offset;
    }

    /** The same failure, located at {@code pointer} when it had no pointer yet. */
    CanonicalJsonException at(String pointer) {
        if (this.pointer != null) {
            return this;
        }
        return new CanonicalJsonException(problem, detail, pointer, line, column, offset, getCause());
    }

    private static String compose(String detail, String pointer, long line, long column, long offset) {
        StringBuilder sb = new StringBuilder(detail);
        if (pointer != null) {
            sb.append(" at ").append(pointer.isEmpty() ? "the root" : pointer);
        }
        if (line > 0) {
            sb.append(" (line ").append(line).append(", column ").append(column);
            if (offset >= 0) {
                sb.append(", char offset ").append(offset);
            }
            sb.append(')');
        } else if (offset >= 0) {
            sb.append(" (byte offset ").append(offset).append(')');
        }
        return sb.toString();
    }

    /** What went wrong. */
    public Problem problem() {
        return problem;
    }

    /** The RFC 6901 JSON Pointer of the value concerned ("" for the root), or null if unknown. */
    public String pointer() {
        return pointer;
    }

    /** 1-based line in the input text, or -1 if unknown (always unknown for tree input). */
    public long line() {
        return line;
    }

    /** 1-based column in the input text, or -1 if unknown. */
    public long column() {
        return column;
    }

    /**
     * 0-based offset in the input: in bytes for {@link Problem#INVALID_UTF8}, otherwise in UTF-16
     * chars of the text; -1 if unknown.
     */
    public long offset() {
        return offset;
    }
}
