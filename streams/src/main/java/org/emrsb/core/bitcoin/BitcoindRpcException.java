package org.emrsb.core.bitcoin;

import java.io.IOException;

/**
 * The node answered a JSON-RPC call with an error: its code (Bitcoin Core's {@code src/rpc/protocol.h},
 * e.g. -5 RPC_INVALID_ADDRESS_OR_KEY, -25 RPC_VERIFY_ERROR, -26 RPC_VERIFY_REJECTED, -27
 * RPC_VERIFY_ALREADY_IN_CHAIN) and message. Transport failures are plain {@link IOException}s.
 */
public final class BitcoindRpcException extends IOException {

    private static final long serialVersionUID = 1L;

    /** RPC_INVALID_ADDRESS_OR_KEY: also "No such mempool or blockchain transaction", "Block not found". */
    public static final int INVALID_ADDRESS_OR_KEY = -5;
    /** RPC_VERIFY_ERROR: e.g. missing inputs. */
    public static final int VERIFY_ERROR = -25;
    /** RPC_VERIFY_REJECTED: refused by consensus or policy. */
    public static final int VERIFY_REJECTED = -26;
    /** RPC_VERIFY_ALREADY_IN_CHAIN: the transaction is already confirmed. */
    public static final int VERIFY_ALREADY_IN_CHAIN = -27;

    private final String method;
    private final int code;
    private final String rpcMessage;

    BitcoindRpcException(String endpoint, String method, int code, String rpcMessage) {
        super("bitcoind " + endpoint + ": " + method + " failed with code " + code + ": " + rpcMessage);
        this.method = method;
        this.code = code;
        this.rpcMessage = rpcMessage;
    }

    /** The RPC method called. */
    public String method() {
        return method;
    }

    /** The JSON-RPC error code. */
    public int code() {
        return code;
    }

    /** The node's error message, as it sent it. */
    public String rpcMessage() {
        return rpcMessage;
    }
}
