package org.emrsb.core.proof;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.Sha256;

/**
 * A detached OpenTimestamps timestamp ({@code .ots}, major version 1) of one file hashed with SHA-256,
 * made of a single path of operations that ends in a Bitcoin block header attestation. This is the
 * subset of the format EMRSB writes: no forks, one attestation, and only the operations
 * {@code append}, {@code prepend} and {@code sha256}. The encoding follows python-opentimestamps
 * ({@code opentimestamps/core/{timestamp,op,notary,serialize}.py}) byte for byte:
 *
 * <pre>
 *   file      = MAGIC  varuint(1)  0x08  digest[32]  timestamp
 *   timestamp = op* attestation                       (a single path: no 0xff fork markers)
 *   op        = 0xf0 varbytes(arg)  (append)  |  0xf1 varbytes(arg)  (prepend)  |  0x08  (sha256)
 *   attestation = 0x00  05 88 96 0d 73 d7 19 01  varbytes(varuint(height))
 *   varuint   = unsigned LEB128;  varbytes = varuint(length) bytes
 * </pre>
 *
 * <p>The format's limits hold for every operation (as the library enforces them while it reads a file):
 * an argument is 1..4096 bytes, and every message an operation takes or yields is at most 4096 bytes.
 * Instances are immutable; {@link #parse} reads exactly this subset, strictly.
 */
public final class OtsTimestamp {

    /** The header magic of a detached timestamp file. */
    static final byte[] MAGIC = {0x00, 'O', 'p', 'e', 'n', 'T', 'i', 'm', 'e', 's', 't', 'a', 'm', 'p', 's', 0x00, 0x00,
            'P', 'r', 'o', 'o', 'f', 0x00, (byte) 0xbf, (byte) 0x89, (byte) 0xe2, (byte) 0xe8, (byte) 0x84, (byte) 0xe8,
            (byte) 0x92, (byte) 0x94};
    /** The file format's major version. */
    static final int MAJOR_VERSION = 1;
    /** Tag of the SHA-256 operation, also the file hash operation. */
    static final int TAG_SHA256 = 0x08;
    static final int TAG_APPEND = 0xf0;
    static final int TAG_PREPEND = 0xf1;
    /** Tag byte that introduces an attestation. */
    static final int TAG_ATTESTATION = 0x00;
    /** Marks a fork in the timestamp tree; EMRSB never writes one. */
    static final int TAG_FORK = 0xff;
    /** The 8-byte tag of {@code BitcoinBlockHeaderAttestation}. */
    static final byte[] BITCOIN_ATTESTATION = Hex.decode("0588960d73d71901", "the Bitcoin attestation tag");
    /** The largest argument, message and result of an operation. */
    public static final int MAX_LENGTH = 4096;
    /** The largest attestation payload the library reads. */
    static final int MAX_PAYLOAD = 8192;

    /** One operation on the message. */
    public sealed interface Op permits Concat, Sha256Op {

        /** The result of applying the operation to {@code message}. */
        byte[] apply(byte[] message);
    }

    /**
     * An operation that joins its argument (1 to {@value #MAX_LENGTH} bytes) to the message on one side.
     * Two are equal when they are of the same kind with the same argument.
     */
    public abstract static sealed class Concat implements Op permits Append, Prepend {
        private final String name;
        private final byte[] arg;

        private Concat(String name, byte[] arg) {
            this.name = name;
            this.arg = checkArg(arg);
        }

        public byte[] arg() {
            return arg.clone();
        }

        static byte[] join(byte[] first, byte[] second) {
            byte[] out = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, out, first.length, second.length);
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o != null && o.getClass() == getClass() && Arrays.equals(arg, ((Concat) o).arg);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(arg);
        }

