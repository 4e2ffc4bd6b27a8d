package org.emrsb.core.bitcoin;

import java.util.Objects;

/**
 * One answer of {@code testmempoolaccept}.
 *
 * @param txid         the transaction id, display order
 * @param allowed      whether the node would accept it now
 * @param rejectReason the node's reason when not allowed (e.g. {@code mandatory-script-verify-flag-failed
 *                     (...)}), else {@code null}
 */
public record MempoolAcceptance(String txid, boolean allowed, String rejectReason) {

    public MempoolAcceptance {
        Objects.requireNonNull(txid, "txid");
    }
}
