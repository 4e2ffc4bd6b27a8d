package org.emrsb.core.ipfs;

import java.util.Arrays;
import java.util.Objects;

/**
 * A content identifier of the only kind this project makes or accepts: a SHA-256 multihash, as CIDv1
 * with codec raw (0x55) or dag-pb (0x70), or as legacy CIDv0 (dag-pb, the bare multihash).
 *
 * <p>Binary forms: CIDv1 {@code 0x01 ‖ codec ‖ 0x12 0x20 ‖ digest} (36 bytes), CIDv0
 * {@code 0x12 0x20 ‖ digest} (34 bytes). Text forms: CIDv1 as multibase {@code 'b'} + RFC 4648
 * base32, lower case, no padding ({@link #toString()}, what Kubo prints) or multibase {@code 'z'} +
 * base58btc (what js-ipfs prints in places); CIDv0 as plain base58btc {@code "Qm…"}.
 *
 * <p>Equality and hash code are those of the binary form, so a CID parsed from base32 equals the same
 * CID parsed from base58: always compare CIDs with {@link #equals}, never their strings. A CIDv0 and a
 * CIDv1 dag-pb of the same digest are different CIDs (different bytes). Parsing is strict: anything but
 * the forms above, including non-canonical encodings, is refused with an {@link IllegalArgumentException}
 * that says why. Immutable and thread-safe.
 */
public final class Cid {

    /** Multicodec of a raw block (a raw leaf: the bytes themselves). */
    public static final int RAW = 0x55;
    /** Multicodec of a dag-pb (protobuf) block: UnixFS nodes. */
    public static final int DAG_PB = 0x70;
    /** Multihash code of SHA-256. */
    public static final int SHA2_256 = 0x12;
    /** Length of a SHA-256 digest. */
    public static final int DIGEST_LENGTH = 32;

    /** Longest text form parse() looks at; real ones are 46 (v0), 59 (base32 v1) or 50 (base58 v1). */
    private static final int MAX_TEXT = 128;

    private final byte[] bytes;

    private Cid(byte[] bytes) {
        this.bytes = bytes;
    }

    /** CIDv1 raw of a block whose SHA-256 is {@code sha256}: the CID of a file of at most one chunk. */
    public static Cid rawLeaf(byte[] sha256) {
        return v1(RAW, sha256);
    }

    /** CIDv1 dag-pb of a block whose SHA-256 is {@code sha256}: a UnixFS node. */
    public static Cid dagPb(byte[] sha256) {
        return v1(DAG_PB, sha256);
    }

    /** Legacy CIDv0 (dag-pb) of a block whose SHA-256 is {@code sha256}. */
    public static Cid v0(byte[] sha256) {
        checkDigest(sha256);
        byte[] b = new byte[2 + DIGEST_LENGTH];
        b[0] = SHA2_256;
        b[1] = DIGEST_LENGTH;
        System.arraycopy(sha256, 0, b, 2, DIGEST_LENGTH);
        return new Cid(b);
    }

    private static Cid v1(int codec, byte[] sha256) {
        checkDigest(sha256);
        return new Cid(v1Bytes(codec, sha256, 0));
    }

    /** The 36 binary bytes of a CIDv1 with a SHA-256 digest found at {@code digest[offset..offset+32)}. */
    static byte[] v1Bytes(int codec, byte[] digest, int offset) {
        byte[] b = new byte[4 + DIGEST_LENGTH];
        b[0] = 1;
        b[1] = (byte) codec;
        b[2] = SHA2_256;
        b[3] = DIGEST_LENGTH;
        System.arraycopy(digest, offset, b, 4, DIGEST_LENGTH);
        return b;
    }

    /** Wraps binary bytes the caller has just built and will not touch again (no copy, no checks). */
    static Cid trusted(byte[] binary) {
        return new Cid(binary);
    }

