package org.emrsb.core.monitor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.gateway.GatewayFixture;
import org.emrsb.core.gateway.GatewayOutcome;
import org.emrsb.core.gateway.RawSubmission;
import org.emrsb.core.governance.DelegateEntry;
import org.emrsb.core.governance.DelegateStatus;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.ipfs.Cid;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.merkle.MerkleTree;

/**
 * A chain to monitor: the gateway fixture's alliance plus two delegates and a monitor, enrolled; epochs
 * 1 (delegate ACTIVE, second STANDBY), 2 (delegate STANDBY, second ACTIVE) and 3 (delegate EVICTED);
 * and real gateway-signed masked records with one encrypted attachment and its raw-leaf CID.
 */
final class MonitorFixture {

    static final long NOW = GatewayFixture.NOW;
    static final long CHAIN = 3;
    static final byte[] ZERO_HASH = new byte[32];

    final GatewayFixture alliance = new GatewayFixture();
    final MemberKeys delegate = GatewayFixture.keys(Role.DELEGATE, 40);
    final MemberKeys second = GatewayFixture.keys(Role.DELEGATE, 41);
    final MemberKeys monitor = GatewayFixture.keys(Role.MONITOR, 42);
    final Map<Long, GovernanceEpoch> epochs = new HashMap<>();

    MonitorFixture() {
        for (MemberKeys member : List.of(delegate, second, monitor)) {
            alliance.enrol(member, EnrolmentCertificate.Status.ACTIVE, NOW - 1000);
        }
        epochs.put(1L, epoch(1, DelegateStatus.ACTIVE, DelegateStatus.STANDBY));
        epochs.put(2L, epoch(2, DelegateStatus.STANDBY, DelegateStatus.ACTIVE));
        epochs.put(3L, epoch(3, DelegateStatus.EVICTED, DelegateStatus.ACTIVE));
    }

    private GovernanceEpoch epoch(long number, DelegateStatus first, DelegateStatus other) {
        return new GovernanceEpoch(number, NOW - 10_000 + number, List.of(
                new DelegateEntry(delegate.verifyingKey().bytes(), first, 3),
                new DelegateEntry(second.verifyingKey().bytes(), other, 2)), "test epoch " + number);
    }

    EpochLookup epochLookup() {
        return n -> Optional.ofNullable(epochs.get(n));
    }

    MemberDirectory members() {
        return alliance.directory();
    }

    TransactionChecks transactionChecks() {
        return new TransactionChecks(epochLookup(), members());
    }

    BlockChecks blockChecks() {
        return new BlockChecks(epochLookup());
    }

    /** A gateway-signed masked record (the paper row, one attachment) with its signature and CIDs. */
    record Offloaded(MaskedRecord record, byte[] signature, List<byte[]> cids) {
        byte[] bytes() {
            return record.toBytes();
        }
    }

    /** The gateway's real output for submission {@code id}, offloaded: its one CID is the raw leaf. */
    Offloaded offloaded(String id) {
        byte[] scan = ("scan of " + id).getBytes(StandardCharsets.UTF_8);
        GatewayOutcome.Masked masked = (GatewayOutcome.Masked) alliance.gateway().process(alliance.byDoctor(id,
                GatewayFixture.PAPER_ROW_1, List.of(new RawSubmission.Attachment("scan.dcm", "application/dicom", scan))));
        byte[] cid = Cid.rawLeaf(masked.record().attachments().get(0).ciphertextSha256()).bytes();
        return new Offloaded(masked.record(), masked.signature(), List.of(cid));
    }

    /** {@code record} signed by the enrolled gateway, with raw-leaf CIDs of its attachments' ciphertext. */
    Offloaded gatewaySigned(MaskedRecord record) {
        byte[] bytes = record.toBytes();
        List<byte[]> cids = record.attachments().stream().map(a -> Cid.rawLeaf(a.ciphertextSha256()).bytes()).toList();
        return new Offloaded(record, Signatures.sign(alliance.gatewayKeys.signingKey(), bytes), cids);
    }

