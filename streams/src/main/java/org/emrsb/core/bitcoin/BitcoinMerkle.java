package org.emrsb.core.bitcoin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Bitcoin's transaction Merkle tree: leaves are txids (internal order), a node is
 * {@code dSHA(left || right)}, and a level of odd length pairs its last hash with itself. A branch
 * lists the siblings from the transaction up; bit i of the transaction's index says whether the
 * running hash is the right (1) or left (0) child at level i.
 */
public final class BitcoinMerkle {

    private BitcoinMerkle() {
    }

    /** The Merkle root of a block's txids, in block order. */
    public static byte[] root(List<byte[]> txids) {
        if (txids.isEmpty()) {
            throw new IllegalArgumentException("a block has at least one transaction");
        }
        List<byte[]> level = copy(txids);
        while (level.size() > 1) {
            level = next(level);
        }
        return level.get(0).clone();
    }

    /** The branch of the transaction at {@code index}, from the transaction up. */
    public static List<byte[]> branch(List<byte[]> txids, int index) {
        Objects.checkIndex(index, txids.size());
        List<byte[]> branch = new ArrayList<>();
        List<byte[]> level = copy(txids);
        int i = index;
        while (level.size() > 1) {
            int sibling = i ^ 1;
            branch.add(level.get(Math.min(sibling, level.size() - 1)).clone());
            level = next(level);
            i >>= 1;
        }
        return branch;
    }

    /**
     * The root a branch leads to from {@code txid} at {@code index}. The caller checks
     * {@code index < 2^branch.size()}; bits of the index above the branch are not looked at.
     *
     * @throws IllegalArgumentException if a hash is not 32 bytes
     */
    public static byte[] rootFromBranch(byte[] txid, long index, List<byte[]> branch) {
        check(txid, "txid");
        byte[] h = txid.clone();
        for (int level = 0; level < branch.size(); level++) {
            byte[] sibling = branch.get(level);
            check(sibling, "branch[" + level + "]");
            h = ((index >>> level) & 1) == 0 ? DoubleSha256.hashPair(h, sibling) : DoubleSha256.hashPair(sibling, h);
        }
        return h;
    }

    private static List<byte[]> next(List<byte[]> level) {
        List<byte[]> up = new ArrayList<>((level.size() + 1) / 2);
        for (int i = 0; i < level.size(); i += 2) {
            byte[] left = level.get(i);
            byte[] right = i + 1 < level.size() ? level.get(i + 1) : left;
            up.add(DoubleSha256.hashPair(left, right));
        }
        return up;
    }

    private static List<byte[]> copy(List<byte[]> txids) {
        List<byte[]> out = new ArrayList<>(txids.size());
        for (int i = 0; i < txids.size(); i++) {
            check(txids.get(i), "txid[" + i + "]");
            out.add(txids.get(i).clone());
        }
        return out;
    }

    private static void check(byte[] hash, String what) {
        if (hash == null || hash.length != 32) {
            throw new IllegalArgumentException(what + " must be 32 bytes");
        }
    }
}
