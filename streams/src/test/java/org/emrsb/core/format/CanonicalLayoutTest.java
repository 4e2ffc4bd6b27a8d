package org.emrsb.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CanonicalLayoutTest {

    /** Each structure's encoder and strict parser, by name. */
    private static final Map<String, Codec> CODECS = Map.of(
            "submission", new Codec(Samples.submission().toBytes(), b -> SubmissionBody.parse(b).toBytes()),
            "masked record", new Codec(Samples.masked().toBytes(), b -> MaskedRecord.parse(b).toBytes()),
            "transaction", new Codec(Samples.transaction().toBytes(), b -> Transaction.parse(b).toBytes()),
            "block header", new Codec(Samples.block().toBytes(), b -> BlockHeader.parse(b).toBytes()),
            "anchor header", new Codec(Samples.anchor().toBytes(), b -> AnchorHeader.parse(b).toBytes()),
            "verdict", new Codec(Samples.verdict().toBytes(), b -> Verdict.parse(b).toBytes()),
            "certificate", new Codec(Samples.certificate().toBytes(), b -> EnrolmentCertificate.parse(b).toBytes()),
            "vote", new Codec(Samples.vote().toBytes(), b -> Vote.parse(b).toBytes()),
            "violation", new Codec(Samples.violation().toBytes(), b -> Violation.parse(b).toBytes()));

    private record Codec(byte[] bytes, Function<byte[], byte[]> reencode) {
    }

    @Test
    void theBlockHeaderIsExactlyTheDocumentedLayout() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] tag = "emrsb:block:v1".getBytes(StandardCharsets.US_ASCII);
        expected.write(tag.length);
        expected.writeBytes(tag);
        expected.writeBytes(ByteBuffer.allocate(4).putInt(3).array());                 // chain
        expected.writeBytes(ByteBuffer.allocate(8).putLong(12).array());               // height
        expected.writeBytes(Samples.seq(0x20, 32));                                    // previous block hash
        expected.writeBytes(ByteBuffer.allocate(8).putLong(1_795_000_000_000L).array()); // interval start
        expected.writeBytes(ByteBuffer.allocate(8).putLong(1_795_000_060_000L).array()); // interval end
        expected.writeBytes(ByteBuffer.allocate(8).putLong(5).array());                // tx count
        expected.writeBytes(ByteBuffer.allocate(8).putLong(40).array());               // first sequence
        expected.writeBytes(ByteBuffer.allocate(8).putLong(45).array());               // last sequence
        expected.writeBytes(Samples.seq(0x60, 32));                                    // merkle root
        expected.writeBytes(ByteBuffer.allocate(8).putLong(7).array());                // epoch
        expected.writeBytes(Samples.seq(0xc0, 32));                                    // delegate key
        assertArrayEquals(expected.toByteArray(), Samples.block().toBytes());
        assertEquals(171, Samples.block().toBytes().length);
    }

    @Test
    void rootsSitAtTheirDocumentedOffsetsAsContiguous32ByteFields() {
        byte[] block = Samples.block().toBytes();
        assertArrayEquals(Samples.seq(0x60, 32),
                Arrays.copyOfRange(block, BlockHeader.MERKLE_ROOT_OFFSET, BlockHeader.MERKLE_ROOT_OFFSET + 32));
        byte[] anchor = Samples.anchor().toBytes();
        assertArrayEquals(Samples.seq(0xe0, 32),
                Arrays.copyOfRange(anchor, AnchorHeader.MERKLE_ROOT_OFFSET, AnchorHeader.MERKLE_ROOT_OFFSET + 32));
        assertEquals(27, indexOf(block, Samples.seq(0x20, 32)), "previous block hash offset");
        assertEquals(24, indexOf(anchor, Samples.seq(0x80, 32)), "previous anchor hash offset");
    }

    @Test
    void goldenHashesPinEveryLayout() {
        // Regenerate only with a new tag: a layout change is a new version (docs/ledger-format.md).
        Map<String, String> golden = Map.of(
                "submission", "eccd47916f394b5ccc2e82a7d33065d4ea70ee2e865e62f6d05e87635d6cf78e",
                "masked record", "e85a8716d95c7e42375dce459546f0a16b2baff9d3511e4da74f6fc83803fe9b",
                "transaction", "ca66aa7f11d57827bd8c083ecb4d49c954bc9663dd616116e0eb697b8a5d5edc",
                "block header", "9f7840136173b4cc001f12b6b58e3fc4952aa18604660b975b1c53358f616e1a",
                "anchor header", "ee1c36a9272b7e4288604d6db42703e4cc90d05df63a00e5cba084e3b3a50801",
                "verdict", "74673ba281c5a2b63057530a3f05d059445a001cdcfee7fc79a9f66d115d94b6",
                "certificate", "7ecc07118bbbbcaf619f18d9fe5c9178481d9658492ecc0728ce327cdaaefa29",
                "vote", "c8febd6850839d1415a66692073f7cc14b5a82114ff623ab0984098e6cf284e3",
                "violation", "4b7e92204e4e57812a493084db935658b1c9cb40d52d080317c97037f85f53fd");
        assertEquals(CODECS.keySet(), golden.keySet());
        golden.forEach((name, hash) -> assertEquals(hash, Sha256.hex(CODECS.get(name).bytes()), name));
    }

    @Test
    void everyStructureRoundTripsByteForByte() {
        CODECS.forEach((name, codec) -> assertArrayEquals(codec.bytes(), codec.reencode().apply(codec.bytes()), name));
    }

    @Test
    void everyTruncationAndAnyTrailingByteIsRefused() {
        CODECS.forEach((name, codec) -> {
            for (int length = 0; length < codec.bytes().length; length++) {
                byte[] truncated = Arrays.copyOf(codec.bytes(), length);
                assertThrows(FormatException.class, () -> codec.reencode().apply(truncated), name + " cut at " + length);
            }
            byte[] extended = Arrays.copyOf(codec.bytes(), codec.bytes().length + 1);
            FormatException e = assertThrows(FormatException.class, () -> codec.reencode().apply(extended), name);
            assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        });
    }

    /**
     * Strictness: a bit flip either fails to parse or yields a structure whose canonical bytes are the
     * flipped bytes, so no two byte strings parse to the same structure and every bit is bound.
     */
    @Test
    void everySingleBitFlipIsRefusedOrChangesTheStructure() {
        CODECS.forEach((name, codec) -> {
            byte[] original = codec.bytes();
            for (int bit = 0; bit < original.length * 8; bit++) {
                byte[] flipped = original.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                byte[] reencoded;
                try {
                    reencoded = codec.reencode().apply(flipped);
                } catch (FormatException | IllegalArgumentException refused) {
                    continue;
                }
                assertArrayEquals(flipped, reencoded, name + " bit " + bit);
            }
        });
    }

    @Test
    void bytesOfOneKindAreNeverTakenForAnother() {
        byte[] anchor = Samples.anchor().toBytes();
        FormatException e = assertThrows(FormatException.class, () -> BlockHeader.parse(anchor));
        assertTrue(e.getMessage().contains("expected 'emrsb:block:v1'"), e.getMessage());
        assertThrows(FormatException.class, () -> Verdict.parse(Samples.block().toBytes()));
    }

    @Test
    void transactionIdsAreTheLowercaseHexSha256OfTheCanonicalBytes() {
        Transaction tx = Samples.transaction();
        assertEquals(HexFormat.of().formatHex(Sha256.hash(tx.toBytes())), tx.id());
        assertTrue(tx.id().matches("[0-9a-f]{64}"));
        assertArrayEquals(tx.idBytes(), HexFormat.of().parseHex(tx.id()));
    }

    @Test
    void aTransactionMustCarryOneCidPerAttachment() {
        Transaction tx = Samples.transaction();
        Transaction missing = new Transaction(tx.maskedRecord(), tx.gatewaySignature(), List.of(), tx.chain(),
                tx.sequence(), tx.epoch(), tx.delegateKey(), tx.signedAt());
        FormatException e = assertThrows(FormatException.class, () -> Transaction.parse(missing.toBytes()));
        assertTrue(e.getMessage().contains("0 CIDs for 1 attachments"), e.getMessage());
    }

    @Test
    void votesHaveOneEncodingPerCandidateSet() {
        Vote vote = Samples.vote();
        assertArrayEquals(Samples.seq(0x20, 32), vote.candidates().get(0));
        assertThrows(IllegalArgumentException.class,
                () -> new Vote(Samples.seq(0, 32), List.of(Samples.seq(1, 32), Samples.seq(1, 32)), 0));
    }

    @Test
    void invariantsOfHeadersAreEnforced() {
        assertThrows(IllegalArgumentException.class, () -> new BlockHeader(0, 0, new byte[32], 0, 1, 0, 0, 0,
                new byte[32], 0, new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> new BlockHeader(0, 0, new byte[32], 0, 1, 3, 5, 6,
                new byte[32], 0, new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> new Verdict(Verdict.SubjectKind.BLOCK, new byte[32], 0,
                Verdict.Decision.ACCEPT, "x", 0, new byte[32], 0));
        assertThrows(IllegalArgumentException.class, () -> new CanonicalWriter("bad tag"));
    }

    @Test
    void theRawCommitmentIsSaltedAndBindsTheSubmission() {
        byte[] bytes = Samples.submission().toBytes();
        byte[] a = MaskedRecord.rawCommitment(Samples.filled(1, 32), bytes);
        byte[] b = MaskedRecord.rawCommitment(Samples.filled(2, 32), bytes);
        assertTrue(!Arrays.equals(a, b));
        byte[] changed = bytes.clone();
        changed[changed.length - 1] ^= 1;
        assertTrue(!Arrays.equals(a, MaskedRecord.rawCommitment(Samples.filled(1, 32), changed)));
        assertThrows(IllegalArgumentException.class, () -> MaskedRecord.rawCommitment(new byte[31], bytes));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(haystack, i, i + needle.length), needle)) {
                return i;
            }
        }
        return -1;
    }
}
