package org.emrsb.core.proof;

import org.emrsb.core.governance.SignedCertificate;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.emrsb.core.bitcoin.BitcoinBlock;
import org.emrsb.core.bitcoin.BitcoinNetwork;
import org.emrsb.core.bitcoin.BitcoinTransaction;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.format.AnchorHeader;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.BodyFormat;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.format.Verdict;
import org.emrsb.core.merkle.MerkleTree;

/**
 * A complete, genuine chain of evidence built from synthetic data with real keys (deterministic: a
 * seeded SHA1PRNG): an authority enrols a delegate, two monitors, a gateway and a patient; the gateway
 * signs five masked records, the delegate sequences them into a block on chain 3 and signs its header,
 * both monitors accept the block; an anchor covers that block among three; a Bitcoin transaction
 * carries the anchor hash in an OP_RETURN, mined with two others into a regtest block.
 */
public final class ProofFixture {

    public static final long CHAIN = 3;
    public static final long HEIGHT = 12;
    public static final long EPOCH = 7;
    public static final long T0 = 1_795_000_000_000L;
    public static final long FIRST_SEQUENCE = 40;
    public static final int TX_COUNT = 5;
    /** The proven transaction's index in the block. */
    public static final int TX_INDEX = 2;
    /** The block's index among the anchor's three blocks. */
    public static final int BLOCK_INDEX = 1;
    public static final long ANCHOR_SEQUENCE = 4;
    /** The anchoring transaction's index in the Bitcoin block of three (so a level of odd length). */
    public static final int BITCOIN_TX_INDEX = 2;
    public static final long BITCOIN_HEIGHT = 101;
    public static final long REGTEST_BITS = 0x207f_ffffL;

    /** A monitor's verdict with its signature and certificate. */
    public record VerdictEntry(Verdict verdict, byte[] signature, SignedCertificate certificate) {
    }

    public final MemberKeys authority;
    public final MemberKeys otherAuthority;
    public final MemberKeys delegate;
    public final MemberKeys monitor1;
    public final MemberKeys monitor2;
    public final MemberKeys gateway;
    public final MemberKeys patient;
    public final SignedCertificate delegateCertificate;
    public final List<Transaction> transactions;
    public final BlockHeader block;
    public final byte[] blockSignature;
    public final MerkleTree blockTree;
    public final List<byte[]> anchorLeaves;
    public final MerkleTree anchorTree;
    public final AnchorHeader anchor;
    public final BitcoinTransaction anchoringTx;
    public final BitcoinBlock bitcoinBlock;

    private final SecureRandom random;

