package org.emrsb.core.bitcoin;

import java.io.IOException;

/** Where a verifier can ask which block a Bitcoin node has at a height: {@link BitcoindClient}, or a stub. */
@FunctionalInterface
public interface BlockHashLookup {

    /**
     * The hash of the block at {@code height} on the node's best chain, in display order (reversed,
     * lowercase hex), as {@code getblockhash} returns it.
     *
     * @throws IOException if the node cannot be asked or has no block at that height
     */
    String blockHashAt(long height) throws IOException;
}
