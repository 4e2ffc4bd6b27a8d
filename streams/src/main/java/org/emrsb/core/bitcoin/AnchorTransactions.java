package org.emrsb.core.bitcoin;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds and signs the Bitcoin transaction that anchors a 32-byte anchor hash, deterministically: the
 * same inputs, hash, key and fee rate give byte-identical transactions, because nothing depends on
 * time or randomness and the ECDSA nonces follow RFC 6979. A stream task that rebuilds the transaction
 * after a crash therefore gets the same txid, and broadcasting it twice is harmless.
 *
 * <p>The transaction: version 2, lock time 0; one input per given output, in the given order, each
 * with sequence {@code 0xfffffffd} (replaceable, BIP 125) and a P2PKH scriptSig signed with
 * SIGHASH_ALL; output 0 is {@code OP_RETURN 0x20 <anchor hash>} with value 0, output 1 pays the change
 * to the key's own P2PKH script. The fee is {@code ceil(rate × size)}, with the size computed for
 * signatures of the maximum length (72 bytes with the hash type), so a shorter real signature only
 * raises the real rate above the requested one.
 */
public final class AnchorTransactions {

    /** Version 2, as bitcoind's {@code createrawtransaction} makes them. */
    public static final int VERSION = 2;
    /** Below the final sequence and its predecessor: signals replaceability (BIP 125), lock time unused. */
    public static final long SEQUENCE_REPLACEABLE = 0xffff_fffdL;
    /**
     * Bitcoin Core's dust threshold for a P2PKH output at its default dust relay fee of 3 sat/vB
     * ({@code GetDustThreshold}: (34 + 148) bytes × 3): change below it would not be relayed.
     */
    public static final long DUST_LIMIT = 546;
    /** The longest scriptSig: push of a 72-byte signature (71 bytes DER + hash type), push of 33 bytes. */
    static final int MAX_SCRIPT_SIG = 1 + Secp256k1.MAX_DER_LENGTH + 1 + 1 + 33;

    private AnchorTransactions() {
    }

    /**
     * The signed anchor transaction spending {@code inputs} (P2PKH outputs of {@code key}).
     *
     * @throws InsufficientFundsException if the change after the fee would be below {@link #DUST_LIMIT}
     * @throws IllegalArgumentException   if {@code inputs} is empty or names an outpoint twice, or
     *                                    {@code anchorHash} is not 32 bytes
     */
    public static AnchorTransaction build(List<SpendableOutput> inputs, byte[] anchorHash, AnchorKey key,
                                          FeeRate feeRate) throws InsufficientFundsException {
        return build(inputs, anchorHash, key, feeRate, 0);
    }

    /**
     * As {@link #build(List, byte[], AnchorKey, FeeRate)}, paying {@code parentFee} satoshi more than its
     * own size needs at {@code feeRate}: child pays for parent, when an input is the change of an
     * unconfirmed transaction that paid less than {@code feeRate}, so that miners take both together.
     */
    public static AnchorTransaction build(List<SpendableOutput> inputs, byte[] anchorHash, AnchorKey key,
                                          FeeRate feeRate, long parentFee) throws InsufficientFundsException {
        if (parentFee < 0) {
            throw new IllegalArgumentException("a parent's fee share is not negative, was " + parentFee);
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(feeRate, "feeRate");
        if (anchorHash == null || anchorHash.length != 32) {
            throw new IllegalArgumentException("an anchor hash is 32 bytes, was "
                    + (anchorHash == null ? "null" : anchorHash.length + " bytes"));
        }
        List<SpendableOutput> spent = List.copyOf(inputs);
        if (spent.isEmpty()) {
            throw new IllegalArgumentException("an anchor transaction spends at least one output");
        }
        long available = 0;
        for (int i = 0; i < spent.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (spent.get(i).sameOutpoint(spent.get(j))) {
                    throw new IllegalArgumentException("output " + spent.get(i) + " is given twice");
                }
            }
            available = Math.addExact(available, spent.get(i).value());
        }
        if (available > BitcoinTransaction.MAX_MONEY) {
            throw new IllegalArgumentException("the inputs hold more than " + BitcoinTransaction.MAX_MONEY + " satoshi");
        }
        long fee = Math.addExact(feeRate.feeFor(maxSize(spent.size(), key)), parentFee);
        long change = available - fee;
        if (change < DUST_LIMIT) {
            throw new InsufficientFundsException(available, fee, DUST_LIMIT);
        }
        List<BitcoinTransaction.Output> outputs = List.of(BitcoinTransaction.Output.opReturn(anchorHash),
                new BitcoinTransaction.Output(change, key.p2pkhScript()));
        BitcoinTransaction unsigned = transaction(spent, i -> new byte[0], outputs);
        byte[] scriptCode = key.p2pkhScript();
        List<byte[]> scriptSigs = new ArrayList<>(spent.size());
        for (int i = 0; i < spent.size(); i++) {
            byte[] sighash = LegacySighash.hash(unsigned, i, scriptCode, LegacySighash.SIGHASH_ALL);
            scriptSigs.add(key.p2pkhScriptSig(signature(key, sighash)));
        }
        BitcoinTransaction signed = transaction(spent, scriptSigs::get, outputs);
        return new AnchorTransaction(signed, spent, anchorHash, feeRate, fee);
    }