    public ProofFixture() {
        try {
            random = SecureRandom.getInstance("SHA1PRNG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        random.setSeed("emrsb proof bundle fixture".getBytes(StandardCharsets.US_ASCII));
        authority = MemberKeys.generate(Role.AUTHORITY, random);
        otherAuthority = MemberKeys.generate(Role.AUTHORITY, random);
        delegate = MemberKeys.generate(Role.DELEGATE, random);
        monitor1 = MemberKeys.generate(Role.MONITOR, random);
        monitor2 = MemberKeys.generate(Role.MONITOR, random);
        gateway = MemberKeys.generate(Role.GATEWAY, random);
        patient = MemberKeys.generate(Role.PATIENT, random);
        delegateCertificate = certificate(authority, delegate, Role.DELEGATE);

        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < TX_COUNT; i++) {
            txs.add(transaction(i));
        }
        transactions = List.copyOf(txs);
        blockTree = MerkleTree.ofLeafData(transactions.stream().map(Transaction::idBytes).toList());
        block = new BlockHeader(CHAIN, HEIGHT, bytes(32), T0, T0 + 60_000, TX_COUNT, FIRST_SEQUENCE,
                FIRST_SEQUENCE + TX_COUNT - 1, blockTree.root(), EPOCH, delegate.verifyingKey().bytes());
        blockSignature = Signatures.sign(delegate.signingKey(), block.toBytes());

        anchorLeaves = List.of(bytes(32), block.hash(), bytes(32));
        anchorTree = MerkleTree.ofLeafData(anchorLeaves);
        anchor = new AnchorHeader(ANCHOR_SEQUENCE, bytes(32), T0, T0 + 600_000, anchorLeaves.size(), anchorTree.root());

        BitcoinTransaction coinbase = new BitcoinTransaction(2,
                List.of(BitcoinTransaction.Input.coinbase(new byte[] {0x01, (byte) BITCOIN_HEIGHT, 0x00})),
                List.of(new BitcoinTransaction.Output(50_0000_0000L, p2wpkh())), 0);
        BitcoinTransaction filler = new BitcoinTransaction(2,
                List.of(new BitcoinTransaction.Input(bytes(32), 0, new byte[] {0x51}, 0xffff_fffdL)),
                List.of(new BitcoinTransaction.Output(1_0000_0000L, p2wpkh()),
                        new BitcoinTransaction.Output(2_4999_0000L, p2wpkh())), 100);
        anchoringTx = new BitcoinTransaction(2,
                List.of(new BitcoinTransaction.Input(bytes(32), 1, bytes(107), 0xffff_fffeL)),
                List.of(BitcoinTransaction.Output.opReturn(anchor.hash()),
                        new BitcoinTransaction.Output(4_9999_8000L, p2wpkh())), 0);
        bitcoinBlock = BitcoinBlock.mine(0x2000_0000, bytes(32), T0 / 1000 + 700, REGTEST_BITS,
                List.of(coinbase, filler, anchoringTx));
    }

    /** The proven transaction. */
    public Transaction transaction() {
        return transactions.get(TX_INDEX);
    }

    /** A certificate for {@code member}, ACTIVE over a long validity, signed by {@code issuer}. */
    public SignedCertificate certificate(MemberKeys issuer, MemberKeys member, Role role) {
        return certificate(issuer, member, role, T0 - 86_400_000L, T0 + 365 * 86_400_000L);
    }

    public SignedCertificate certificate(MemberKeys issuer, MemberKeys member, Role role, long validFrom,
            long validUntil) {
        EnrolmentCertificate c = new EnrolmentCertificate(member.verifyingKey().bytes(),
                member.encryptionPublicKey().bytes(), role, "Institution of " + role.id(), validFrom, validUntil,
                EnrolmentCertificate.Status.ACTIVE, validFrom, issuer.verifyingKey().bytes());
        return SignedCertificate.issue(issuer.signingKey(), c);
    }

    /** A monitor's signed verdict on the block, with the monitor's certificate from the authority. */
    public VerdictEntry verdict(MemberKeys monitor, Verdict.Decision decision) {
        return verdict(monitor, decision, T0 + 120_000, certificate(authority, monitor, Role.MONITOR));
    }

    public VerdictEntry verdict(MemberKeys monitor, Verdict.Decision decision, long issuedAt,
            SignedCertificate certificate) {
        Verdict v = new Verdict(Verdict.SubjectKind.BLOCK, block.hash(), CHAIN, decision,
                decision == Verdict.Decision.ACCEPT ? "" : "delegate-signature", EPOCH,
                monitor.verifyingKey().bytes(), issuedAt);
        return new VerdictEntry(v, Signatures.sign(monitor.signingKey(), v.toBytes()), certificate);
    }

    /** Both monitors accept. */
    public List<VerdictEntry> acceptingVerdicts() {
        return List.of(verdict(monitor1, Verdict.Decision.ACCEPT), verdict(monitor2, Verdict.Decision.ACCEPT));
    }

    /** The complete, valid bundle. */
    public ProofBundle bundle() {
        return bundle(Part.BITCOIN, delegateCertificate, acceptingVerdicts());
    }

    /** The valid bundle up to {@code last}. */
    public ProofBundle bundle(Part last) {
        return bundle(last, delegateCertificate, acceptingVerdicts());
    }

    /** A bundle up to {@code last} with the given delegate certificate and verdicts. */
    public ProofBundle bundle(Part last, SignedCertificate delegateCert, List<VerdictEntry> verdicts) {
        ProofBundle.Builder b = ProofBundle.builder(authority.verifyingKey())
                .transaction(transaction())
                .block(block, blockTree.inclusionProof(TX_INDEX), blockSignature, delegateCert);
        for (VerdictEntry v : verdicts) {
            b.verdict(v.verdict(), v.signature(), v.certificate());
        }
        if (last.compareTo(Part.ANCHOR) >= 0) {
            b.anchor(anchor, anchorTree.inclusionProof(BLOCK_INDEX));
        }
        if (last.compareTo(Part.BITCOIN) >= 0) {
            b.bitcoin(BitcoinNetwork.REGTEST, anchoringTx.toBytes(), BITCOIN_TX_INDEX,
                    bitcoinBlock.branch(BITCOIN_TX_INDEX), BITCOIN_HEIGHT, bitcoinBlock.header().toBytes());
        }
        return b.build();
    }

    private Transaction transaction(int i) {
        MaskedRecord masked = new MaskedRecord("submission-" + i, T0 + 1_000 * i, BodyFormat.FLAT_JSON,
                ("{\"age\":\"[60, 65]\",\"disease\":\"flu\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                "paper", "1", bytes(32), bytes(32), patient.verifyingKey().bytes(), patient.verifyingKey().bytes(),
                gateway.verifyingKey().bytes(),
                List.of(new MaskedRecord.EncryptedAttachmentRef("application/pdf", 100, 116, bytes(32), bytes(12),
                        List.of(bytes(MaskedRecord.WRAPPED_KEY_SIZE)))));
        byte[] maskedBytes = masked.toBytes();
        return new Transaction(maskedBytes, Signatures.sign(gateway.signingKey(), maskedBytes),
                List.of(bytes(36)), CHAIN, FIRST_SEQUENCE + i, EPOCH, delegate.verifyingKey().bytes(), T0 + 1_500 * i);
    }

    private byte[] p2wpkh() {
        byte[] script = new byte[22];
        script[1] = 0x14;
        byte[] hash = bytes(20);
        System.arraycopy(hash, 0, script, 2, 20);
        return script;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
