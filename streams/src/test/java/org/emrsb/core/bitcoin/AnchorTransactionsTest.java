package org.emrsb.core.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.emrsb.core.crypto.Hex;
import org.junit.jupiter.api.Test;

/** The anchor transaction: layout, fee, signatures, determinism, mutations, and the funds errors. */
class AnchorTransactionsTest {

    private static final AnchorKey KEY = AnchorKey.fromBytes(Hex.decode(
            "3fdfec1371cedcdb8c190ca6ff8ad603f817edc0d93c2a687c7b36dd66e70f2a", 32, "key"));
    private static final byte[] ANCHOR = Hex.decode(
            "a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00", 32, "anchor");
    private static final SpendableOutput FIRST = SpendableOutput.ofDisplayTxid(
            "1111111111111111111111111111111111111111111111111111111111111111", 0, 100_000);
    private static final SpendableOutput SECOND = SpendableOutput.ofDisplayTxid(
            "2222222222222222222222222222222222222222222222222222222222222222", 3, 50_000);
    private static final FeeRate RATE = FeeRate.ofSatPerVbyte(2);

    @Test
    void layout() throws Exception {
        AnchorTransaction anchor = AnchorTransactions.build(List.of(FIRST, SECOND), ANCHOR, KEY, RATE);
        BitcoinTransaction tx = anchor.transaction();
        assertEquals(2, tx.version());
        assertEquals(0, tx.lockTime());
        assertEquals(2, tx.inputs().size());
        for (int i = 0; i < 2; i++) {
            SpendableOutput spent = List.of(FIRST, SECOND).get(i);
            assertArrayEquals(spent.txid(), tx.inputs().get(i).previousTxid());
            assertEquals(spent.vout(), tx.inputs().get(i).previousIndex());
            assertEquals(0xffff_fffdL, tx.inputs().get(i).sequence());
        }
        assertEquals(2, tx.outputs().size());
        assertEquals(0, tx.outputs().get(0).value());
        assertEquals("6a20" + Hex.encode(ANCHOR), Hex.encode(tx.outputs().get(0).script()));
        assertArrayEquals(KEY.p2pkhScript(), tx.outputs().get(1).script());
        assertEquals(150_000 - anchor.fee(), tx.outputs().get(1).value());
        assertEquals(tx, BitcoinTransaction.parse(tx.toBytes()), "round trip through the strict parser");
        assertTrue(tx.hasOpReturnOf(ANCHOR));
    }

    /** Each scriptSig is push(sig) push(pubkey); each signature is strict DER, low S, SIGHASH_ALL, valid. */
    @Test
    void signatures() throws Exception {
        AnchorTransaction anchor = AnchorTransactions.build(List.of(FIRST, SECOND), ANCHOR, KEY, RATE);
        BitcoinTransaction tx = anchor.transaction();
        for (int i = 0; i < tx.inputs().size(); i++) {
            byte[] scriptSig = tx.inputs().get(i).scriptSig();
            int sigLength = scriptSig[0];
            byte[] sig = Arrays.copyOfRange(scriptSig, 1, 1 + sigLength);
            assertEquals(33, scriptSig[1 + sigLength]);
            assertArrayEquals(KEY.publicKey(), Arrays.copyOfRange(scriptSig, 2 + sigLength, scriptSig.length));
            assertTrue(Secp256k1.isStrictDerWithHashType(sig));
            assertEquals(LegacySighash.SIGHASH_ALL, sig[sig.length - 1]);
            BigInteger[] rs = Secp256k1.parseDer(Arrays.copyOf(sig, sig.length - 1));
            assertTrue(rs[1].compareTo(Secp256k1.HALF_N) <= 0);
            byte[] sighash = LegacySighash.hash(tx, i, KEY.p2pkhScript(), LegacySighash.SIGHASH_ALL);
            assertTrue(Secp256k1.verify(KEY.publicKey(), sighash, rs[0], rs[1]), "input " + i);
            assertFalse(Secp256k1.verify(KEY.publicKey(),
                    LegacySighash.hash(tx, 1 - i, KEY.p2pkhScript(), LegacySighash.SIGHASH_ALL), rs[0], rs[1]));
        }
    }