    /**
     * The same anchor (same inputs in the same order, same hash and key) at a higher fee rate, to replace
     * an unconfirmed {@code previous} (BIP 125). A replacement must also pay at least the relay fee
     * (1 sat/vB at bitcoind's default) for its own size on top of the fee it replaces, so raise the rate
     * by at least that much.
     *
     * @throws IllegalArgumentException   if {@code higher} is not above {@code previous}'s rate, or
     *                                    {@code key} is not the key {@code previous} pays its change to
     * @throws InsufficientFundsException if the change at the new rate would be dust
     */
    public static AnchorTransaction rebuild(AnchorTransaction previous, AnchorKey key, FeeRate higher)
            throws InsufficientFundsException {
        if (higher.compareTo(previous.feeRate()) <= 0) {
            throw new IllegalArgumentException("a replacement needs a higher fee rate than " + previous.feeRate()
                    + ", was " + higher);
        }
        if (!java.util.Arrays.equals(previous.transaction().outputs().get(AnchorTransaction.CHANGE_OUTPUT).script(),
                key.p2pkhScript())) {
            throw new IllegalArgumentException("the previous transaction's change does not go to " + key);
        }
        return build(previous.inputs(), previous.anchorHash(), key, higher);
    }

    /** The size in bytes of the transaction with {@code inputCount} inputs if every signature had its maximum length. */
    static int maxSize(int inputCount, AnchorKey key) {
        List<SpendableOutput> placeholders = new ArrayList<>(inputCount);
        for (int i = 0; i < inputCount; i++) {
            placeholders.add(new SpendableOutput(new byte[32], i, 1));
        }
        return transaction(placeholders, i -> new byte[MAX_SCRIPT_SIG],
                List.of(BitcoinTransaction.Output.opReturn(new byte[32]), new BitcoinTransaction.Output(0, key.p2pkhScript())))
                .toBytes().length;
    }

    /** DER of a fresh RFC 6979, low-S signature of {@code sighash}, checked, plus the SIGHASH_ALL byte. */
    private static byte[] signature(AnchorKey key, byte[] sighash) {
        BigInteger[] rs = key.sign(sighash);
        if (!Secp256k1.verify(key.publicKey(), sighash, rs[0], rs[1])) {
            // A fault in the arithmetic must never reach the chain as an unspendable-looking transaction.
            throw new IllegalStateException("the signature just made does not verify");
        }
        byte[] der = Secp256k1.der(rs[0], rs[1]);
        byte[] sig = java.util.Arrays.copyOf(der, der.length + 1);
        sig[der.length] = (byte) LegacySighash.SIGHASH_ALL;
        return sig;
    }

    private static BitcoinTransaction transaction(List<SpendableOutput> spent, java.util.function.IntFunction<byte[]> scriptSig,
                                                  List<BitcoinTransaction.Output> outputs) {
        List<BitcoinTransaction.Input> inputs = new ArrayList<>(spent.size());
        for (int i = 0; i < spent.size(); i++) {
            SpendableOutput out = spent.get(i);
            inputs.add(new BitcoinTransaction.Input(out.txid(), out.vout(), scriptSig.apply(i), SEQUENCE_REPLACEABLE));
        }
        return new BitcoinTransaction(VERSION, inputs, outputs, 0);
    }
}
