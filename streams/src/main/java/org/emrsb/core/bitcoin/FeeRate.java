package org.emrsb.core.bitcoin;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A fee rate in satoshi per 1000 virtual bytes, the unit of bitcoind's fee settings ({@code BTC/kvB}
 * scaled to satoshi), so fractional sat/vB rates such as 1.5 are exact. A legacy transaction's virtual
 * size is its size.
 *
 * @param satPerKvb satoshi per 1000 vB, at least 0
 */
public record FeeRate(long satPerKvb) implements Comparable<FeeRate> {

    private static final BigDecimal SAT_PER_BTC = BigDecimal.valueOf(100_000_000L);

    public FeeRate {
        if (satPerKvb < 0 || satPerKvb > BitcoinTransaction.MAX_MONEY) {
            throw new IllegalArgumentException("a fee rate is 0.." + BitcoinTransaction.MAX_MONEY + " sat/kvB, was " + satPerKvb);
        }
    }

    /** {@code satPerVbyte} whole satoshi per vB. */
    public static FeeRate ofSatPerVbyte(long satPerVbyte) {
        return new FeeRate(Math.multiplyExact(satPerVbyte, 1000L));
    }

    /** A bitcoind rate in BTC/kvB (as {@code estimatesmartfee} answers), rounded up to whole sat/kvB. */
    public static FeeRate ofBtcPerKvb(BigDecimal btcPerKvb) {
        return new FeeRate(btcPerKvb.multiply(SAT_PER_BTC).setScale(0, RoundingMode.CEILING).longValueExact());
    }

    /** The fee for {@code vsize} virtual bytes, rounded up: never below this rate. */
    public long feeFor(long vsize) {
        if (vsize < 0) {
            throw new IllegalArgumentException("a size is not negative, was " + vsize);
        }
        return Math.addExact(Math.multiplyExact(satPerKvb, vsize), 999L) / 1000L;
    }

    @Override
    public int compareTo(FeeRate other) {
        return Long.compare(satPerKvb, other.satPerKvb);
    }

    /** E.g. {@code 2.5 sat/vB}. */
    @Override
    public String toString() {
        return BigDecimal.valueOf(satPerKvb, 3).stripTrailingZeros().toPlainString() + " sat/vB";
    }
}
