package org.emrsb.core.proof;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.emrsb.core.bitcoin.BitcoinHeader;
import org.emrsb.core.bitcoin.BitcoinTransaction;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.AnchorHeader;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.proof.OtsTimestamp.Append;
import org.emrsb.core.proof.OtsTimestamp.Op;
import org.emrsb.core.proof.OtsTimestamp.Prepend;

/**
 * Turns a complete proof bundle into an OpenTimestamps proof ({@link OtsTimestamp}) whose file is the
 * transaction's canonical bytes: the path from their SHA-256 (the transaction id) through the block
 * tree, the block header, the anchor tree, the anchor header, the Bitcoin transaction and its Merkle
 * branch to the Bitcoin block header's Merkle root, attested at the bundle's Bitcoin height
 * (docs/opentimestamps.md lists the operations).
 *
 * <p>The export checks every intermediate value it reaches against the bundle (block root, block hash,
 * anchor root, anchor hash, txid, Bitcoin Merkle root), so it never writes a path that leads elsewhere;
 * it does not check signatures, certificates, verdicts or proof of work: run {@link BundleVerifier}
 * first. Stateless.
 */
public final class OtsExport {

    private static final byte[] LEAF_PREFIX = {0x00};
    private static final byte[] NODE_PREFIX = {0x01};

    private OtsExport() {
    }

