package org.emrsb.core.bitcoin;

import java.math.BigInteger;
import java.util.Locale;

/** The Bitcoin networks an anchor may live on, with their proof-of-work limits as compact nBits. */
public enum BitcoinNetwork {
    REGTEST(0x207f_ffffL),
    TESTNET(0x1d00_ffffL),
    MAINNET(0x1d00_ffffL);

    private final long powLimitBits;
    private final String id = name().toLowerCase(Locale.ROOT);

    BitcoinNetwork(long powLimitBits) {
        this.powLimitBits = powLimitBits;
    }

    /** {@code regtest}, {@code testnet} or {@code mainnet}: the bundle's spelling. */
    public String id() {
        return id;
    }

    /** The easiest nBits a block of this network may carry. */
    public long powLimitBits() {
        return powLimitBits;
    }

    /** The largest target a block of this network may have. */
    public BigInteger powLimit() {
        return BitcoinHeader.target(powLimitBits);
    }

    /**
     * The network spelled exactly {@code id}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static BitcoinNetwork fromId(String id) {
        for (BitcoinNetwork n : values()) {
            if (n.id.equals(id)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown network " + (id == null ? "null" : "\"" + id + "\"")
                + "; expected regtest, testnet or mainnet");
    }

    @Override
    public String toString() {
        return id;
    }
}