    @Test
    void feeUsesTheMaximumSignatureLengthSoTheRateIsNeverBelowTheRequestedOne() throws Exception {
        for (long satPerKvb : new long[] {1000, 1500, 2000, 3333, 25_000}) {
            FeeRate rate = new FeeRate(satPerKvb);
            for (List<SpendableOutput> inputs : List.of(List.of(FIRST), List.of(FIRST, SECOND))) {
                AnchorTransaction anchor = AnchorTransactions.build(inputs, ANCHOR, KEY, rate);
                int maxSize = AnchorTransactions.maxSize(inputs.size(), KEY);
                assertEquals(rate.feeFor(maxSize), anchor.fee());
                assertTrue(anchor.size() <= maxSize);
                assertTrue(anchor.fee() * 1000 >= satPerKvb * anchor.size(), "real rate at least the requested one");
                long in = inputs.stream().mapToLong(SpendableOutput::value).sum();
                assertEquals(in - anchor.transaction().outputs().get(1).value(), anchor.fee());
            }
        }
        // One P2PKH input, OP_RETURN of 32 bytes, P2PKH change: 10 + 148 + 43 + 34 = 235 bytes at most.
        assertEquals(235, AnchorTransactions.maxSize(1, KEY));
        assertEquals(470, AnchorTransactions.build(List.of(FIRST), ANCHOR, KEY, RATE).fee());
    }

    @Test
    void aParentsShareIsAddedToTheFeeAndTakenFromTheChange() throws Exception {
        AnchorTransaction alone = AnchorTransactions.build(List.of(FIRST), ANCHOR, KEY, RATE);
        AnchorTransaction paying = AnchorTransactions.build(List.of(FIRST), ANCHOR, KEY, RATE, 705);
        assertEquals(alone.fee() + 705, paying.fee());
        assertEquals(alone.change().value() - 705, paying.change().value());
        assertEquals(alone, AnchorTransactions.build(List.of(FIRST), ANCHOR, KEY, RATE, 0));
        assertThrows(IllegalArgumentException.class, () -> AnchorTransactions.build(List.of(FIRST), ANCHOR, KEY, RATE, -1));
        assertThrows(InsufficientFundsException.class,
                () -> AnchorTransactions.build(List.of(FIRST), ANCHOR, KEY, RATE, FIRST.value()));
    }

    @Test
    void deterministicAndPinned() throws Exception {
        AnchorTransaction a = AnchorTransactions.build(List.of(FIRST, SECOND), ANCHOR, KEY, RATE);
        AnchorTransaction b = AnchorTransactions.build(List.of(FIRST, SECOND), ANCHOR.clone(), AnchorKey.fromBytes(KEY.privateKeyBytes()), RATE);
        assertArrayEquals(a.transaction().toBytes(), b.transaction().toBytes());
        assertEquals(a, b);
        // Pinned (regression): the regtest node accepted transactions built by this code (AnchorTransactionIT).
        assertEquals("a6baa2ae6915fde96df8c2674f2825d486a4e62087dc455b02a937b5a762744f", a.displayTxid());
    }

    @Test
    void everyInputChangesTheSignatureHashAndTheTxid() throws Exception {
        AnchorTransaction base = AnchorTransactions.build(List.of(FIRST), ANCHOR, KEY, RATE);
        byte[] baseSighash = LegacySighash.hash(unsigned(base), 0, KEY.p2pkhScript(), LegacySighash.SIGHASH_ALL);
        byte[] otherAnchor = ANCHOR.clone();
        otherAnchor[31] ^= 1;
        List<AnchorTransaction> mutants = List.of(
                AnchorTransactions.build(List.of(FIRST), otherAnchor, KEY, RATE),
                AnchorTransactions.build(List.of(new SpendableOutput(FIRST.txid(), 1, FIRST.value())), ANCHOR, KEY, RATE),
                AnchorTransactions.build(List.of(SpendableOutput.ofDisplayTxid(
                        "1111111111111111111111111111111111111111111111111111111111111112", 0, FIRST.value())), ANCHOR, KEY, RATE),
                AnchorTransactions.build(List.of(new SpendableOutput(FIRST.txid(), 0, FIRST.value() + 1)), ANCHOR, KEY, RATE),
                AnchorTransactions.build(List.of(FIRST), ANCHOR, KEY, FeeRate.ofSatPerVbyte(3)),
                AnchorTransactions.build(List.of(FIRST), ANCHOR, AnchorKey.fromBytes(AnchorKeyTest.BigIntegerBytes.of(BigInteger.TWO)), RATE));
        for (AnchorTransaction mutant : mutants) {
            assertFalse(Arrays.equals(base.txid(), mutant.txid()), mutant.toString());
            byte[] sighash = LegacySighash.hash(unsigned(mutant), 0, mutant.transaction().outputs().get(1).script(),
                    LegacySighash.SIGHASH_ALL);
            assertFalse(Arrays.equals(baseSighash, sighash), mutant.toString());
        }
    }

