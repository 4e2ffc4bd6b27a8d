package org.emrsb.stream;

/** Every state store's name, written once, so changelog topic names never shift between releases. */
public final class Stores {

    /** Global store over governance.members: member key (ed25519:hex) to the signed certificate in force. */
    public static final String MEMBERS = "members-store";

    /**
     * The offload stage's parking store: records waiting for the IPFS node, keyed by
     * {@code <pseudonym>/<19-digit sequence>} so that a patient's records stay in order; masked data only.
     */
    public static final String OFFLOAD_PARKED = "offload-parked";

    /** The governance processor's election state (one value: the Election snapshot). */
    public static final String GOVERNANCE_ELECTION = "governance-election";

    private Stores() {
    }
}
