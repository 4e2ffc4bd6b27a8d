package org.emrsb.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Verdict.SubjectKind;
import org.emrsb.core.format.Violation;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors of {@code emrsb:violation:v1} (docs/ledger-format.md 2.10): fixed keys from fixed
 * seeds, a fixed block header and fixed times, so that an independent implementation can check its
 * encoder and its signatures against these bytes. The keys and both signatures were reproduced with
 * another Ed25519 implementation (OpenSSL, through Python's cryptography package).
 */
class ViolationGoldenTest {

    /** Delegate seed: bytes 0x01..0x20; monitor seed: bytes 0x21..0x40 (RFC 8032 keys from seeds). */
    static final SigningKey DELEGATE = SigningKey.fromSeed(seq(0x01, 32));
    static final SigningKey MONITOR = SigningKey.fromSeed(seq(0x21, 32));
    static final long ISSUED_AT = 1_795_000_002_000L;

    static final String DELEGATE_KEY = "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664";
    static final String MONITOR_KEY = "e7f162a10bec559afea195e4dce84b69568d5d2cb0963eb446c0685e2b17f2f0";
    static final String HEADER_SIGNATURE =
            "c7463f6f25546340365c6ae9e7aa8671d784fe69157705e029aedd019f1da532dc38b56bab7bd6e3262063dc632469cda50ee3208596c54e2dc2f42d502b7d05";
    static final String VIOLATION_BYTES =
            "12656d7273623a76696f6c6174696f6e3a763102000000030000000f64656c65676174652d61637469766579b5562e8f" +
            "e654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664000000ab0e656d7273623a626c6f636b3a76310000" +
            "0003000000000000000c202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f000001a1ee56" +
            "5e00000001a1ee57486000000000000000050000000000000028000000000000002d606162636465666768696a6b6c6d" +
            "6e6f707172737475767778797a7b7c7d7e7f000000000000000779b5562e8fe654f94078b112e8a98ba7901f853ae695" +
            "bed7e0e3910bad049664c7463f6f25546340365c6ae9e7aa8671d784fe69157705e029aedd019f1da532dc38b56bab7b" +
            "d6e3262063dc632469cda50ee3208596c54e2dc2f42d502b7d05e7f162a10bec559afea195e4dce84b69568d5d2cb096" +
            "3eb446c0685e2b17f2f0000001a1ee5665d0";
    static final String VIOLATION_SHA256 = "af82078cf92e7a113a770e7ebffdb2f3d5e8ed0fe4646d8d885a68e1a5f52443";
    static final String MONITOR_SIGNATURE =
            "cd05e7f9f84581951826e8d3e8d3acf9b6809c60aae0a511328506723158330100aff87738a01229f2af73fcad74366ec753decfadf515e2365615b1d0740604";

    static byte[] seq(int start, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    /** Block 12 of chain 3, signed under epoch 7, at which (say) the delegate was STANDBY. */
    static BlockHeader header() {
        return new BlockHeader(3, 12, seq(0x20, 32), 1_795_000_000_000L, 1_795_000_060_000L, 5, 40, 45,
                seq(0x60, 32), 7, DELEGATE.verifyingKey().bytes());
    }

    static Violation violation() {
        byte[] headerBytes = header().toBytes();
        return new Violation(SubjectKind.BLOCK, 3, CheckNames.DELEGATE_ACTIVE, DELEGATE.verifyingKey().bytes(),
                headerBytes, Signatures.sign(DELEGATE, headerBytes), MONITOR.verifyingKey().bytes(), ISSUED_AT);
    }

    @Test
    void keysAndSignaturesFromTheFixedSeeds() {
        HexFormat hex = HexFormat.of();
        assertEquals(DELEGATE_KEY, hex.formatHex(DELEGATE.verifyingKey().bytes()));
        assertEquals(MONITOR_KEY, hex.formatHex(MONITOR.verifyingKey().bytes()));
        assertEquals(HEADER_SIGNATURE, hex.formatHex(violation().delegateSignature()));
    }

    @Test
    void theCanonicalBytesAndTheirHash() {
        byte[] bytes = violation().toBytes();
        assertEquals(VIOLATION_BYTES, HexFormat.of().formatHex(bytes));
        assertEquals(VIOLATION_SHA256, Sha256.hex(bytes));
        assertEquals(violation(), Violation.parse(bytes));
    }

    @Test
    void theMonitorsSignature() {
        SignedViolation signed = SignedViolation.issue(MONITOR, violation());
        assertEquals(MONITOR_SIGNATURE, HexFormat.of().formatHex(signed.signature()));
        assertTrue(signed.verifies());
        assertEquals(signed, SignedViolation.parse(signed.toBytes()));
        byte[] tampered = signed.toBytes();
        tampered[40] ^= 0x01;
        assertFalse(SignedViolation.parse(tampered).verifies());
    }

    @Test
    void theBytesAreExactlyTheDocumentedLayout() {
        Violation v = violation();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] tag = "emrsb:violation:v1".getBytes(StandardCharsets.US_ASCII);
        expected.write(tag.length);
        expected.writeBytes(tag);
        expected.write(2);                                                     // kind: block
        expected.writeBytes(ByteBuffer.allocate(4).putInt(3).array());         // chain
        byte[] check = "delegate-active".getBytes(StandardCharsets.UTF_8);
        expected.writeBytes(ByteBuffer.allocate(4).putInt(check.length).array());
        expected.writeBytes(check);                                            // check
        expected.writeBytes(DELEGATE.verifyingKey().bytes());                  // delegateKey
        expected.writeBytes(ByteBuffer.allocate(4).putInt(171).array());
        expected.writeBytes(header().toBytes());                               // signedBytes
        expected.writeBytes(v.delegateSignature());                            // delegateSignature
        expected.writeBytes(MONITOR.verifyingKey().bytes());                   // monitorKey
        expected.writeBytes(ByteBuffer.allocate(8).putLong(ISSUED_AT).array()); // issuedAt
        assertArrayEquals(expected.toByteArray(), v.toBytes());
        assertEquals(1 + 18 + 1 + 4 + 4 + 15 + 32 + 4 + 171 + 64 + 32 + 8, v.toBytes().length);
        assertArrayEquals(Sha256.hash(header().toBytes()), v.subject());
    }

    @Test
    void parsingIsStrict() {
        byte[] bytes = violation().toBytes();
        byte[] unknownKind = bytes.clone();
        unknownKind[19] = 3;
        assertThrows(FormatException.class, () -> Violation.parse(unknownKind));
        byte[] emptyCheck = new Violation(SubjectKind.BLOCK, 3, "x", new byte[32], new byte[1], new byte[64],
                new byte[32], 0).toBytes();
        emptyCheck[27] = 0; // the check's length byte: "x" becomes "" and one byte trails
        assertThrows(FormatException.class, () -> Violation.parse(emptyCheck));
        assertThrows(FormatException.class, () -> Violation.parse(header().toBytes()));
        assertThrows(IllegalArgumentException.class, () -> new Violation(SubjectKind.BLOCK, 3, "", new byte[32],
                new byte[1], new byte[64], new byte[32], 0));
        assertThrows(IllegalArgumentException.class, () -> new Violation(SubjectKind.BLOCK, 3, "x", new byte[32],
                new byte[0], new byte[64], new byte[32], 0));
        assertThrows(IllegalArgumentException.class, () -> new Violation(SubjectKind.BLOCK, 3, "x", new byte[32],
                new byte[1], new byte[63], new byte[32], 0));
    }
}
