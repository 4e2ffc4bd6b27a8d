package org.emrsb.core.format;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the canonical layout strictly: the tag must be the expected one, every length must fit, UTF-8
 * must be valid, and {@link #finish()} refuses trailing bytes, so exactly one byte string parses to a
 * given structure. Failures are {@link FormatException}s naming the structure, the field and the offset.
 */
public final class CanonicalReader {

    private final byte[] data;
    private final String structure;
    private int offset;

    public CanonicalReader(byte[] data, String tag, String structure) {
        if (data == null) {
            throw new FormatException(structure + ": no bytes");
        }
        this.data = data;
        this.structure = structure;
        int length = u8("tag length");
        byte[] found = take(length, "tag");
        if (!Arrays.equals(found, tag.getBytes(StandardCharsets.US_ASCII))) {
            throw new FormatException(structure + ": tag is '" + new String(found, StandardCharsets.ISO_8859_1)
                    + "', expected '" + tag + "'");
        }
    }

    public int u8(String field) {
        return take(1, field)[0] & 0xff;
    }

    public long u32(String field) {
        byte[] b = take(4, field);
        return ((long) (b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    public long u64(String field) {
        int at = offset;
        long value = i64(field);
        if (value < 0) {
            throw new FormatException(structure + ": " + field + " at offset " + at + " exceeds 2^63-1");
        }
        return value;
    }

    public long i64(String field) {
        byte[] b = take(8, field);
        long value = 0;
        for (byte x : b) {
            value = (value << 8) | (x & 0xff);
        }
        return value;
    }

    public byte[] fixed(int length, String field) {
        return take(length, field);
    }

    public byte[] bytes(String field) {
        int at = offset;
        long length = u32(field + " length");
        if (length > data.length - offset) {
            throw new FormatException(structure + ": " + field + " at offset " + at + " claims " + length
                    + " bytes, only " + (data.length - offset) + " remain");
        }
        return take((int) length, field);
    }

    public String string(String field) {
        int at = offset;
        byte[] raw = bytes(field);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(structure + ": " + field + " at offset " + at + " is not valid UTF-8");
        }
    }

    /** A count of list elements, each at least {@code minElementBytes} long, checked against what remains. */
    public int count(String field, int minElementBytes) {
        int at = offset;
        long n = u32(field + " count");
        if (n * Math.max(1, minElementBytes) > data.length - offset) {
            throw new FormatException(structure + ": " + field + " count " + n + " at offset " + at
                    + " cannot fit in the " + (data.length - offset) + " bytes that remain");
        }
        return (int) n;
    }

    /** Refuses anything after the last field. */
    public void finish() {
        if (offset != data.length) {
            throw new FormatException(structure + ": " + (data.length - offset) + " trailing bytes at offset " + offset);
        }
    }

    public FormatException invalid(String field, String problem) {
        return new FormatException(structure + ": " + field + " " + problem);
    }

    private byte[] take(int length, String field) {
        if (length > data.length - offset) {
            throw new FormatException(structure + ": truncated at " + field + " (offset " + offset + ", needs "
                    + length + " bytes, " + (data.length - offset) + " remain)");
        }
        byte[] value = Arrays.copyOfRange(data, offset, offset + length);
        offset += length;
        return value;
    }
}
