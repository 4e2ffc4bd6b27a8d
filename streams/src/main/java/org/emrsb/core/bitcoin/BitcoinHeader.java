package org.emrsb.core.bitcoin;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import org.emrsb.core.format.FormatException;

/**
 * An 80-byte Bitcoin block header: version, previous block hash, Merkle root (both internal byte
 * order), time, nBits (the compact target) and nonce. The block hash is {@link DoubleSha256} of the
 * 80 bytes; read as a little-endian 256-bit number it must not exceed the target for the proof of
 * work to hold.
 */
public record BitcoinHeader(int version, byte[] previousBlockHash, byte[] merkleRoot, long time, long bits,
        long nonce) {

    /** Serialised size. */
    public static final int SIZE = 80;
    /** Offset of the Merkle root in the 80 bytes. */
    public static final int MERKLE_ROOT_OFFSET = 36;
    /** Offset of nBits in the 80 bytes. */
    public static final int BITS_OFFSET = 72;

    public BitcoinHeader {
        if (previousBlockHash == null || previousBlockHash.length != 32 || merkleRoot == null || merkleRoot.length != 32) {
            throw new IllegalArgumentException("the previous block hash and the Merkle root are 32 bytes");
        }
        BitcoinTransaction.checkU32(time, "time");
        BitcoinTransaction.checkU32(bits, "nBits");
        BitcoinTransaction.checkU32(nonce, "nonce");
        previousBlockHash = previousBlockHash.clone();
        merkleRoot = merkleRoot.clone();
    }

    @Override
    public byte[] previousBlockHash() {
        return previousBlockHash.clone();
    }

    @Override
    public byte[] merkleRoot() {
        return merkleRoot.clone();
    }

    /** The same header with another nonce (mining). */
    public BitcoinHeader withNonce(long nonce) {
        return new BitcoinHeader(version, previousBlockHash, merkleRoot, time, bits, nonce);
    }

    public byte[] toBytes() {
        return new BitcoinWriter().i32(version).bytes(previousBlockHash).bytes(merkleRoot).u32(time).u32(bits)
                .u32(nonce).toByteArray();
    }

    /** The block hash, internal byte order. */
    public byte[] hash() {
        return DoubleSha256.hash(toBytes());
    }

    /** The target nBits encodes. */
    public BigInteger target() {
        return target(bits);
    }

    /** Whether the block hash, as a little-endian number, is at most the target. */
    public boolean meetsTarget() {
        return hashValue(hash()).compareTo(target()) <= 0;
    }

    /**
     * Parses exactly 80 bytes.
     *
     * @throws FormatException on any other length
     */
    public static BitcoinHeader parse(byte[] bytes) {
        if (bytes == null || bytes.length != SIZE) {
            throw new FormatException("bitcoin header: " + SIZE + " bytes expected, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        BitcoinReader r = new BitcoinReader(bytes, "bitcoin header");
        BitcoinHeader header = new BitcoinHeader(r.i32("version"), r.fixed(32, "previous block hash"),
                r.fixed(32, "merkle root"), r.u32("time"), r.u32("bits"), r.u32("nonce"));
        r.finish();
        return header;
    }

    /**
     * The target a compact nBits encodes (Bitcoin Core's {@code arith_uint256::SetCompact}): a
     * 3-byte mantissa times 256^(exponent-3).
     *
     * @throws IllegalArgumentException when the encoding is negative, zero or overflows 256 bits, none
     *                                  of which a valid block carries
     */
    public static BigInteger target(long bits) {
        BitcoinTransaction.checkU32(bits, "nBits");
        int exponent = (int) (bits >>> 24);
        long mantissa = bits & 0x007f_ffffL;
        if ((bits & 0x0080_0000L) != 0 && mantissa != 0) {
            throw new IllegalArgumentException(String.format("nBits 0x%08x encodes a negative target", bits));
        }
        BigInteger target = exponent <= 3
                ? BigInteger.valueOf(mantissa >>> (8 * (3 - exponent)))
                : BigInteger.valueOf(mantissa).shiftLeft(8 * (exponent - 3));
        if (target.signum() == 0) {
            throw new IllegalArgumentException(String.format("nBits 0x%08x encodes a zero target", bits));
        }
        if (target.bitLength() > 256) {
            throw new IllegalArgumentException(String.format("nBits 0x%08x overflows 256 bits", bits));
        }
        return target;
    }

    /** A hash read as a little-endian unsigned 256-bit number. */
    public static BigInteger hashValue(byte[] hash) {
        Objects.requireNonNull(hash, "hash");
        byte[] bigEndian = DoubleSha256.reverse(hash);
        return new BigInteger(1, bigEndian);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BitcoinHeader h && version == h.version && Arrays.equals(previousBlockHash, h.previousBlockHash)
                && Arrays.equals(merkleRoot, h.merkleRoot) && time == h.time && bits == h.bits && nonce == h.nonce;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "BitcoinHeader[hash=" + org.emrsb.core.crypto.Hex.encode(DoubleSha256.reverse(hash()))
                + " (display order), bits=" + String.format("0x%08x", bits) + ", nonce=" + nonce + "]";
    }
}
