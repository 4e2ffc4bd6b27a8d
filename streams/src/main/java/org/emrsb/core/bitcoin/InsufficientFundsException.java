package org.emrsb.core.bitcoin;

/**
 * The inputs cannot pay the fee and leave change of at least the dust limit. Checked because it is an
 * operational state (the anchor wallet needs funds), not a bug: the caller parks the anchor and says
 * how much to send.
 */
public final class InsufficientFundsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long available;
    private final long missing;

    InsufficientFundsException(long available, long fee, long dustLimit) {
        super("the inputs hold " + available + " sat, but the fee of " + fee + " sat plus change of at least "
                + dustLimit + " sat (the P2PKH dust limit) need " + (fee + dustLimit) + " sat: "
                + (fee + dustLimit - available) + " sat are missing; fund the anchor key's address");
        this.available = available;
        this.missing = fee + dustLimit - available;
    }

    /** The total value of the inputs, in satoshi. */
    public long available() {
        return available;
    }

    /** How many satoshi more the inputs would need. */
    public long missing() {
        return missing;
    }
}
