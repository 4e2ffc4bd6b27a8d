package org.emrsb.core.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.proof.OtsTimestamp.Append;
import org.emrsb.core.proof.OtsTimestamp.Op;
import org.emrsb.core.proof.OtsTimestamp.Prepend;
import org.junit.jupiter.api.Test;

/** The .ots encoding, byte by byte as python-opentimestamps writes it, and the evaluator's limits. */
class OtsTimestampTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] DIGEST = Sha256.hash("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private static OtsTimestamp sample(long height) {
        return new OtsTimestamp(DIGEST, List.of(new Append(new byte[] {0x01}), OtsTimestamp.SHA256,
                new Prepend(new byte[] {(byte) 0xab, (byte) 0xcd})), height);
    }

    @Test
    void encodesAsTheFormatSpecifies() {
        String expected = "004f70656e54696d657374616d7073000050726f6f6600bf89e2e884e89294" // magic
                + "01" // major version 1
                + "08" + HEX.formatHex(DIGEST) // file hash operation sha256, digest
                + "f00101" // append, varbytes(01)
                + "08" // sha256
                + "f102abcd" // prepend, varbytes(abcd)
                + "00" + "0588960d73d71901" + "02" + "ac02"; // Bitcoin attestation, payload varuint(300)
        assertEquals(expected, HEX.formatHex(sample(300).toBytes()));
        assertTrue(HEX.formatHex(sample(101).toBytes()).endsWith("000588960d73d719010165"));
        assertTrue(HEX.formatHex(sample(0).toBytes()).endsWith("000588960d73d719010100"));
    }

    @Test
    void evaluatesTheOperationsInOrder() {
        byte[] m = Arrays.copyOf(DIGEST, 33);
        m[32] = 0x01;
        byte[] h = Sha256.hash(m);
        byte[] expected = new byte[34];
        expected[0] = (byte) 0xab;
        expected[1] = (byte) 0xcd;
        System.arraycopy(h, 0, expected, 2, 32);
        assertArrayEquals(expected, sample(5).commitment());
    }

    @Test
    void parsesWhatItWrites() {
        for (long height : new long[] {0, 1, 127, 128, 300, 16_383, 16_384, 840_000, Long.MAX_VALUE >>> 8}) {
            OtsTimestamp t = sample(height);
            OtsTimestamp back = OtsTimestamp.parse(t.toBytes());
            assertEquals(t, back);
            assertArrayEquals(t.toBytes(), back.toBytes());
        }
    }

    @Test
    void parsingIsStrict() {
        byte[] good = sample(300).toBytes();
        for (int n = 0; n < good.length; n++) {
            byte[] truncated = Arrays.copyOf(good, n);
            assertThrows(IllegalArgumentException.class, () -> OtsTimestamp.parse(truncated), "truncated to " + n);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(IllegalArgumentException.class, () -> OtsTimestamp.parse(trailing));
        byte[] badMagic = good.clone();
        badMagic[1] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> OtsTimestamp.parse(badMagic));
        byte[] version2 = good.clone();
        version2[31] = 2;
        assertThrows(IllegalArgumentException.class, () -> OtsTimestamp.parse(version2));
        int firstOp = 31 + 1 + 1 + 32;
        byte[] fork = good.clone();
        fork[firstOp] = (byte) 0xff;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OtsTimestamp.parse(fork)).getMessage()
                .contains("fork"));
        byte[] reverse = good.clone();
        reverse[firstOp] = (byte) 0xf2;
        assertThrows(IllegalArgumentException.class, () -> OtsTimestamp.parse(reverse));
        byte[] emptyArg = good.clone();
        emptyArg[firstOp + 1] = 0;
        assertThrows(IllegalArgumentException.class, () -> OtsTimestamp.parse(emptyArg));
        byte[] otherAttestation = good.clone();
        otherAttestation[good.length - 4] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> OtsTimestamp.parse(otherAttestation));
    }

    @Test
    void theFormatsLimitsHold() {
        assertThrows(IllegalArgumentException.class, () -> new Append(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Prepend(new byte[OtsTimestamp.MAX_LENGTH + 1]));
        new Prepend(new byte[OtsTimestamp.MAX_LENGTH]);
        // 32 + 4064 = 4096 is allowed, one byte more is not.
        new OtsTimestamp(DIGEST, List.of(new Append(new byte[OtsTimestamp.MAX_LENGTH - 32])), 1);
        List<Op> tooLong = List.of(new Append(new byte[OtsTimestamp.MAX_LENGTH - 32]), new Append(new byte[1]));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OtsTimestamp(DIGEST, tooLong, 1))
                .getMessage().contains("at most 4096"));
        assertThrows(IllegalArgumentException.class, () -> new OtsTimestamp(new byte[20], List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> new OtsTimestamp(DIGEST, List.of(), -1));
    }
}
