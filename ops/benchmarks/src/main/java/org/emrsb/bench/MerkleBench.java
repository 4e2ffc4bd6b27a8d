package org.emrsb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.emrsb.core.merkle.CompactRange;
import org.emrsb.core.merkle.InclusionProof;
import org.emrsb.core.merkle.MerkleHasher;
import org.emrsb.core.merkle.MerkleProofException;
import org.emrsb.core.merkle.MerkleTree;
import org.emrsb.core.merkle.ProofVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** RFC 6962 trees: building per leaf (the block stage's compact range), inclusion verification. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MerkleBench {

    static final int BATCH = 1024;

    /** Leaf data: transaction ids, 32 random bytes each. */
    @State(Scope.Thread)
    public static class Leaves {
        final List<byte[]> data = new ArrayList<>();

        @Setup
        public void setUp() {
            Random random = new Random(2);
            for (int i = 0; i < BATCH; i++) {
                byte[] id = new byte[32];
                random.nextBytes(id);
                data.add(id);
            }
        }
    }

    /** Appends 1024 transaction ids (leaf hash + merges) and takes the root: ops/s are leaves/s. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte[] buildPerLeaf(Leaves leaves) {
        CompactRange range = new CompactRange();
        for (byte[] id : leaves.data) {
            range.appendData(id);
        }
        return range.root();
    }

    /** A tree of {@code size} leaves and proofs of random leaves in it. */
    @State(Scope.Benchmark)
    public static class Tree {
        @Param({"1000", "1000000"})
        int size;

        MerkleHasher hasher = MerkleHasher.sha256();
        byte[] root;
        List<byte[]> leafHashes;
        List<InclusionProof> proofs;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            Random random = new Random(3);
            MerkleTree tree = new MerkleTree();
            leafHashes = new ArrayList<>();
            proofs = new ArrayList<>();
            List<Integer> picks = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                picks.add(random.nextInt(size));
            }
            byte[] id = new byte[32];
            for (int i = 0; i < size; i++) {
                random.nextBytes(id);
                tree.appendData(id);
            }
            root = tree.root();
            for (int pick : picks) {
                leafHashes.add(tree.leafHash(pick));
                proofs.add(tree.inclusionProof(pick));
            }
        }
    }

    @Benchmark
    public boolean verifyInclusion(Tree tree) throws MerkleProofException {
        int i = tree.next++ & 255;
        ProofVerifier.verifyInclusion(tree.leafHashes.get(i), tree.proofs.get(i), tree.root);
        return true;
    }
}
