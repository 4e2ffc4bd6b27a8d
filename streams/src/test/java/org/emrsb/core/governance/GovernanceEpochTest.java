package org.emrsb.core.governance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.emrsb.core.format.FormatException;
import org.junit.jupiter.api.Test;

class GovernanceEpochTest {

    static byte[] filled(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** Given out of order: the constructor sorts. */
    static GovernanceEpoch sample() {
        return new GovernanceEpoch(7, 1_795_000_000_000L, List.of(
                new DelegateEntry(filled(0x90), DelegateStatus.EVICTED, 4),
                new DelegateEntry(filled(0x30), DelegateStatus.STANDBY, 1),
                new DelegateEntry(filled(0x20), DelegateStatus.ACTIVE, 2),
                new DelegateEntry(filled(0x10), DelegateStatus.ACTIVE, 2),
                new DelegateEntry(filled(0x05), DelegateStatus.ACTIVE, 3)), "vote of ed25519:… cast at 1");
    }

    @Test
    void theLayoutIsExactlyTheDocumentedOne() {
        GovernanceEpoch epoch = sample();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] tag = "emrsb:epoch:v1".getBytes(StandardCharsets.US_ASCII);
        expected.write(tag.length);
        expected.writeBytes(tag);
        expected.writeBytes(ByteBuffer.allocate(8).putLong(7).array());
        expected.writeBytes(ByteBuffer.allocate(8).putLong(1_795_000_000_000L).array());
        byte[] cause = epoch.cause().getBytes(StandardCharsets.UTF_8);
        expected.writeBytes(ByteBuffer.allocate(4).putInt(cause.length).array());
        expected.writeBytes(cause);
        expected.writeBytes(ByteBuffer.allocate(4).putInt(5).array());
        int[][] order = {{0x05, 1, 3}, {0x10, 1, 2}, {0x20, 1, 2}, {0x30, 2, 1}, {0x90, 3, 4}};
        for (int[] e : order) {
            expected.writeBytes(filled(e[0]));
            expected.write(e[1]);
            expected.writeBytes(ByteBuffer.allocate(8).putLong(e[2]).array());
        }
        assertArrayEquals(expected.toByteArray(), epoch.toBytes());
    }

    @Test
    void roundTripsByteForByteAndAnswersStatus() {
        GovernanceEpoch epoch = sample();
        GovernanceEpoch parsed = GovernanceEpoch.parse(epoch.toBytes());
        assertEquals(epoch, parsed);
        assertArrayEquals(epoch.toBytes(), parsed.toBytes());
        assertEquals(epoch.delegates(), parsed.delegates());
        assertTrue(parsed.isActive(filled(0x10)));
        assertFalse(parsed.isActive(filled(0x30)));
        assertFalse(parsed.isActive(filled(0x90)));
        assertFalse(parsed.isActive(filled(0x77)));
        assertEquals(Optional.of(DelegateStatus.STANDBY), parsed.status(filled(0x30)));
        assertEquals(Optional.of(DelegateStatus.EVICTED), parsed.status(filled(0x90)));
        assertEquals(Optional.empty(), parsed.status(filled(0x77)));
        assertEquals(3, parsed.activeKeys().size());
        assertArrayEquals(filled(0x05), parsed.activeKeys().get(0));
    }

    @Test
    void everyTruncationAndAnyTrailingByteIsRefused() {
        byte[] bytes = sample().toBytes();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(FormatException.class, () -> GovernanceEpoch.parse(cut), "cut at " + length);
        }
        FormatException e = assertThrows(FormatException.class,
                () -> GovernanceEpoch.parse(Arrays.copyOf(bytes, bytes.length + 1)));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    /** A bit flip either fails to parse or yields an epoch whose canonical bytes are the flipped bytes. */
    @Test
    void everySingleBitFlipIsRefusedOrChangesTheEpoch() {
        byte[] original = sample().toBytes();
        int refused = 0;
        for (int bit = 0; bit < original.length * 8; bit++) {
            byte[] flipped = original.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            GovernanceEpoch parsed;
            try {
                parsed = GovernanceEpoch.parse(flipped);
            } catch (FormatException refusal) {
                refused++;
                continue;
            }
            assertArrayEquals(flipped, parsed.toBytes(), "bit " + bit);
        }
        assertTrue(refused > 0);
    }

    @Test
    void outOfOrderDuplicateOrUnknownEntriesAndEpochZeroAreRefused() {
        byte[] bytes = sample().toBytes();
        int entries = bytes.length - 5 * 41;
        // swap the first two ACTIVE entries (0x05 with 3 approvals, 0x10 with 2)
        byte[] swapped = bytes.clone();
        System.arraycopy(bytes, entries + 41, swapped, entries, 41);
        System.arraycopy(bytes, entries, swapped, entries + 41, 41);
        FormatException e = assertThrows(FormatException.class, () -> GovernanceEpoch.parse(swapped));
        assertTrue(e.getMessage().contains("order"), e.getMessage());
        // the EVICTED entry takes the key of the first ACTIVE one
        byte[] duplicate = bytes.clone();
        System.arraycopy(filled(0x05), 0, duplicate, entries + 4 * 41, 32);
        assertThrows(FormatException.class, () -> GovernanceEpoch.parse(duplicate));
        byte[] unknown = bytes.clone();
        unknown[entries + 4 * 41 + 32] = 4;
        e = assertThrows(FormatException.class, () -> GovernanceEpoch.parse(unknown));
        assertTrue(e.getMessage().contains("unknown delegate status 4"), e.getMessage());
        GovernanceEpoch zero = sample();
        byte[] epochZero = zero.toBytes();
        epochZero[1 + "emrsb:epoch:v1".length() + 7] = 0;
        assertThrows(FormatException.class, () -> GovernanceEpoch.parse(epochZero));
        assertThrows(IllegalArgumentException.class, () -> new GovernanceEpoch(0, 0, List.of(), ""));
        assertThrows(IllegalArgumentException.class, () -> new GovernanceEpoch(1, 0, List.of(
                new DelegateEntry(filled(1), DelegateStatus.ACTIVE, 1),
                new DelegateEntry(filled(1), DelegateStatus.EVICTED, 1)), ""));
    }
}
