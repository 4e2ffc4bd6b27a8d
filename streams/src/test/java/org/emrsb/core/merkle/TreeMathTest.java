package org.emrsb.core.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof plans against transparency-dev/merkle proof/proof_test.go ([TD-P] in
 * {@link GoldenVectors}). There a proof is a list of node IDs id(level, index), the perfect
 * subtree [index * 2^level, (index + 1) * 2^level), and "rehash(begin, end)" marks IDs that the
 * caller hashes together into the one imperfect RFC subtree they tile. Here each case is written
 * as RFC subtrees: single IDs converted, each rehash group merged into the span it covers; the
 * original IDs are kept in the comments.
 */
class TreeMathTest {

    private static Subtree s(long start, long end) {
        return new Subtree(start, end);
    }

    static Stream<Arguments> inclusionPlans() {
        return Stream.of(
                Arguments.of(1, 0, List.of()),
                Arguments.of(2, 0, List.of(s(1, 2))),                   // b
                Arguments.of(2, 1, List.of(s(0, 1))),                   // a
                Arguments.of(3, 1, List.of(s(0, 1), s(2, 3))),          // a c
                Arguments.of(7, 0, List.of(s(1, 2), s(2, 4), s(4, 7))), // b h (j i -> l)
                Arguments.of(7, 1, List.of(s(0, 1), s(2, 4), s(4, 7))), // a h (j i)
                Arguments.of(7, 2, List.of(s(3, 4), s(0, 2), s(4, 7))), // d g (j i)
                Arguments.of(7, 3, List.of(s(2, 3), s(0, 2), s(4, 7))), // c g (j i)
                Arguments.of(7, 4, List.of(s(5, 6), s(6, 7), s(0, 4))), // f j k
                Arguments.of(7, 5, List.of(s(4, 5), s(6, 7), s(0, 4))), // e j k
                Arguments.of(7, 6, List.of(s(4, 6), s(0, 4))),          // i k
                Arguments.of(4, 2, List.of(s(3, 4), s(0, 2))),          // d g
                Arguments.of(5, 3, List.of(s(2, 3), s(0, 2), s(4, 5))), // c g e
                Arguments.of(6, 3, List.of(s(2, 3), s(0, 2), s(4, 6))), // c g i
                Arguments.of(6, 4, List.of(s(5, 6), s(0, 4))),          // f k
                // id(0,11) id(1,4) [id(0,14) id(1,6)] id(3,0)
                Arguments.of(15, 10, List.of(s(11, 12), s(8, 10), s(12, 15), s(0, 8))),
                // id(0,25) id(1,13) [id(0,30) id(1,14)] id(3,2) id(4,0)
                Arguments.of(31, 24, List.of(s(25, 26), s(26, 28), s(28, 31), s(16, 24), s(0, 16))),
                // id(0,80) id(1,41) id(2,21) [id(0,94) id(1,46) id(2,22)] id(4,4) id(6,0)
                Arguments.of(95, 81, List.of(s(80, 81), s(82, 84), s(84, 88), s(88, 95), s(64, 80), s(0, 64))));
    }

    @ParameterizedTest(name = "size {0}, index {1}")
    @MethodSource("inclusionPlans")
    void inclusionPlanMatchesTransparencyDev(long size, long index, List<Subtree> expected) {
        assertEquals(expected, TreeMath.inclusionSubtrees(index, size));
        assertEquals(expected.size(), TreeMath.inclusionPathLength(index, size));
    }

    static Stream<Arguments> consistencyPlans() {
        return Stream.of(
                Arguments.of(1, 2, List.of(s(1, 2))),                           // b
                Arguments.of(1, 4, List.of(s(1, 2), s(2, 4))),                 // b h
                Arguments.of(1, 6, List.of(s(1, 2), s(2, 4), s(4, 6))),        // b h i
                Arguments.of(2, 3, List.of(s(2, 3))),                           // c
                Arguments.of(2, 8, List.of(s(2, 4), s(4, 8))),                 // h l
                Arguments.of(3, 7, List.of(s(2, 3), s(3, 4), s(0, 2), s(4, 7))), // c d g (j i)
                Arguments.of(4, 7, List.of(s(4, 7))),                           // (j i)
                Arguments.of(5, 7, List.of(s(4, 5), s(5, 6), s(6, 7), s(0, 4))), // e f j k
                Arguments.of(6, 7, List.of(s(4, 6), s(6, 7), s(0, 4))),        // i j k
                Arguments.of(7, 8, List.of(s(6, 7), s(7, 8), s(4, 6), s(0, 4))), // j leaf#7 i k
                Arguments.of(2, 4, List.of(s(2, 4))),                           // h
                Arguments.of(3, 5, List.of(s(2, 3), s(3, 4), s(0, 2), s(4, 5))), // c d g e
                Arguments.of(3, 6, List.of(s(2, 3), s(3, 4), s(0, 2), s(4, 6))), // c d g i
                Arguments.of(4, 6, List.of(s(4, 6))),                           // i
                Arguments.of(1, 7, List.of(s(1, 2), s(2, 4), s(4, 7))),        // b h (j i)
                // id(1,4) id(1,5) [id(0,14) id(1,6)] id(3,0)
                Arguments.of(10, 15, List.of(s(8, 10), s(10, 12), s(12, 15), s(0, 8))),
                // id(3,2) [id(0,30) id(1,14) id(2,6)] id(4,0)
                Arguments.of(24, 31, List.of(s(16, 24), s(24, 31), s(0, 16))),
                // id(0,80) id(0,81) id(1,41) id(2,21) [id(0,94) id(1,46) id(2,22)] id(4,4) id(6,0)
                Arguments.of(81, 95, List.of(s(80, 81), s(81, 82), s(82, 84), s(84, 88), s(88, 95),
                        s(64, 80), s(0, 64))));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("consistencyPlans")
    void consistencyPlanMatchesTransparencyDev(long first, long second, List<Subtree> expected) {
        assertEquals(expected, TreeMath.consistencySubtrees(first, second));
        assertEquals(expected.size(), TreeMath.consistencyPathLength(first, second));
    }

    @Test
    void consistencyBetweenEqualSizesOrFromEmptyIsEmpty() {
        for (long n = 0; n <= 8; n++) {
            assertEquals(List.of(), TreeMath.consistencySubtrees(n, n), "same size " + n);
            assertEquals(List.of(), TreeMath.consistencySubtrees(0, n), "from empty to " + n);
            assertEquals(0, TreeMath.consistencyPathLength(n, n));
            assertEquals(0, TreeMath.consistencyPathLength(0, n));
        }
    }

    @ParameterizedTest(name = "index {1} of size {0}")
    @CsvSource({"0, 0", "0, 1", "1, 2", "0, 3", "7, 8", "5, -1", "-1, 0"})
    void inclusionOutsideTheTreeIsRejected(long size, long index) {
        assertThrows(IllegalArgumentException.class, () -> TreeMath.inclusionSubtrees(index, size));
        assertThrows(IllegalArgumentException.class, () -> TreeMath.inclusionPathLength(index, size));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"5, 0", "9, 8", "-1, 3", "0, -1"})
    void consistencyBackwardsOrNegativeIsRejected(long first, long second) {
        assertThrows(IllegalArgumentException.class, () -> TreeMath.consistencySubtrees(first, second));
        assertThrows(IllegalArgumentException.class, () -> TreeMath.consistencyPathLength(first, second));
    }

