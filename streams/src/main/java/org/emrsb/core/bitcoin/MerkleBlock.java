package org.emrsb.core.bitcoin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.emrsb.core.format.FormatException;

/**
 * A BIP 37 merkle block, the answer of bitcoind's {@code gettxoutproof}: an 80-byte header, the block's
 * transaction count, and a partial Merkle tree (hashes in depth-first order, flag bits least
 * significant first) from which the matched txids and the Merkle root follow. {@link #parse} checks
 * that the tree is well formed and consumed exactly and that its root is the header's Merkle root, as
 * Core's {@code CPartialMerkleTree::ExtractMatches} does (including its refusal of identical sibling
 * hashes, CVE-2012-2459). The header's proof of work and its place in a chain are the caller's to check.
 *
 * @param header            the block header
 * @param totalTransactions the number of transactions in the block
 * @param matched           the txids the proof proves, internal byte order, in block order
 */
public record MerkleBlock(BitcoinHeader header, long totalTransactions, List<byte[]> matched) {

    /** Core's bound: no block holds more transactions than 1 MB / 60 bytes. */
    private static final long MAX_TRANSACTIONS = 1_000_000 / 60;

    public MerkleBlock {
        matched = matched.stream().map(byte[]::clone).toList();
    }

    @Override
    public List<byte[]> matched() {
        return matched.stream().map(byte[]::clone).toList();
    }

    /** Whether {@code txid} (internal byte order) is among the matched transactions. */
    public boolean proves(byte[] txid) {
        return matched.stream().anyMatch(m -> Arrays.equals(m, txid));
    }

    /**
     * Parses and checks a merkle block.
     *
     * @throws FormatException if the bytes are not exactly one well-formed merkle block whose tree leads
     *                         to its header's Merkle root
     */
    public static MerkleBlock parse(byte[] bytes) {
        BitcoinReader r = new BitcoinReader(bytes, "merkle block");
        BitcoinHeader header = BitcoinHeader.parse(r.fixed(BitcoinHeader.SIZE, "header"));
        long total = r.u32("transaction count");
        if (total == 0 || total > MAX_TRANSACTIONS) {
            throw r.invalid("transaction count " + total + " is outside 1.." + MAX_TRANSACTIONS);
        }
        int hashCount = r.count("hashes", 32);
        if (hashCount > total) {
            throw r.invalid(hashCount + " hashes for " + total + " transactions");
        }
        List<byte[]> hashes = new ArrayList<>(hashCount);
        for (int i = 0; i < hashCount; i++) {
            hashes.add(r.fixed(32, "hash " + i));
        }
        byte[] flags = r.varBytes("flag bytes");
        r.finish();
        Walk walk = new Walk(total, hashes, flags);
        int height = 0;
        while (walk.width(height) > 1) {
            height++;
        }
        byte[] root = walk.traverse(height, 0);
        if (walk.hashesUsed != hashes.size()) {
            throw r.invalid("the tree uses " + walk.hashesUsed + " of " + hashes.size() + " hashes");
        }
        if ((walk.bitsUsed + 7) / 8 != flags.length) {
            throw r.invalid("the tree uses " + walk.bitsUsed + " flag bits of " + flags.length + " bytes");
        }
        if (!Arrays.equals(root, header.merkleRoot())) {
            throw r.invalid("the partial Merkle tree does not lead to the header's Merkle root");
        }
        return new MerkleBlock(header, total, walk.matched);
    }

    /** The depth-first walk of {@code CPartialMerkleTree::TraverseAndExtract}. */
    private static final class Walk {
        private final long total;
        private final List<byte[]> hashes;
        private final byte[] flags;
        private final List<byte[]> matched = new ArrayList<>();
        private int hashesUsed;
        private int bitsUsed;

        Walk(long total, List<byte[]> hashes, byte[] flags) {
            this.total = total;
            this.hashes = hashes;
            this.flags = flags;
        }

        long width(int height) {
            return (total + (1L << height) - 1) >> height;
        }

        byte[] traverse(int height, long position) {
            if (bitsUsed >= flags.length * 8) {
                throw new FormatException("merkle block: the tree needs more flag bits than the " + flags.length + " bytes hold");
            }
            boolean parentOfMatch = (flags[bitsUsed / 8] >> (bitsUsed % 8) & 1) != 0;
            bitsUsed++;
            if (height == 0 || !parentOfMatch) {
                if (hashesUsed >= hashes.size()) {
                    throw new FormatException("merkle block: the tree needs more than the " + hashes.size() + " hashes given");
                }
                byte[] hash = hashes.get(hashesUsed++);
                if (height == 0 && parentOfMatch) {
                    matched.add(hash);
                }
                return hash;
            }
            byte[] left = traverse(height - 1, position * 2);
            byte[] right = left;
            if (position * 2 + 1 < width(height - 1)) {
                right = traverse(height - 1, position * 2 + 1);
                if (Arrays.equals(left, right)) {
                    throw new FormatException("merkle block: identical sibling hashes (CVE-2012-2459)");
                }
            }
            return DoubleSha256.hashPair(left, right);
        }
    }
}
