package org.emrsb.core.ipfs;

import java.util.Objects;

/**
 * A failed call to the IPFS node, classified by what the caller can do about it (docs/ipfs.md,
 * "Client error mapping"). Only {@link Kind#UNAVAILABLE} is worth retrying as is.
 */
public final class IpfsException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** No usable answer: connection refused or reset, the call's time limit, HTTP 502/503/504 or a 5xx
         *  without the node's error body. The node may be down or slow: retry later. */
        UNAVAILABLE,
        /** The node does not have the CID, or could not find it within the lookup time limit (an offline
         *  node answers "request timed out" or "not found"). Only for calls that take a CID. */
        NOT_FOUND,
        /** The node answered with an error: HTTP 4xx/500 with {@code {"Message":…}}, or a 200 whose body
         *  is such an error object (a stream error). Retrying the same call gives the same answer. */
        REJECTED,
        /** An answer we cannot understand or accept: not the expected JSON, a truncated stream, a CID other
         *  than the one asked for or computed locally, a body over the caller's limit. */
        PROTOCOL
    }

    private final Kind kind;

    public IpfsException(Kind kind, String message) {
        this(kind, message, null);
    }

    public IpfsException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    /** True only for {@link Kind#UNAVAILABLE}: the same call may succeed later. */
    public boolean retryable() {
        return kind == Kind.UNAVAILABLE;
    }

    @Override
    public String toString() {
        return "IpfsException[" + kind + "]: " + getMessage();
    }
}