    @Test
    void changeOutpointAndRebuild() throws Exception {
        AnchorTransaction first = AnchorTransactions.build(List.of(FIRST), ANCHOR, KEY, RATE);
        SpendableOutput change = first.change();
        assertArrayEquals(first.txid(), change.txid());
        assertEquals(1, change.vout());
        assertEquals(FIRST.value() - first.fee(), change.value());
        AnchorTransaction next = AnchorTransactions.build(List.of(change), ANCHOR, KEY, RATE);
        assertArrayEquals(first.txid(), next.transaction().inputs().get(0).previousTxid());

        AnchorTransaction bumped = AnchorTransactions.rebuild(first, KEY, FeeRate.ofSatPerVbyte(5));
        assertEquals(first.inputs(), bumped.inputs());
        assertArrayEquals(first.anchorHash(), bumped.anchorHash());
        assertTrue(bumped.fee() > first.fee());
        assertNotEquals(first.displayTxid(), bumped.displayTxid());
        assertEquals(bumped, AnchorTransactions.rebuild(first, KEY, FeeRate.ofSatPerVbyte(5)));
        assertThrows(IllegalArgumentException.class, () -> AnchorTransactions.rebuild(first, KEY, RATE));
        assertThrows(IllegalArgumentException.class, () -> AnchorTransactions.rebuild(first,
                AnchorKey.fromBytes(AnchorKeyTest.BigIntegerBytes.of(BigInteger.TWO)), FeeRate.ofSatPerVbyte(5)));
    }

    @Test
    void dustChangeAndInsufficientFundsSayWhatIsMissing() throws Exception {
        long fee = RATE.feeFor(AnchorTransactions.maxSize(1, KEY));
        SpendableOutput justEnough = new SpendableOutput(FIRST.txid(), 0, fee + AnchorTransactions.DUST_LIMIT);
        assertEquals(AnchorTransactions.DUST_LIMIT,
                AnchorTransactions.build(List.of(justEnough), ANCHOR, KEY, RATE).change().value());

        SpendableOutput dust = new SpendableOutput(FIRST.txid(), 0, fee + AnchorTransactions.DUST_LIMIT - 1);
        InsufficientFundsException e = assertThrows(InsufficientFundsException.class,
                () -> AnchorTransactions.build(List.of(dust), ANCHOR, KEY, RATE));
        assertEquals(1, e.missing());
        assertTrue(e.getMessage().contains("1 sat are missing"), e.getMessage());

        SpendableOutput tiny = new SpendableOutput(FIRST.txid(), 0, 100);
        InsufficientFundsException poor = assertThrows(InsufficientFundsException.class,
                () -> AnchorTransactions.build(List.of(tiny), ANCHOR, KEY, RATE));
        assertEquals(fee + AnchorTransactions.DUST_LIMIT - 100, poor.missing());
        assertEquals(100, poor.available());
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> AnchorTransactions.build(List.of(), ANCHOR, KEY, RATE));
        assertThrows(IllegalArgumentException.class, () -> AnchorTransactions.build(List.of(FIRST), new byte[31], KEY, RATE));
        assertThrows(IllegalArgumentException.class, () -> AnchorTransactions.build(List.of(FIRST), new byte[33], KEY, RATE));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> AnchorTransactions.build(List.of(FIRST, new SpendableOutput(FIRST.txid(), 0, 5)), ANCHOR, KEY, RATE));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    }

    @Test
    void feeRates() {
        assertEquals(new FeeRate(2000), FeeRate.ofBtcPerKvb(new BigDecimal("0.00002000")));
        assertEquals(new FeeRate(1235), FeeRate.ofBtcPerKvb(new BigDecimal("0.000012341")), "rounded up");
        assertEquals(353, new FeeRate(1500).feeFor(235), "ceil(352.5)");
        assertEquals(235, FeeRate.ofSatPerVbyte(1).feeFor(235));
        assertEquals("1.5 sat/vB", new FeeRate(1500).toString());
        assertThrows(IllegalArgumentException.class, () -> new FeeRate(-1));
    }

    private static BitcoinTransaction unsigned(AnchorTransaction anchor) {
        BitcoinTransaction tx = anchor.transaction();
        return new BitcoinTransaction(tx.version(), tx.inputs().stream()
                .map(in -> new BitcoinTransaction.Input(in.previousTxid(), in.previousIndex(), new byte[0], in.sequence()))
                .toList(), tx.outputs(), tx.lockTime());
    }
}