    @ParameterizedTest(name = "splitPoint({0}) = {1}")
    @CsvSource({"2, 1", "3, 2", "4, 2", "5, 4", "8, 4", "9, 8", "1000, 512", "1025, 1024",
        "9223372036854775807, 4611686018427387904"})
    void splitPointIsTheLargestPowerOfTwoBelow(long n, long k) {
        assertEquals(k, TreeMath.splitPoint(n));
        assertEquals(RfcReference.k(n), TreeMath.splitPoint(n));
    }

    @ParameterizedTest
    @CsvSource({"1", "0", "-4"})
    void treesBelowTwoLeavesHaveNoSplitPoint(long n) {
        assertThrows(IllegalArgumentException.class, () -> TreeMath.splitPoint(n));
    }

    @Test
    void inclusionLengthsAgreeWithTheRfcRecursionUpTo300() {
        for (long size = 1; size <= 300; size++) {
            for (long index = 0; index < size; index++) {
                int expected = RfcReference.pathLength(index, size);
                assertEquals(expected, TreeMath.inclusionPathLength(index, size), index + "/" + size);
                assertEquals(expected, TreeMath.inclusionSubtrees(index, size).size(), index + "/" + size);
            }
        }
    }

    @Test
    void consistencyLengthsAgreeWithTheRfcRecursionUpTo200() {
        for (long second = 0; second <= 200; second++) {
            for (long first = 0; first <= second; first++) {
                int expected = RfcReference.proofLength(first, second);
                assertEquals(expected, TreeMath.consistencyPathLength(first, second), first + "->" + second);
                assertEquals(expected, TreeMath.consistencySubtrees(first, second).size(), first + "->" + second);
            }
        }
    }

    @Test
    void plansForHugeTreesAreConsistentAndTileTheTree() {
        Random random = new Random(6962);
        List<Long> sizes = new ArrayList<>(List.of(Long.MAX_VALUE, Long.MAX_VALUE - 1, 1L << 62, (1L << 62) + 1));
        for (int i = 0; i < 200; i++) {
            sizes.add(1 + (random.nextLong() >>> 1) % Long.MAX_VALUE);
        }
        for (long size : sizes) {
            long index = Math.floorMod(random.nextLong(), size);
            List<Subtree> path = TreeMath.inclusionSubtrees(index, size);
            assertEquals(RfcReference.pathLength(index, size), path.size(), index + "/" + size);
            assertEquals(path.size(), TreeMath.inclusionPathLength(index, size));
            assertTiles(path, s(index, index + 1), size);
            long first = 1 + Math.floorMod(random.nextLong(), size);
            assertEquals(RfcReference.proofLength(first, size), TreeMath.consistencyPathLength(first, size));
            assertEquals(TreeMath.consistencyPathLength(first, size), TreeMath.consistencySubtrees(first, size).size());
        }
    }

    /** The path's subtrees and the leaf cover [0, size) exactly once. */
    private static void assertTiles(List<Subtree> path, Subtree leaf, long size) {
        List<Subtree> all = new ArrayList<>(path);
        all.add(leaf);
        all.sort(Comparator.comparingLong(Subtree::start));
        long next = 0;
        for (Subtree t : all) {
            assertEquals(next, t.start(), "gap or overlap in " + all);
            next = t.end();
        }
        assertEquals(size, next);
    }

    @Test
    void subtreesRejectEmptyOrNegativeSpans() {
        assertThrows(IllegalArgumentException.class, () -> s(3, 3));
        assertThrows(IllegalArgumentException.class, () -> s(4, 3));
        assertThrows(IllegalArgumentException.class, () -> s(-1, 3));
        assertEquals(4, s(4, 8).size());
        assertEquals(true, s(4, 8).isPerfect());
        assertEquals(false, s(4, 7).isPerfect());
    }
}
