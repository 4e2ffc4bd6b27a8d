package org.emrsb.stream;

/** Every state store's name, written once, so changelog topic names never shift between releases. */
public final class Stores {

    /** Global store over governance.members: member key (ed25519:hex) to the signed certificate in force. */
    public static final String MEMBERS = "members-store";

    private Stores() {
    }
}
