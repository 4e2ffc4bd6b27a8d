package org.emrsb.core.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately naive transliteration of the definitions of RFC 9162 section 2.1 (MTH in 2.1.1,
 * PATH in 2.1.3.1, PROOF and SUBPROOF in 2.1.4.1) over a list of leaf hashes: recursion on
 * sublists, O(n) hashes per call. It shares only {@link MerkleHasher} (pinned by the golden
 * vectors) with the code under test, so it serves as an independent oracle.
 */
final class RfcReference {

    private static final MerkleHasher HASHER = MerkleHasher.sha256();

    private RfcReference() {
    }

    /** The largest power of two strictly less than n, by counting rather than bit tricks. */
    static long k(long n) {
        long k = 1;
        while (k < n - k) { // 2k < n, without overflow near 2^63
            k *= 2;
        }
        return k;
    }

    /** MTH(D[n]). */
    static byte[] mth(List<byte[]> d) {
        int n = d.size();
        if (n == 0) {
            return HASHER.emptyRoot();
        }
        if (n == 1) {
            return d.get(0);
        }
        int k = (int) k(n);
        return HASHER.hashChildren(mth(d.subList(0, k)), mth(d.subList(k, n)));
    }

    /** PATH(m, D[n]) for 0 <= m < n. */
    static List<byte[]> path(int m, List<byte[]> d) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (n == 1) {
            return out;
        }
        int k = (int) k(n);
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(path(m - k, d.subList(k, n)));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) for 0 < m <= n. */
    static List<byte[]> proof(int m, List<byte[]> d) {
        return subproof(m, d, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(d));
            }
            return out;
        }
        int k = (int) k(n);
        if (m <= k) {
            out.addAll(subproof(m, d.subList(0, k), b));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, d.subList(k, n), false));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** The length of PATH(m, D[n]), by the same recursion without hashing; 0 <= m < n. */
    static int pathLength(long m, long n) {
        if (n == 1) {
            return 0;
        }
        long k = k(n);
        return 1 + (m < k ? pathLength(m, k) : pathLength(m - k, n - k));
    }

    /** The length of PROOF(m, D[n]); 0 for m == 0 or m == n; 0 <= m <= n. */
    static int proofLength(long m, long n) {
        return m == 0 ? 0 : subproofLength(m, n, true);
    }

    private static int subproofLength(long m, long n, boolean b) {
        if (m == n) {
            return b ? 0 : 1;
        }
        long k = k(n);
        return 1 + (m <= k ? subproofLength(m, k, b) : subproofLength(m - k, n - k, false));
    }

    /**
     * For each hash of PATH(m, D[n]), leaf up, the side its subtree sits on: 'L' left of the
     * proven leaf's subtree, 'R' right. Two (m, n) with equal shapes make the verifier hash the
     * same path in the same way, so it cannot tell them apart.
     */
    static String pathShape(long m, long n) {
        if (n == 1) {
            return "";
        }
        long k = k(n);
        return m < k ? pathShape(m, k) + "R" : pathShape(m - k, n - k) + "L";
    }

    /**
     * For each hash of PROOF(m, D[n]): 'S' the seed (the old tree's last perfect subtree), 'L' a
     * subtree left of it (inside the old tree), 'R' one right of it (new leaves). Empty for
     * m == 0 or m == n. Equal shapes mean the verifier cannot tell the size pairs apart.
     */
    static String proofShape(long m, long n) {
        return m == 0 ? "" : subproofShape(m, n, true);
    }

    private static String subproofShape(long m, long n, boolean b) {
        if (m == n) {
            return b ? "" : "S";
        }
        long k = k(n);
        return m <= k ? subproofShape(m, k, b) + "R" : subproofShape(m - k, n - k, false) + "L";
    }
}
