package org.emrsb.core.format;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the canonical binary layout of docs/ledger-format.md: big-endian fixed-width integers,
 * u32-length-prefixed byte strings and UTF-8 strings, raw fixed-size fields (hashes and keys), and a
 * domain-separation tag (u8 length, ASCII) first. One writer per structure; not thread-safe.
 */
public final class CanonicalWriter {

    private final ByteArrayOutputStream out;

    /** Starts a structure with its domain-separation tag. */
    public CanonicalWriter(String tag) {
        this(tag, 256);
    }

    public CanonicalWriter(String tag, int sizeHint) {
        this.out = new ByteArrayOutputStream(sizeHint);
        byte[] ascii = tag.getBytes(StandardCharsets.US_ASCII);
        if (ascii.length == 0 || ascii.length > 255 || !tag.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a tag is 1 to 255 printable ASCII characters: " + tag);
        }
        u8(ascii.length);
        out.writeBytes(ascii);
    }

    public CanonicalWriter u8(int value) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + value);
        }
        out.write(value);
        return this;
    }

    public CanonicalWriter u32(long value) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException("u32 out of range: " + value);
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift) & 0xff);
        }
        return this;
    }

    /** An unsigned 64-bit value; Java's long is taken as unsigned, so negative values are refused. */
    public CanonicalWriter u64(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("u64 fields take non-negative values here: " + value);
        }
        return i64(value);
    }

    /** A signed 64-bit two's-complement value (times: milliseconds since the Unix epoch, UTC). */
    public CanonicalWriter i64(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift) & 0xff);
        }
        return this;
    }

    /** A field of exactly {@code length} bytes, written raw (no prefix): hashes, keys, signatures. */
    public CanonicalWriter fixed(byte[] value, int length, String field) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException(field + " must be " + length + " bytes, was "
                    + (value == null ? "missing" : value.length));
        }
        out.writeBytes(value);
        return this;
    }

    /** A byte string: u32 length, then the bytes. */
    public CanonicalWriter bytes(byte[] value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        u32(value.length);
        out.writeBytes(value);
        return this;
    }

    /** A string: its UTF-8 bytes as a byte string. */
    public CanonicalWriter string(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return bytes(value.getBytes(StandardCharsets.UTF_8), field);
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** The offset the next field will be written at (for documenting fixed positions). */
    public int position() {
        return out.size();
    }

    static byte[] copy(byte[] value) {
        return value == null ? null : Arrays.copyOf(value, value.length);
    }
}