    /**
     * The OpenTimestamps proof of the bundle's transaction.
     *
     * @throws IllegalArgumentException if the bundle has no Bitcoin part, a value does not decode, a link
     *                                  does not lead to the next one, or the path breaks the format's
     *                                  4096-byte limit (a Bitcoin transaction larger than about 4 kB)
     */
    public static OtsTimestamp of(ProofBundle bundle) {
        if (bundle.block() == null || bundle.anchor() == null || bundle.bitcoin() == null) {
            throw new IllegalArgumentException("the bundle has no Bitcoin part yet: its anchor is not mined");
        }
        try {
            return path(bundle);
        } catch (FormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static OtsTimestamp path(ProofBundle bundle) {
        Path p = new Path(Sha256.hash(Hex.decode(bundle.transaction().bytes(), "transaction.bytes")));
        p.expect(Hex.decode(bundle.transaction().id(), 32, "transaction.id"), "the transaction id");

        // Block tree: leaf H(0x00 ‖ id), then the inclusion path to the header's merkleRoot; anchor likewise.
        ProofBundle.BlockPart block = bundle.block();
        throughHeader(p, "block", block.header(), header -> BlockHeader.parse(header).merkleRoot(),
                BlockHeader.MERKLE_ROOT_OFFSET, block.leafIndex(), block.treeSize(), block.path(), block.hash());
        ProofBundle.AnchorPart anchor = bundle.anchor();
        byte[] anchorHash = throughHeader(p, "anchor", anchor.header(), header -> AnchorHeader.parse(header).merkleRoot(),
                AnchorHeader.MERKLE_ROOT_OFFSET, anchor.leafIndex(), anchor.treeSize(), anchor.path(), anchor.hash());

        // The Bitcoin transaction: its bytes around the anchor hash in the OP_RETURN, double SHA-256.
        byte[] tx = Hex.decode(bundle.bitcoin().tx(), "bitcoin.tx");
        p.around(tx, opReturnPayloadOffset(tx, anchorHash));
        p.sha256();
        p.sha256();
        p.expect(Hex.decode(bundle.bitcoin().txid(), 32, "bitcoin.txid"), "the Bitcoin txid");

        // The Bitcoin Merkle branch: dSHA(h ‖ s) where bit i of txIndex is 0, dSHA(s ‖ h) where it is 1.
        List<String> branch = bundle.bitcoin().branch();
        long index = bundle.bitcoin().txIndex();
        if (index < 0 || (branch.size() < 63 && index >= (1L << branch.size()))) {
            throw new IllegalArgumentException("bitcoin.txIndex " + index + " does not fit a branch of " + branch.size());
        }
        for (int level = 0; level < branch.size(); level++) {
            byte[] sibling = Hex.decode(branch.get(level), 32, "bitcoin.branch[" + level + "]");
            if (((index >>> level) & 1) == 0) {
                p.append(sibling);
            } else {
                p.prepend(sibling);
            }
            p.sha256();
            p.sha256();
        }
        BitcoinHeader header = BitcoinHeader.parse(Hex.decode(bundle.bitcoin().header(), "bitcoin.header"));
        p.expect(header.merkleRoot(), "the Bitcoin block header's Merkle root");
        if (bundle.bitcoin().height() < 0) {
            throw new IllegalArgumentException("bitcoin.height " + bundle.bitcoin().height() + " is negative");
        }
        return new OtsTimestamp(p.digest, p.ops, bundle.bitcoin().height());
    }

    /**
     * Extends {@code p} from a tree leaf's hash by the inclusion path to the header's merkleRoot, then
     * around the header and through SHA-256 to the header's hash, checking both against the bundle;
     * {@code part} names the bundle's fields ({@code block}, {@code anchor}) in errors.
     *
     * @return the header's hash
     */
    private static byte[] throughHeader(Path p, String part, String headerHex, Function<byte[], byte[]> merkleRootOf,
            int merkleRootOffset, long leafIndex, long treeSize, List<String> inclusionPath, String hashHex) {
        byte[] header = Hex.decode(headerHex, part + ".header");
        byte[] merkleRoot = merkleRootOf.apply(header);
        p.inclusion(leafIndex, treeSize, inclusionPath, part);
        p.expect(merkleRoot, "the " + part + " header's merkleRoot");
        p.around(header, merkleRootOffset);
        p.sha256();
        byte[] hash = Hex.decode(hashHex, 32, part + ".hash");
        p.expect(hash, "the " + part + " hash");
        return hash;
    }

    /**
     * Where the 32 bytes of the first output whose script is {@code OP_RETURN <anchorHash>} start in the
     * transaction's legacy serialisation.
     */
    static int opReturnPayloadOffset(byte[] txBytes, byte[] anchorHash) {
        BitcoinTransaction tx = BitcoinTransaction.parse(txBytes);
        int offset = 4 + compactSizeLength(tx.inputs().size());
        for (BitcoinTransaction.Input in : tx.inputs()) {
            int script = in.scriptSig().length;
            offset += 32 + 4 + compactSizeLength(script) + script + 4;
        }
        offset += compactSizeLength(tx.outputs().size());
        for (BitcoinTransaction.Output out : tx.outputs()) {
            int script = out.script().length;
            if (out.isOpReturnOf(anchorHash)) {
                int at = offset + 8 + compactSizeLength(script) + 2;
                if (!Arrays.equals(txBytes, at, at + 32, anchorHash, 0, 32)) {
                    throw new IllegalStateException("the OP_RETURN payload is not at offset " + at);
                }
                return at;
            }
            offset += 8 + compactSizeLength(script) + script;
        }
        throw new IllegalArgumentException("no output of the Bitcoin transaction is OP_RETURN " + Hex.encode(anchorHash));
    }

    private static int compactSizeLength(long n) {
        return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffff_ffffL ? 5 : 9;
    }

    /** The operations so far and the message they reach. */
    private static final class Path {
        private final byte[] digest;
        private final List<Op> ops = new ArrayList<>();
        private byte[] message;

        Path(byte[] digest) {
            this.digest = digest;
            this.message = digest;
        }

        private void add(Op op) {
            ops.add(op);
            message = op.apply(message);
        }

        /** Refuses a concatenation whose result the format would not allow. */
        private void fits(byte[] bytes) {
            if (message.length + bytes.length > OtsTimestamp.MAX_LENGTH) {
                throw new IllegalArgumentException("operation " + ops.size() + " would yield a message of "
                        + (message.length + bytes.length) + " bytes; OpenTimestamps allows at most "
                        + OtsTimestamp.MAX_LENGTH + " for every message (a Bitcoin transaction of more than "
                        + OtsTimestamp.MAX_LENGTH + " bytes cannot be in an .ots path)");
            }
        }

        void sha256() {
            add(OtsTimestamp.SHA256);
        }

        /**
         * Appends {@code bytes}; nothing when empty (the format forbids empty arguments). One argument
         * always suffices: an argument longer than 4096 bytes would make a result longer than the 4096
         * bytes the format allows for every message, so no path could hold it, split or not.
         */
        void append(byte[] bytes) {
            if (bytes.length > 0) {
                fits(bytes);
                add(new Append(bytes));
            }
        }

        /** Prepends {@code bytes}; nothing when empty. */
        void prepend(byte[] bytes) {
            if (bytes.length > 0) {
                fits(bytes);
                add(new Prepend(bytes));
            }
        }

        /**
         * The structure's bytes before and after the 32 bytes at {@code at}, which must be the message:
         * {@code prepend bytes[0, at)}, {@code append bytes[at + 32, end)}.
         */
        void around(byte[] bytes, int at) {
            if (at < 0 || at + 32 > bytes.length || !Arrays.equals(bytes, at, at + 32, message, 0, message.length)) {
                throw new IllegalArgumentException("the structure does not hold " + Hex.encode(message) + " at offset " + at);
            }
            prepend(Arrays.copyOfRange(bytes, 0, at));
            append(Arrays.copyOfRange(bytes, at + 32, bytes.length));
        }

        /** RFC 9162 section 2.1.3.2 from the leaf data (the message), as {@link org.emrsb.core.merkle.ProofVerifier}. */
        void inclusion(long leafIndex, long treeSize, List<String> path, String part) {
            if (leafIndex < 0 || leafIndex >= treeSize) {
                throw new IllegalArgumentException(part + ".leafIndex " + leafIndex + " is outside the tree of "
                        + treeSize + " leaves");
            }
            prepend(LEAF_PREFIX);
            sha256();
            long fn = leafIndex;
            long sn = treeSize - 1;
            for (int i = 0; i < path.size(); i++) {
                byte[] sibling = Hex.decode(path.get(i), 32, part + ".path[" + i + "]");
                if (sn == 0) {
                    throw new IllegalArgumentException(part + ".path is longer than the tree is high");
                }
                if ((fn & 1) == 1 || fn == sn) {
                    prepend(sibling);
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                } else {
                    append(sibling);
                }
                prepend(NODE_PREFIX);
                sha256();
                fn >>= 1;
                sn >>= 1;
            }
            if (sn != 0) {
                throw new IllegalArgumentException(part + ".path is shorter than the tree is high");
            }
        }

        void expect(byte[] value, String what) {
            if (!MessageDigest.isEqual(message, value)) {
                throw new IllegalArgumentException("the path reaches " + Hex.encode(message) + ", not " + what + " "
                        + Hex.encode(value));
            }
        }
    }
}
