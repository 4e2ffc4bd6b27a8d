package org.emrsb.core.anchor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.emrsb.core.bitcoin.SpendableOutput;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.FormatException;
import org.junit.jupiter.api.Test;

class AnchorStateTest {

    private static final byte[] WALLET = new byte[20];

    static {
        Arrays.fill(WALLET, (byte) 0x11);
    }

    private static SpendableOutput coin(int n, long value) {
        byte[] txid = new byte[32];
        txid[0] = (byte) n;
        return new SpendableOutput(txid, n, value);
    }

    private static AnchorState busy() {
        AnchorState state = AnchorState.initial(WALLET);
        state.addCoin(coin(1, 50_000));
        state.addToWindow(600_000);
        state.addToWindow(600_000);
        byte[] hash = new byte[32];
        hash[31] = 7;
        state.sealed(hash);
        state.queueUnfunded(1);
        state.spentAllInto(coin(2, 49_000), 2_000, 235);
        state.addCoin(coin(3, 10_000));
        state.addToWindow(1_200_000);
        return state;
    }

    @Test
    void theLayoutIsFixedAndRoundTrips() {
        AnchorState state = busy();
        byte[] bytes = state.toBytes();
        // version, wallet, next sequence, previous hash, window start, window blocks, first unfunded, unfunded,
        // tip fee rate, tip size, coin count, then the coins
        assertEquals(1 + 20 + 8 + 32 + 8 + 4 + 8 + 4 + 8 + 4 + 4 + 2 * 44, bytes.length);
        assertEquals("02" + "11".repeat(20) + "0000000000000001", Hex.encode(Arrays.copyOf(bytes, 29)));
        assertEquals(state, AnchorState.fromBytes(bytes));
        AnchorState back = AnchorState.fromBytes(bytes);
        assertEquals(1, back.nextSequence());
        assertEquals(1_200_000, back.windowStart());
        assertEquals(1, back.windowBlocks());
        assertEquals(1, back.firstUnfunded());
        assertEquals(1, back.unfunded());
        assertEquals(List.of(coin(2, 49_000), coin(3, 10_000)), back.coins());
        assertArrayEquals(WALLET, back.wallet());
    }

    @Test
    void everyTruncationAndTrailingByteIsRefused() {
        byte[] bytes = busy().toBytes();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(FormatException.class, () -> AnchorState.fromBytes(cut), "length " + length);
        }
        assertThrows(FormatException.class, () -> AnchorState.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)));
        byte[] version = bytes.clone();
        version[0] = 3;
        assertThrows(FormatException.class, () -> AnchorState.fromBytes(version));
    }

    @Test
    void versionOneWithoutTheTipIsStillRead() {
        AnchorState state = busy();
        byte[] v2 = state.toBytes();
        int tipAt = 1 + 20 + 8 + 32 + 8 + 4 + 8 + 4;
        byte[] v1 = new byte[v2.length - 12];
        System.arraycopy(v2, 0, v1, 0, tipAt);
        System.arraycopy(v2, tipAt + 12, v1, tipAt, v2.length - tipAt - 12);
        v1[0] = 1;
        AnchorState back = AnchorState.fromBytes(v1);
        assertEquals(state.coins(), back.coins());
        assertEquals(state.nextSequence(), back.nextSequence());
        assertEquals(0, back.parentFee(50_000), "no tip known: nothing to pay for");
    }

    @Test
    void aCoinCountsOnceAndTheQueueStaysInOrder() {
        AnchorState state = AnchorState.initial(WALLET);
        assertTrue(state.addCoin(coin(1, 5)));
        assertFalse(state.addCoin(coin(1, 5)));
        assertEquals(5, state.balance());
        state.queueUnfunded(4);
        state.queueUnfunded(5);
        assertThrows(IllegalStateException.class, () -> state.queueUnfunded(7));
        state.fundedFirst();
        assertEquals(5, state.firstUnfunded());
        state.fundedFirst();
        assertThrows(IllegalStateException.class, state::fundedFirst);
    }

    @Test
    void theNextAnchorPaysForItsParentOnlyWhenTheRateRose() {
        AnchorState state = AnchorState.initial(WALLET);
        assertEquals(0, state.parentFee(10_000), "no tip yet");
        state.spentAllInto(coin(1, 40_000), 2_000, 235);
        assertEquals(0, state.parentFee(2_000));
        assertEquals(0, state.parentFee(1_000));
        assertEquals(705, state.parentFee(5_000)); // (5 - 2) sat/vB x 235 vB
        assertEquals(1, state.parentFee(2_001)); // rounded up
    }

    @Test
    void aWindowHasOneStart() {
        AnchorState state = AnchorState.initial(WALLET);
        state.addToWindow(600_000);
        assertThrows(IllegalStateException.class, () -> state.addToWindow(1_200_000));
    }
}
