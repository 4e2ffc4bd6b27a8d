package org.emrsb.core.bitcoin;

import java.util.Arrays;
import org.emrsb.core.format.FormatException;

/**
 * Reads Bitcoin's serialisation strictly: little-endian integers, canonical (shortest) CompactSize
 * varints no greater than Bitcoin Core's 32 MiB limit, and lengths checked against what remains.
 * Failures are {@link FormatException}s naming the structure, the field and the offset.
 */
final class BitcoinReader {

    /** Bitcoin Core's MAX_SIZE for a CompactSize-prefixed length or count. */
    static final long MAX_SIZE = 0x0200_0000L;

    private final byte[] data;
    private final String structure;
    private int offset;

    BitcoinReader(byte[] data, String structure) {
        if (data == null) {
            throw new FormatException(structure + ": no bytes");
        }
        this.data = data;
        this.structure = structure;
    }

    int offset() {
        return offset;
    }

    int remaining() {
        return data.length - offset;
    }

    int peek(String field) {
        if (offset >= data.length) {
            throw truncated(field, 1);
        }
        return data[offset] & 0xff;
    }

    int u8(String field) {
        return take(1, field)[0] & 0xff;
    }

    long u32(String field) {
        byte[] b = take(4, field);
        return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
    }

    int i32(String field) {
        return (int) u32(field);
    }

    long i64(String field) {
        byte[] b = take(8, field);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (b[i] & 0xff);
        }
        return value;
    }

    byte[] fixed(int length, String field) {
        return take(length, field);
    }

    /** A CompactSize: 1, 3, 5 or 9 bytes, refused when not the shortest form or above {@link #MAX_SIZE}. */
    long varint(String field) {
        int at = offset;
        int first = u8(field);
        long value;
        long minimum;
        if (first < 0xfd) {
            return first;
        } else if (first == 0xfd) {
            byte[] b = take(2, field);
            value = (b[0] & 0xffL) | (b[1] & 0xffL) << 8;
            minimum = 0xfd;
        } else if (first == 0xfe) {
            value = u32(field);
            minimum = 0x1_0000L;
        } else {
            value = i64(field);
            minimum = 0x1_0000_0000L;
        }
        if (Long.compareUnsigned(value, minimum) < 0) {
            throw new FormatException(structure + ": " + field + " at offset " + at + " is a non-canonical varint");
        }
        if (Long.compareUnsigned(value, MAX_SIZE) > 0) {
            throw new FormatException(structure + ": " + field + " at offset " + at + " is "
                    + Long.toUnsignedString(value) + ", above the limit " + MAX_SIZE);
        }
        return value;
    }

    /** A CompactSize length, then that many bytes. */
    byte[] varBytes(String field) {
        int at = offset;
        long length = varint(field + " length");
        if (length > remaining()) {
            throw new FormatException(structure + ": " + field + " at offset " + at + " claims " + length
                    + " bytes, only " + remaining() + " remain");
        }
        return take((int) length, field);
    }

    /** A CompactSize count of elements of at least {@code minElementBytes} each, checked against what remains. */
    int count(String field, int minElementBytes) {
        int at = offset;
        long n = varint(field + " count");
        if (n * minElementBytes > remaining()) {
            throw new FormatException(structure + ": " + field + " count " + n + " at offset " + at
                    + " cannot fit in the " + remaining() + " bytes that remain");
        }
        return (int) n;
    }

    void finish() {
        if (offset != data.length) {
            throw new FormatException(structure + ": " + (data.length - offset) + " trailing bytes at offset " + offset);
        }
    }

    FormatException invalid(String problem) {
        return new FormatException(structure + ": " + problem);
    }

    private byte[] take(int length, String field) {
        if (length > data.length - offset) {
            throw truncated(field, length);
        }
        byte[] value = Arrays.copyOfRange(data, offset, offset + length);
        offset += length;
        return value;
    }

    private FormatException truncated(String field, int length) {
        return new FormatException(structure + ": truncated at " + field + " (offset " + offset + ", needs "
                + length + " bytes, " + (data.length - offset) + " remain)");
    }
}
