package org.emrsb.regtest;

/**
 * A refusal with bitcoind's RPC error code ({@code src/rpc/protocol.h}) and a bitcoind-like message,
 * e.g. -26 {@code bad-txns-premature-spend-of-coinbase}.
 */
public final class NodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** RPC_MISC_ERROR */
    public static final int MISC_ERROR = -1;
    /** RPC_TYPE_ERROR */
    public static final int TYPE_ERROR = -3;
    /** RPC_WALLET_ERROR / RPC_WALLET_INSUFFICIENT_FUNDS share -4 and -6; Core uses -4 for "Insufficient funds". */
    public static final int WALLET_ERROR = -4;
    /** RPC_INVALID_ADDRESS_OR_KEY: also "not found" */
    public static final int INVALID_ADDRESS_OR_KEY = -5;
    /** RPC_INVALID_PARAMETER */
    public static final int INVALID_PARAMETER = -8;
    /** RPC_DESERIALIZATION_ERROR */
    public static final int DESERIALIZATION_ERROR = -22;
    /** RPC_VERIFY_ERROR: general error during transaction or block submission */
    public static final int VERIFY_ERROR = -25;
    /** RPC_VERIFY_REJECTED: transaction or block rejected by network rules */
    public static final int VERIFY_REJECTED = -26;
    /** RPC_VERIFY_ALREADY_IN_CHAIN */
    public static final int VERIFY_ALREADY_IN_CHAIN = -27;
    /** RPC_INVALID_REQUEST */
    public static final int INVALID_REQUEST = -32600;
    /** RPC_METHOD_NOT_FOUND */
    public static final int METHOD_NOT_FOUND = -32601;
    /** RPC_PARSE_ERROR */
    public static final int PARSE_ERROR = -32700;

    private final int code;
    /** The short reject reason testmempoolaccept reports (e.g. {@code missing-inputs}); the message otherwise. */
    private final String rejectReason;

    public NodeException(int code, String message) {
        this(code, message, message);
    }

    public NodeException(int code, String message, String rejectReason) {
        super(message);
        this.code = code;
        this.rejectReason = rejectReason;
    }

    public int code() {
        return code;
    }

    public String rejectReason() {
        return rejectReason;
    }
}