        @Override
        public String toString() {
            return name + " " + Hex.encode(arg);
        }
    }

    /** {@code append arg}: message ‖ arg. */
    public static final class Append extends Concat {
        public Append(byte[] arg) {
            super("append", arg);
        }

        @Override
        public byte[] apply(byte[] message) {
            return join(message, super.arg);
        }
    }

    /** {@code prepend arg}: arg ‖ message. */
    public static final class Prepend extends Concat {
        public Prepend(byte[] arg) {
            super("prepend", arg);
        }

        @Override
        public byte[] apply(byte[] message) {
            return join(super.arg, message);
        }
    }

    /** {@code sha256}: SHA-256 of the message. */
    public record Sha256Op() implements Op {
        @Override
        public byte[] apply(byte[] message) {
            return Sha256.hash(message);
        }

        @Override
        public String toString() {
            return "sha256";
        }
    }

    /** The one instance of the SHA-256 operation. */
    public static final Op SHA256 = new Sha256Op();

    private final byte[] fileDigest;
    private final List<Op> ops;
    private final long bitcoinHeight;

    /**
     * A timestamp of the file whose SHA-256 is {@code fileDigest}.
     *
     * @param ops           the path, applied in order to the digest
     * @param bitcoinHeight the height of the Bitcoin block whose header's Merkle root the path reaches
     * @throws IllegalArgumentException if the digest is not 32 bytes, the height is negative, or the path
     *                                  breaks the format's limits (see {@link #commitment()})
     */
    public OtsTimestamp(byte[] fileDigest, List<? extends Op> ops, long bitcoinHeight) {
        this.fileDigest = Objects.requireNonNull(fileDigest, "fileDigest").clone();
        if (fileDigest.length != 32) {
            throw new IllegalArgumentException("the file digest is a SHA-256 digest, 32 bytes; was " + fileDigest.length);
        }
        this.ops = List.copyOf(ops);
        if (bitcoinHeight < 0) {
            throw new IllegalArgumentException("a Bitcoin height is at least 0, was " + bitcoinHeight);
        }
        this.bitcoinHeight = bitcoinHeight;
        commitment();
    }

    /** The SHA-256 of the timestamped file. */
    public byte[] fileDigest() {
        return fileDigest.clone();
    }

    public List<Op> ops() {
        return ops;
    }

    public long bitcoinHeight() {
        return bitcoinHeight;
    }

    /**
     * The message the path reaches from the file digest: what the attestation commits to, the Merkle
     * root of the Bitcoin block header at {@link #bitcoinHeight()} in internal byte order.
     *
     * @throws IllegalArgumentException if a message or result exceeds {@link #MAX_LENGTH} bytes
     */
    public byte[] commitment() {
        byte[] message = fileDigest;
        for (int i = 0; i < ops.size(); i++) {
            if (message.length > MAX_LENGTH) {
                throw new IllegalArgumentException("operation " + i + " (" + name(ops.get(i)) + ") takes a message of "
                        + message.length + " bytes; OpenTimestamps allows at most " + MAX_LENGTH);
            }
            message = ops.get(i).apply(message);
            if (message.length > MAX_LENGTH) {
                throw new IllegalArgumentException("operation " + i + " (" + name(ops.get(i)) + ") yields a message of "
                        + message.length + " bytes; OpenTimestamps allows at most " + MAX_LENGTH);
            }
        }
        return message.clone();
    }

    private static String name(Op op) {
        return op instanceof Concat c ? c.name : "sha256";
    }

    // ---------------------------------------------------------------- writing

    /** The {@code .ots} file's bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        writeVaruint(out, MAJOR_VERSION);
        out.write(TAG_SHA256);
        out.writeBytes(fileDigest);
        for (Op op : ops) {
            if (op instanceof Concat c) {
                out.write(op instanceof Append ? TAG_APPEND : TAG_PREPEND);
                writeVarbytes(out, c.arg);
            } else {
                out.write(TAG_SHA256);
            }
        }
        out.write(TAG_ATTESTATION);
        out.writeBytes(BITCOIN_ATTESTATION);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        writeVaruint(payload, bitcoinHeight);
        writeVarbytes(out, payload.toByteArray());
        return out.toByteArray();
    }

    /** Unsigned LEB128, as the library's {@code write_varuint}. */
    static void writeVaruint(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a varuint is not negative");
        }
        do {
            int b = (int) (value & 0x7f);
            value >>>= 7;
            out.write(value != 0 ? b | 0x80 : b);
        } while (value != 0);
    }

    static void writeVarbytes(ByteArrayOutputStream out, byte[] bytes) {
        writeVaruint(out, bytes.length);
        out.writeBytes(bytes);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a file of the subset this class writes: magic, version 1, SHA-256 file hash, a single path
     * of append, prepend and sha256 operations, one Bitcoin attestation, nothing after it.
     *
     * @throws IllegalArgumentException naming what is wrong and where
     */
    public static OtsTimestamp parse(byte[] bytes) {
        Reader r = new Reader(bytes);
        if (!Arrays.equals(r.fixed(MAGIC.length, "magic"), MAGIC)) {
            throw new IllegalArgumentException("not an OpenTimestamps proof: wrong header magic");
        }
        long version = r.varuint("major version");
        if (version != MAJOR_VERSION) {
            throw new IllegalArgumentException("major version " + version + " is not supported (only 1)");
        }
        int hashOp = r.u8("file hash operation");
        if (hashOp != TAG_SHA256) {
            throw new IllegalArgumentException(String.format("file hash operation 0x%02x is not sha256 (0x08)", hashOp));
        }
        byte[] digest = r.fixed(32, "file digest");
        List<Op> ops = new ArrayList<>();
        while (true) {
            int at = r.offset;
            int tag = r.u8("operation tag");
            switch (tag) {
                case TAG_APPEND -> ops.add(new Append(r.varbytes(MAX_LENGTH, "append argument")));
                case TAG_PREPEND -> ops.add(new Prepend(r.varbytes(MAX_LENGTH, "prepend argument")));
                case TAG_SHA256 -> ops.add(SHA256);
                case TAG_ATTESTATION -> {
                    if (!Arrays.equals(r.fixed(8, "attestation tag"), BITCOIN_ATTESTATION)) {
                        throw new IllegalArgumentException("attestation at offset " + at + " is not a Bitcoin block "
                                + "header attestation");
                    }
                    Reader payload = new Reader(r.varbytes(MAX_PAYLOAD, "attestation payload"));
                    long height = payload.varuint("block height");
                    payload.finish("attestation payload");
                    r.finish("file");
                    return new OtsTimestamp(digest, ops, height);
                }
                case TAG_FORK -> throw new IllegalArgumentException("a fork at offset " + at
                        + ": only single-path timestamps are read here");
                default -> throw new IllegalArgumentException(String.format(
                        "operation tag 0x%02x at offset %d is not append, prepend or sha256", tag, at));
            }
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private int offset;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int u8(String what) {
            if (offset >= bytes.length) {
                throw new IllegalArgumentException("truncated: " + what + " expected at offset " + offset);
            }
            return bytes[offset++] & 0xff;
        }

        byte[] fixed(int n, String what) {
            if (bytes.length - offset < n) {
                throw new IllegalArgumentException("truncated: " + what + " needs " + n + " bytes at offset " + offset);
            }
            byte[] out = Arrays.copyOfRange(bytes, offset, offset + n);
            offset += n;
            return out;
        }

        long varuint(String what) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift > 56) {
                    throw new IllegalArgumentException(what + " at offset " + offset + " is too large");
                }
                int b = u8(what);
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
        }

        byte[] varbytes(int max, String what) {
            long length = varuint(what + " length");
            if (length < 1 || length > max) {
                throw new IllegalArgumentException(what + " is " + length + " bytes; 1.." + max + " allowed");
            }
            return fixed((int) length, what);
        }

        void finish(String what) {
            if (offset != bytes.length) {
                throw new IllegalArgumentException((bytes.length - offset) + " trailing bytes after the " + what);
            }
        }
    }

    // ---------------------------------------------------------------- building

    static byte[] checkArg(byte[] arg) {
        Objects.requireNonNull(arg, "arg");
        if (arg.length < 1 || arg.length > MAX_LENGTH) {
            throw new IllegalArgumentException("an operation's argument is 1.." + MAX_LENGTH + " bytes, was " + arg.length);
        }
        return arg.clone();
    }

    /** True when both timestamps have the same digest, path and height. */
    @Override
    public boolean equals(Object o) {
        return o instanceof OtsTimestamp t && MessageDigest.isEqual(fileDigest, t.fileDigest) && ops.equals(t.ops)
                && bitcoinHeight == t.bitcoinHeight;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(fileDigest), ops, bitcoinHeight);
    }

    @Override
    public String toString() {
        return "OtsTimestamp(sha256 " + Hex.encode(fileDigest) + ", " + ops.size()
                + " operations, Bitcoin block " + bitcoinHeight + ")";
    }
}
