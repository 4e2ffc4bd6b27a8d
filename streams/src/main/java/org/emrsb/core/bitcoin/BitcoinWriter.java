package org.emrsb.core.bitcoin;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * Writes Bitcoin's serialisation: little-endian integers, CompactSize varints in their shortest form,
 * varint-prefixed byte strings. The low-level half of building transactions, headers and blocks
 * ({@link BitcoinTransaction#toBytes()}, {@link BitcoinHeader#toBytes()}, {@link BitcoinBlock}).
 * Not thread-safe.
 */
public final class BitcoinWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public BitcoinWriter u8(int value) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + value);
        }
        out.write(value);
        return this;
    }

    /** An unsigned 32-bit value, little-endian. */
    public BitcoinWriter u32(long value) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException("u32 out of range: " + value);
        }
        return le(value, 4);
    }

    /** A signed 32-bit value (transaction and header versions), little-endian. */
    public BitcoinWriter i32(int value) {
        return le(value & 0xffff_ffffL, 4);
    }

    /** A 64-bit value (output amounts in satoshi), little-endian. */
    public BitcoinWriter i64(long value) {
        return le(value, 8);
    }

    /** A CompactSize in its shortest form. */
    public BitcoinWriter varint(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint out of range: " + value);
        }
        if (value < 0xfd) {
            out.write((int) value);
        } else if (value <= 0xffff) {
            out.write(0xfd);
            le(value, 2);
        } else if (value <= 0xffff_ffffL) {
            out.write(0xfe);
            le(value, 4);
        } else {
            out.write(0xff);
            le(value, 8);
        }
        return this;
    }

    /** Raw bytes (hashes), no prefix. */
    public BitcoinWriter bytes(byte[] value) {
        out.writeBytes(Objects.requireNonNull(value, "value"));
        return this;
    }

    /** A CompactSize length, then the bytes (scripts). */
    public BitcoinWriter varBytes(byte[] value) {
        Objects.requireNonNull(value, "value");
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private BitcoinWriter le(long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
        return this;
    }
}