    /** The offloaded record as the transaction {@code sequence} of the chain, signed by {@code signer}. */
    static SignedTransaction sign(Offloaded o, long sequence, long epoch, MemberKeys signer) {
        Transaction tx = new Transaction(o.bytes(), o.signature(), o.cids(), CHAIN, sequence, epoch,
                signer.verifyingKey().bytes(), NOW + 1000 + sequence);
        byte[] bytes = tx.toBytes();
        return new SignedTransaction(tx, bytes, Signatures.sign(signer.signingKey(), bytes));
    }

    /** A valid transaction at {@code sequence}, epoch 1, signed by the ACTIVE delegate. */
    SignedTransaction transaction(long sequence) {
        return sign(offloaded("sub-" + sequence), sequence, 1, delegate);
    }

    /** A copy of {@code signed} whose bytes have byte {@code index} flipped (structure and signature kept). */
    static SignedTransaction flippedBytes(SignedTransaction signed, int index) {
        byte[] bytes = signed.bytes().clone();
        bytes[index] ^= 0x01;
        return new SignedTransaction(signed.tx(), bytes, signed.signature());
    }

    /** The header sealing {@code txs} (in order) at {@code height} after {@code previous}, under {@code epoch}. */
    BlockHeader header(List<SignedTransaction> txs, long height, byte[] previous, long epoch, MemberKeys signer) {
        List<byte[]> ids = txs.stream().map(SignedTransaction::idBytes).toList();
        return new BlockHeader(CHAIN, height, previous, NOW, NOW + 60_000, txs.size(), txs.get(0).tx().sequence(),
                txs.get(txs.size() - 1).tx().sequence(), MerkleTree.rootOfLeafData(ids), epoch,
                signer.verifyingKey().bytes());
    }

    static SealedBlock seal(BlockHeader header, MemberKeys signer) {
        byte[] bytes = header.toBytes();
        return new SealedBlock(header, bytes, header.hash(), Signatures.sign(signer.signingKey(), bytes));
    }

    /** A copy of a masked record with another body. */
    static MaskedRecord withBody(MaskedRecord r, String body) {
        return new MaskedRecord(r.submissionId(), r.maskedAt(), r.format(), body.getBytes(StandardCharsets.UTF_8),
                r.policyId(), r.policyVersion(), r.policyHash(), r.rawCommitment(), r.submitterKey(), r.counterpartyKey(),
                r.gatewayKey(), r.attachments());
    }

    static MaskedRecord withMaskedAt(MaskedRecord r, long maskedAt) {
        return new MaskedRecord(r.submissionId(), maskedAt, r.format(), r.maskedBody(), r.policyId(), r.policyVersion(),
                r.policyHash(), r.rawCommitment(), r.submitterKey(), r.counterpartyKey(), r.gatewayKey(), r.attachments());
    }

    static MaskedRecord withCounterparty(MaskedRecord r, byte[] counterparty) {
        return new MaskedRecord(r.submissionId(), r.maskedAt(), r.format(), r.maskedBody(), r.policyId(),
                r.policyVersion(), r.policyHash(), r.rawCommitment(), r.submitterKey(), counterparty, r.gatewayKey(),
                r.attachments());
    }

    static MaskedRecord withAttachments(MaskedRecord r, List<MaskedRecord.EncryptedAttachmentRef> attachments) {
        return new MaskedRecord(r.submissionId(), r.maskedAt(), r.format(), r.maskedBody(), r.policyId(),
                r.policyVersion(), r.policyHash(), r.rawCommitment(), r.submitterKey(), r.counterpartyKey(),
                r.gatewayKey(), attachments);
    }

    static MaskedRecord withPolicyHash(MaskedRecord r, byte[] policyHash) {
        return new MaskedRecord(r.submissionId(), r.maskedAt(), r.format(), r.maskedBody(), r.policyId(),
                r.policyVersion(), policyHash, r.rawCommitment(), r.submitterKey(), r.counterpartyKey(),
                r.gatewayKey(), r.attachments());
    }

    /** A valid 18-digit resident ID: Beijing Dongcheng, born 1949-12-31, sequence 002, its check digit. */
    static String validResidentId() {
        String first17 = "11010119491231002";
        return first17 + org.emrsb.core.masking.ResidentIds.checkDigit(first17);
    }

    static byte[] filled(int value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
