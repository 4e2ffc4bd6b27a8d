package org.emrsb.core.anchor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.emrsb.core.format.AnchorHeader;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.merkle.MerkleTree;
import org.emrsb.core.merkle.ProofVerifier;
import org.junit.jupiter.api.Test;

class AnchorWindowTest {

    private static AnchorWindow.Block block(long chain, long height) {
        return new AnchorWindow.Block(chain, height, Sha256.hash((chain + "/" + height).getBytes()));
    }

    @Test
    void windowsAreAlignedToTheWallClock() {
        Duration ten = Duration.ofMinutes(10);
        assertEquals(0, AnchorWindow.start(0, ten));
        assertEquals(0, AnchorWindow.start(599_999, ten));
        assertEquals(600_000, AnchorWindow.start(600_000, ten));
        assertEquals(-600_000, AnchorWindow.start(-1, ten));
        assertThrows(IllegalArgumentException.class, () -> AnchorWindow.start(5, Duration.ZERO));
    }

    @Test
    void theHeaderIsTheRootOfTheBlockHashesInLeafOrder() throws Exception {
        List<AnchorWindow.Block> blocks = List.of(block(0, 3), block(0, 4), block(2, 1), block(5, 9));
        byte[] previous = Sha256.hash("previous".getBytes());
        AnchorHeader header = AnchorWindow.header(7, previous, 600_000, 1_200_000, blocks);
        List<byte[]> leaves = new ArrayList<>();
        blocks.forEach(b -> leaves.add(b.hash()));
        assertArrayEquals(MerkleTree.rootOfLeafData(leaves), header.merkleRoot());
        assertEquals(4, header.blockCount());
        assertEquals(7, header.sequence());
        assertArrayEquals(previous, header.previousAnchorHash());
        for (int i = 0; i < blocks.size(); i++) {
            ProofVerifier.verifyInclusion(MerkleTree.ofLeafData(leaves).leafHash(i), AnchorWindow.inclusion(blocks, i),
                    header.merkleRoot());
        }
    }

    @Test
    void outOfOrderOrRepeatedBlocksAndEmptyWindowsAreRefused() {
        byte[] previous = new byte[32];
        assertThrows(IllegalArgumentException.class,
                () -> AnchorWindow.header(0, previous, 0, 1, List.of(block(1, 2), block(0, 9))));
        assertThrows(IllegalArgumentException.class,
                () -> AnchorWindow.header(0, previous, 0, 1, List.of(block(1, 2), block(1, 2))));
        assertThrows(IllegalArgumentException.class, () -> AnchorWindow.header(0, previous, 0, 1, List.of()));
    }

    @Test
    void aChangedBlockChangesTheRoot() {
        List<AnchorWindow.Block> blocks = List.of(block(0, 1), block(1, 1));
        byte[] root = AnchorWindow.header(0, new byte[32], 0, 1, blocks).merkleRoot();
        byte[] tampered = blocks.get(1).hash();
        tampered[0] ^= 1;
        byte[] other = AnchorWindow.header(0, new byte[32], 0, 1,
                List.of(blocks.get(0), new AnchorWindow.Block(1, 1, tampered))).merkleRoot();
        assertFalse(java.util.Arrays.equals(root, other));
    }
}
