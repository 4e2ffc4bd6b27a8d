package org.emrsb.core.merkle;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Published test vectors for RFC 6962 / RFC 9162 SHA-256 Merkle trees, copied verbatim (hex) from
 * their sources; nothing here is computed by this project. The same reference tree appears in all
 * of them: eight leaves, each leaf's data as listed in {@link #LEAF_DATA}.
 *
 * <p>Sources (repository, path, commit of the copy read):
 * <ul>
 *   <li>[TD-C] transparency-dev/merkle, testonly/constants.go
 *       (582a6ad190b6848f1d26f8bf08ddef29955d9db1): LeafInputs, NodeHashes, RootHashes,
 *       CompactTrees, EmptyRootHash.</li>
 *   <li>[TD-V] transparency-dev/merkle, proof/verify_test.go
 *       (02194e9afb6c1d95b5381350007963aa70fff472): inclusionProofs, consistencyProofs, roots,
 *       leaves, sha256SomeHash, sha256EmptyTreeHash.</li>
 *   <li>[CT] google/certificate-transparency, cpp/merkletree/merkle_tree_test.cc
 *       (c25edc2cced17500dec7bdc4e1fb51e9aeca5683): kInputs, kSHA256Roots, kSHA256Paths,
 *       kSHA256Proofs, kSHA256EmptyTreeHash; the same values as [TD-V].</li>
 *   <li>[TD-H] transparency-dev/merkle, rfc6962/rfc6962_test.go
 *       (78493b07ef9b552e3379abf9e23d4da26fbe797c): TestRFC6962Hasher.</li>
 *   <li>[TD-P] transparency-dev/merkle, proof/proof_test.go
 *       (02a3e2029520f515596d5238c54fb0ac9e19bff4): TestInclusion and TestConsistency, the
 *       node IDs of proofs; used in {@link TreeMathTest}.</li>
 * </ul>
 *
 * <p>Index conventions: [TD-V] and [CT] number leaves from 1 in their proof tables ("leaf 1" is
 * index 0); the records below are converted to this project's zero-based {@code leafIndex}, and
 * the original 1-based number is kept in the comment.
 */
final class GoldenVectors {

    private static final HexFormat HEX = HexFormat.of();

    private GoldenVectors() {
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    static List<byte[]> hexes(String... s) {
        return Arrays.stream(s).map(GoldenVectors::hex).toList();
    }

    // ---- [TD-H] rfc6962_test.go, TestRFC6962Hasher -------------------------------------------

    /** SHA-256 of the empty string: the empty tree's root. [TD-H] "RFC6962 Empty", [TD-C], [CT]. */
    static final String EMPTY_ROOT =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** Leaf hash of the empty leaf. [TD-H] "RFC6962 Empty Leaf". */
    static final String EMPTY_LEAF_HASH =
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d";
    /** Leaf hash of the ASCII data "L123456". [TD-H] "RFC6962 Leaf". */
    static final String LEAF_L123456_HASH =
            "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56";
    /** Node hash of the ASCII "children" "N123" and "N456". [TD-H] "RFC6962 Node". */
    static final String NODE_N123_N456_HASH =
            "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb";

    // ---- The reference tree: [TD-C] LeafInputs = [TD-V] leaves = [CT] kInputs ----------------

    static final List<byte[]> LEAF_DATA = hexes(
            "",
            "00",
            "10",
            "2021",
            "3031",
            "40414243",
            "5051525354555657",
            "606162636465666768696a6b6c6d6e6f");

    /**
     * [TD-C] NodeHashes: NODE_HASHES.get(level).get(i) is the hash of the perfect subtree of
     * 2^level leaves starting at leaf i * 2^level.
     */
    static final List<List<byte[]>> NODE_HASHES = List.of(
            hexes(
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
                    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
            hexes(
                    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            hexes(
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            hexes(
                    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));

    /**
     * [TD-C] RootHashes, indexed by tree size 0..8 (size 0 is EmptyRootHash). Sizes 1..8 equal
     * [TD-V] roots and [CT] kSHA256Roots.
     */
    static final List<byte[]> ROOTS = hexes(
            EMPTY_ROOT,
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    /**
     * [TD-C] CompactTrees: the compact range hashes of each tree size 0..8, written there as
     * NodeHashes coordinates {level, index}; resolved by {@link #compactTree(int)}.
     */
    private static final int[][][] COMPACT_TREE_NODES = {
        {},
        {{0, 0}},
        {{1, 0}},
        {{1, 0}, {0, 2}},
        {{2, 0}},
        {{2, 0}, {0, 4}},
        {{2, 0}, {1, 2}},
        {{2, 0}, {1, 2}, {0, 6}},
        {{3, 0}},
    };

    static List<byte[]> compactTree(int size) {
        return Arrays.stream(COMPACT_TREE_NODES[size]).map(n -> NODE_HASHES.get(n[0]).get(n[1])).toList();
    }

    /** [TD-V] sha256SomeHash: an arbitrary 32-byte value that is no node of the tree. */
    static final String SOME_HASH = "abacaba000000000000000000000000000000000000000000060061e00123456";

    // ---- [TD-V] inclusionProofs = [CT] kSHA256Paths (entries with a proof) -------------------

    static final List<InclusionProof> INCLUSION_PROOFS = List.of(
            // {1, 1, nil}: leaf 1 of 1
            new InclusionProof(0, 1, List.of()),
            // {1, 8, ...}: leaf 1 of 8
            new InclusionProof(0, 8, hexes(
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
            // {6, 8, ...}: leaf 6 of 8
            new InclusionProof(5, 8, hexes(
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
            // {3, 3, ...}: leaf 3 of 3
            new InclusionProof(2, 3, hexes(
                    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
            // {2, 5, ...}: leaf 2 of 5
            new InclusionProof(1, 5, hexes(
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));

    // ---- [TD-V] consistencyProofs = [CT] kSHA256Proofs ---------------------------------------

    static final List<ConsistencyProof> CONSISTENCY_PROOFS = List.of(
            new ConsistencyProof(1, 1, List.of()),
            new ConsistencyProof(1, 8, hexes(
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
            new ConsistencyProof(6, 8, hexes(
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
            new ConsistencyProof(2, 5, hexes(
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
            // {6, 7, ...} is in [TD-V] only.
            new ConsistencyProof(6, 7, hexes(
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

    /** Leaf hash of the reference tree's leaf at {@code index}: [TD-C] NodeHashes level 0. */
    static byte[] leafHash(long index) {
        return NODE_HASHES.get(0).get((int) index);
    }

    static byte[] root(long size) {
        return ROOTS.get((int) size);
    }
}