    private static void checkDigest(byte[] sha256) {
        Objects.requireNonNull(sha256, "sha256");
        if (sha256.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + sha256.length);
        }
    }

    /**
     * The CID whose binary form is {@code binary}: CIDv1 ({@code 0x01}, codec raw or dag-pb, SHA-256
     * multihash of 32 bytes) or CIDv0 (the 34-byte SHA-256 multihash). Varints must be minimal; no
     * trailing bytes.
     *
     * @throws IllegalArgumentException if it is anything else, with the reason
     */
    public static Cid fromBytes(byte[] binary) {
        Objects.requireNonNull(binary, "binary");
        if (binary.length == 0) {
            throw new IllegalArgumentException("empty CID");
        }
        if ((binary[0] & 0xff) == SHA2_256) {
            // CIDv0: a bare SHA-256 multihash
            checkMultihash(binary, 0, "CIDv0");
            return new Cid(binary.clone());
        }
        int[] pos = {0};
        long version = varint(binary, pos, "version");
        if (version != 1) {
            throw new IllegalArgumentException("unsupported CID version " + version + " (only CIDv1, or CIDv0 as a bare"
                    + " sha2-256 multihash)");
        }
        long codec = varint(binary, pos, "codec");
        if (codec != RAW && codec != DAG_PB) {
            throw new IllegalArgumentException("unsupported codec 0x" + Long.toHexString(codec)
                    + " (only raw 0x55 and dag-pb 0x70)");
        }
        if (pos[0] != 2) {
            throw new IllegalArgumentException("non-minimal varint in the CID header");
        }
        checkMultihash(binary, 2, "CIDv1");
        return new Cid(binary.clone());
    }

    private static void checkMultihash(byte[] b, int at, String what) {
        int[] pos = {at};
        long code = varint(b, pos, "multihash code");
        if (code != SHA2_256) {
            throw new IllegalArgumentException("unsupported multihash 0x" + Long.toHexString(code) + " in " + what
                    + " (only sha2-256 0x12)");
        }
        long length = varint(b, pos, "multihash length");
        if (length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("a sha2-256 multihash has a 32-byte digest, not " + length);
        }
        if (pos[0] != at + 2) {
            throw new IllegalArgumentException("non-minimal varint in the multihash");
        }
        int end = at + 2 + DIGEST_LENGTH;
        if (b.length < end) {
            throw new IllegalArgumentException("truncated " + what + ": digest has " + (b.length - at - 2) + " of 32 bytes");
        }
        if (b.length > end) {
            throw new IllegalArgumentException((b.length - end) + " trailing byte(s) after the " + what);
        }
    }

    /** Unsigned LEB128, at most 9 bytes, minimal (no trailing 0x80 0x00 padding). */
    private static long varint(byte[] b, int[] pos, String what) {
        long value = 0;
        for (int shift = 0, i = 0; i < 9; i++, shift += 7) {
            if (pos[0] >= b.length) {
                throw new IllegalArgumentException("truncated CID: " + what + " varint ends early");
            }
            int x = b[pos[0]++] & 0xff;
            value |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                if (x == 0 && i > 0) {
                    throw new IllegalArgumentException("non-minimal varint for the " + what);
                }
                return value;
            }
        }
        throw new IllegalArgumentException("varint for the " + what + " is longer than 9 bytes");
    }

    /**
     * Parses {@code "b…"} (CIDv1, base32 lower case, no padding), {@code "z…"} (CIDv1, base58btc) or
     * {@code "Qm…"} (CIDv0, 46 characters of base58btc). Strict: no other multibase, no upper case, no
     * padding or whitespace, no non-canonical encodings (every accepted text is what this class prints
     * for the same bytes in that base).
     *
     * @throws IllegalArgumentException with the reason
     */
    public static Cid parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty CID text");
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("CID text too long (" + text.length() + " characters)");
        }
        char prefix = text.charAt(0);
        if (text.length() == 46 && text.startsWith("Qm")) {
            byte[] b = Base58.decode(text, 0);
            if (b.length != 34 || (b[0] & 0xff) != SHA2_256) {
                throw new IllegalArgumentException("not a CIDv0: " + shortened(text));
            }
            return fromBytes(b);
        }
        byte[] b;
        switch (prefix) {
            case 'b' -> b = Base32.decode(text, 1);
            case 'z' -> b = Base58.decode(text, 1);
            default -> throw new IllegalArgumentException("unsupported CID text " + shortened(text)
                    + ": expected multibase 'b' (base32), 'z' (base58btc) or a CIDv0 \"Qm…\"");
        }
        if (b.length > 0 && (b[0] & 0xff) != 1) {
            throw new IllegalArgumentException("a multibase CID must be CIDv1 (first byte 0x01), got 0x"
                    + Integer.toHexString(b[0] & 0xff) + " in " + shortened(text));
        }
        try {
            return fromBytes(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in " + shortened(text), e);
        }
    }

    private static String shortened(String text) {
        String s = text.length() > 70 ? text.substring(0, 67) + "..." : text;
        return "\"" + s + "\"";
    }

    /** A fresh copy of the binary form (36 bytes for CIDv1, 34 for CIDv0). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** 0 or 1. */
    public int version() {
        return bytes.length == 34 ? 0 : 1;
    }

    /** {@link #RAW} or {@link #DAG_PB} (CIDv0 is always dag-pb). */
    public int codec() {
        return version() == 0 ? DAG_PB : bytes[1] & 0xff;
    }

    /** True for a raw block: a file of at most one chunk whose bytes hash to {@link #digest()}. */
    public boolean isRaw() {
        return codec() == RAW;
    }

    /** A fresh copy of the 32-byte SHA-256 digest of the block. */
    public byte[] digest() {
        return Arrays.copyOfRange(bytes, bytes.length - DIGEST_LENGTH, bytes.length);
    }

    /** CIDv1 as {@code "b"} + base32 lower case (Kubo's default output); CIDv0 as {@code "Qm…"}. */
    @Override
    public String toString() {
        return version() == 0 ? Base58.encode(bytes) : "b" + Base32.encode(bytes);
    }

    /** CIDv1 as {@code "z"} + base58btc (js-ipfs' default for CIDv1); CIDv0 as {@code "Qm…"}. */
    public String toBase58() {
        return version() == 0 ? Base58.encode(bytes) : "z" + Base58.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** RFC 4648 base32, lower-case alphabet, no padding; decoding refuses non-zero trailing bits. */
    static final class Base32 {
        private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
        private static final byte[] VALUES = new byte[128];

        static {
            Arrays.fill(VALUES, (byte) -1);
            for (int i = 0; i < ALPHABET.length; i++) {
                VALUES[ALPHABET[i]] = (byte) i;
            }
        }

        private Base32() {
        }

        static String encode(byte[] data) {
            StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
            int buffer = 0;
            int bits = 0;
            for (byte b : data) {
                buffer = (buffer << 8) | (b & 0xff);
                bits += 8;
                while (bits >= 5) {
                    out.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
                    bits -= 5;
                }
            }
            if (bits > 0) {
                out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
            }
            return out.toString();
        }

        /** Decodes {@code text} from index {@code from}. */
        static byte[] decode(String text, int from) {
            int chars = text.length() - from;
            byte[] out = new byte[chars * 5 / 8];
            int buffer = 0;
            int bits = 0;
            int n = 0;
            for (int i = from; i < text.length(); i++) {
                char c = text.charAt(i);
                int v = c < 128 ? VALUES[c] : -1;
                if (v < 0) {
                    throw new IllegalArgumentException("character '" + c + "' at " + i
                            + " is not lower-case base32 (a-z, 2-7; no padding): " + shortened(text));
                }
                buffer = (buffer << 5) | v;
                bits += 5;
                if (bits >= 8) {
                    out[n++] = (byte) (buffer >>> (bits - 8));
                    bits -= 8;
                }
            }
            int remainder = chars % 8;
            if (remainder == 1 || remainder == 3 || remainder == 6) {
                throw new IllegalArgumentException("base32 text of impossible length " + chars + ": " + shortened(text));
            }
            if ((buffer & ((1 << bits) - 1)) != 0) {
                throw new IllegalArgumentException("non-canonical base32 (non-zero trailing bits): " + shortened(text));
            }
            return out;
        }
    }

    /** Bitcoin's base58 alphabet; leading '1's are leading zero bytes. */
    static final class Base58 {
        private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
        private static final byte[] VALUES = new byte[128];

        static {
            Arrays.fill(VALUES, (byte) -1);
            for (int i = 0; i < ALPHABET.length; i++) {
                VALUES[ALPHABET[i]] = (byte) i;
            }
        }

        private Base58() {
        }

        static String encode(byte[] data) {
            int zeros = 0;
            while (zeros < data.length && data[zeros] == 0) {
                zeros++;
            }
            byte[] digits = new byte[data.length * 138 / 100 + 1]; // log(256)/log(58), rounded up
            int length = 0;
            for (int i = zeros; i < data.length; i++) {
                int carry = data[i] & 0xff;
                int j = 0;
                for (; carry != 0 || j < length; j++) {
                    carry += (digits[j] & 0xff) * 256;
                    digits[j] = (byte) (carry % 58);
                    carry /= 58;
                }
                length = j;
            }
            StringBuilder out = new StringBuilder(zeros + length);
            for (int i = 0; i < zeros; i++) {
                out.append('1');
            }
            for (int i = length - 1; i >= 0; i--) {
                out.append(ALPHABET[digits[i]]);
            }
            return out.toString();
        }

        /** Decodes {@code text} from index {@code from}; base58 has exactly one encoding per byte string. */
        static byte[] decode(String text, int from) {
            int zeros = 0;
            while (from + zeros < text.length() && text.charAt(from + zeros) == '1') {
                zeros++;
            }
            byte[] bytes = new byte[text.length() - from]; // little-endian base-256 digits
            int length = 0;
            for (int i = from + zeros; i < text.length(); i++) {
                char c = text.charAt(i);
                int v = c < 128 ? VALUES[c] : -1;
                if (v < 0) {
                    throw new IllegalArgumentException("character '" + c + "' at " + i + " is not base58btc: "
                            + shortened(text));
                }
                int carry = v;
                int j = 0;
                for (; carry != 0 || j < length; j++) {
                    carry += (bytes[j] & 0xff) * 58;
                    bytes[j] = (byte) carry;
                    carry >>>= 8;
                }
                length = j;
            }
            byte[] out = new byte[zeros + length];
            for (int i = 0; i < length; i++) {
                out[zeros + i] = bytes[length - 1 - i];
            }
            return out;
        }
    }
}
