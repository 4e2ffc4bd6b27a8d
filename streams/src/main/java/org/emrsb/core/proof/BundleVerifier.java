package org.emrsb.core.proof;

import org.emrsb.core.governance.SignedCertificate;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.emrsb.core.bitcoin.BitcoinHeader;
import org.emrsb.core.bitcoin.BitcoinMerkle;
import org.emrsb.core.bitcoin.BitcoinNetwork;
import org.emrsb.core.bitcoin.BitcoinTransaction;
import org.emrsb.core.bitcoin.BlockHashLookup;
import org.emrsb.core.bitcoin.DoubleSha256;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.AnchorHeader;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.format.Verdict;
import org.emrsb.core.merkle.InclusionProof;
import org.emrsb.core.merkle.MerkleHasher;
import org.emrsb.core.merkle.MerkleProofException;
import org.emrsb.core.merkle.ProofVerifier;
import org.emrsb.core.proof.ProofBundle.AnchorPart;
import org.emrsb.core.proof.ProofBundle.BitcoinPart;
import org.emrsb.core.proof.ProofBundle.BlockPart;
import org.emrsb.core.proof.ProofBundle.VerdictPart;
import org.emrsb.core.proof.VerificationReport.Status;
import org.emrsb.core.proof.VerificationReport.Step;

/**
 * Checks a {@link ProofBundle} offline, link by link, in the order of docs/ledger-format.md ("Proof
 * bundle: verification"), and records every step in a {@link VerificationReport}. Verification stops
 * at the first failed step. Every binary value is decoded where it is first used, strictly (lowercase
 * hex, exact length), so a malformed value fails the step that needs it, named. Only the Bitcoin
 * height needs the outside world: it is reported {@link Status#UNVERIFIED} unless a
 * {@link BlockHashLookup} is given. Stateless and thread-safe.
 */
public final class BundleVerifier {

    /**
     * What to require and whom to trust.
     *
     * @param require   the last part the bundle must reach ({@link Part#BITCOIN} by default); parts
     *                  present beyond it are checked all the same
     * @param authority the enrolment authority certificates must chain to; null to trust the bundle's
     *                  own {@code authorityKey} (reported as such)
     * @param quorum    how many distinct monitors must have accepted the block; 0 for a ledger that runs
     *                  without monitors, which the report then says in its {@code block.quorum} step
     * @param bitcoind  where to confirm the Bitcoin block's height; null to leave it unverified
     */
    public record Options(Part require, VerifyingKey authority, int quorum, BlockHashLookup bitcoind) {
        public Options {
            Objects.requireNonNull(require, "require");
            if (quorum < 0) {
                throw new IllegalArgumentException("the quorum is at least 0, was " + quorum);
            }
        }

        /** Require everything up to Bitcoin, trust the bundle's authority, quorum 1, height unverified. */
        public static Options defaults() {
            return new Options(Part.BITCOIN, null, 1, null);
        }

        public Options withRequire(Part part) {
            return new Options(part, authority, quorum, bitcoind);
        }

        public Options withAuthority(VerifyingKey key) {
            return new Options(require, key, quorum, bitcoind);
        }

        public Options withQuorum(int n) {
            return new Options(require, authority, n, bitcoind);
        }

        public Options withBitcoind(BlockHashLookup lookup) {
            return new Options(require, authority, quorum, lookup);
        }
    }

    private final Options options;

    public BundleVerifier(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public BundleVerifier() {
        this(Options.defaults());
    }

    /** Verifies the bundle; never throws for anything the bundle holds. */
    public VerificationReport verify(ProofBundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        Run run = new Run(bundle);
        try {
            run.all();
        } catch (Stop stop) {
            // the failed step is the last one recorded
        }
        return new VerificationReport(run.steps);
    }

    /** A check that did not hold; its message is the step's detail. */
    private static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String detail) {
            super(detail, null, false, false);
        }
    }

    /** Unwinds the run after a failed step. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    @FunctionalInterface
    private interface Check {
        /** Returns the detail of a passed step. */
        String run() throws Failed, MerkleProofException, IOException;
    }

    private final class Run {
        private final ProofBundle bundle;
        private final List<Step> steps = new ArrayList<>();

        private VerifyingKey authority;
        private byte[] txBytes;
        private Transaction tx;
        private byte[] txId;
        private BlockHeader block;
        private byte[] blockHash;
        private VerifyingKey delegate;
        private AnchorHeader anchor;
        private byte[] anchorHash;
        private BitcoinNetwork network;
        private byte[] btcTxBytes;
        private BitcoinHeader btcHeader;
        private byte[] btcHeaderBytes;

        Run(ProofBundle bundle) {
            this.bundle = bundle;
        }

        void step(String name, Check check) {
            String detail;
            try {
                detail = check.run();
            } catch (Failed | MerkleProofException | IOException | FormatException | IllegalArgumentException e) {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                steps.add(new Step(name, Status.FAILED, message));
                throw new Stop();
            }
            steps.add(new Step(name, Status.OK, detail));
        }

        void all() {
            parts();
            authority();
            transaction();
            if (bundle.block() != null) {
                block(bundle.block());
            }
            if (bundle.anchor() != null) {
                anchor(bundle.anchor());
            }
            if (bundle.bitcoin() != null) {
                bitcoin(bundle.bitcoin());
            }
        }

        // ------------------------------------------------------------ bundle

        private void parts() {
            step("bundle.parts", () -> {
                Part required = options.require();
                Part highest = null;
                for (Part p : Part.values()) {
                    if (bundle.has(p)) {
                        highest = p;
                    }
                }
                Part last = highest != null && highest.compareTo(required) > 0 ? highest : required;
                List<String> present = new ArrayList<>(List.of("transaction"));
                for (Part p : Part.values()) {
                    if (p.compareTo(last) <= 0 && !bundle.has(p)) {
                        throw new Failed(p + " part missing: " + (p.compareTo(required) <= 0
                                ? "required (require " + required + ")"
                                : "the " + highest + " part present links to it"));
                    }
                    if (bundle.has(p)) {
                        present.add(p.id());
                    }
                }
                return String.join(", ", present) + " present; required up to " + required;
            });
        }

        private void authority() {
            step("bundle.authority", () -> {
                VerifyingKey named = key(bundle.authorityKey(), "authorityKey");
                if (options.authority() == null) {
                    authority = named;
                    return named + " trusted from the bundle";
                }
                if (!options.authority().equals(named)) {
                    throw new Failed("the bundle names authority " + named + ", the trusted authority is "
                            + options.authority());
                }
                authority = options.authority();
                return authority + " (given; the bundle names the same key)";
            });
        }

        // ------------------------------------------------------------ transaction

        private void transaction() {
            step("transaction.parse", () -> {
                txBytes = hex(bundle.transaction().bytes(), "transaction.bytes");
                tx = Transaction.parse(txBytes);
                return "chain " + tx.chain() + ", sequence " + tx.sequence() + ", epoch " + tx.epoch() + ", "
                        + txBytes.length + " bytes";
            });
            step("transaction.id", () -> {
                byte[] claimed = hex32(bundle.transaction().id(), "transaction.id");
                txId = Sha256.hash(txBytes);
                requireEqual(claimed, txId, "transaction.id", "SHA-256 of transaction.bytes");
                return Hex.encode(txId);
            });
            step("transaction.gateway-signature", () -> {
                MaskedRecord masked = tx.masked();
                VerifyingKey gateway = validKey(masked.gatewayKey(), "the masked record's gatewayKey");
                if (!Signatures.verify(gateway, tx.maskedRecord(), tx.gatewaySignature())) {
                    throw new Failed("the gateway signature does not verify over the masked record with " + gateway);
                }
                return "masked record " + masked.submissionId() + " signed by gateway " + gateway;
            });
        }

        // ------------------------------------------------------------ block

        private void block(BlockPart part) {
            step("block.header", () -> {
                block = BlockHeader.parse(hex(part.header(), "block.header"));
                return "chain " + block.chain() + ", height " + block.height() + ", sequences "
                        + block.firstSequence() + ".." + block.lastSequence() + ", " + block.txCount()
                        + " transactions, epoch " + block.epoch();
            });
            step("block.hash", () -> {
                byte[] claimed = hex32(part.hash(), "block.hash");
                blockHash = Sha256.hash(block.toBytes());
                requireEqual(claimed, blockHash, "block.hash", "SHA-256 of block.header");
                return Hex.encode(blockHash);
            });
            step("block.position", () -> {
                if (part.chain() != block.chain() || part.height() != block.height()) {
                    throw new Failed("block.chain " + part.chain() + " and block.height " + part.height()
                            + " differ from the header's chain " + block.chain() + " and height " + block.height());
                }
                return "chain " + block.chain() + ", height " + block.height();
            });
            step("block.transaction", () -> {
                if (tx.chain() != block.chain()) {
                    throw new Failed("the transaction is on chain " + tx.chain() + ", the block on chain " + block.chain());
                }
                if (tx.sequence() < block.firstSequence() || tx.sequence() > block.lastSequence()) {
                    throw new Failed("the transaction's sequence " + tx.sequence() + " is outside the block's "
                            + block.firstSequence() + ".." + block.lastSequence());
                }
                if (tx.epoch() > block.epoch()) {
                    throw new Failed("the transaction's epoch " + tx.epoch() + " is after the block's epoch " + block.epoch());
                }
                return "sequence " + tx.sequence() + " in " + block.firstSequence() + ".." + block.lastSequence()
                        + ", epoch " + tx.epoch() + " <= " + block.epoch();
            });
            step("block.inclusion", () -> {
                if (part.treeSize() != block.txCount()) {
                    throw new Failed("block.treeSize " + part.treeSize() + " is not the header's txCount " + block.txCount());
                }
                InclusionProof proof = new InclusionProof(range(part.leafIndex(), part.treeSize(), "block.leafIndex"),
                        part.treeSize(), hashes(part.path(), "block.path"));
                ProofVerifier.verifyInclusion(MerkleHasher.sha256().hashLeaf(txId), proof, block.merkleRoot());
                return "transaction id is leaf " + part.leafIndex() + " of " + part.treeSize() + " under merkleRoot "
                        + Hex.encode(block.merkleRoot());
            });
            step("block.delegate-key", () -> {
                byte[] claimed = hex32(part.delegateKey(), "block.delegateKey");
                requireEqual(claimed, block.delegateKey(), "block.delegateKey", "the header's delegateKey");
                delegate = validKey(claimed, "block.delegateKey");
                return delegate.toString();
            });
            step("block.delegate-signature", () -> {
                byte[] signature = hex(part.signature(), Signatures.SIZE, "block.signature");
                if (!Signatures.verify(delegate, block.toBytes(), signature)) {
                    throw new Failed("the delegate's signature does not verify over the block header");
                }
                return "block header signed by " + delegate;
            });
            SignedCertificate[] delegateCert = new SignedCertificate[1];
            step("block.delegate-certificate", () -> {
                delegateCert[0] = certificate(part.delegateCertificate(), "block.delegateCertificate");
                return "issued by the authority to " + delegateCert[0].certificate().institution();
            });
            step("block.delegate-enrolment", () -> enrolment(delegateCert[0].certificate(), Role.DELEGATE, delegate,
                    block.intervalStart(), "the block's intervalStart"));
            Set<String> accepting = new LinkedHashSet<>();
            int rejecting = 0;
            for (int i = 0; i < part.verdicts().size(); i++) {
                Verdict verdict = verdict(part.verdicts().get(i), i);
                if (verdict.decision() == Verdict.Decision.ACCEPT) {
                    accepting.add(Hex.encode(verdict.monitorKey()));
                } else {
                    rejecting++;
                }
            }
            int rejected = rejecting;
            step("block.quorum", () -> {
                String counted = accepting.size() + " distinct monitor(s) accepted, " + rejected + " rejected, "
                        + options.quorum() + " needed";
                if (accepting.size() < options.quorum()) {
                    throw new Failed(counted);
                }
                return options.quorum() == 0 ? counted + ": no monitor verdicts required (quorum 0)" : counted;
            });
        }

        private Verdict verdict(VerdictPart part, int i) {
            String at = "block.verdicts[" + i + "]";
            String name = at;
            Verdict[] verdict = new Verdict[1];
            VerifyingKey[] monitor = new VerifyingKey[1];
            SignedCertificate[] certificate = new SignedCertificate[1];
            byte[][] bytes = new byte[1][];
            step(name, () -> {
                bytes[0] = hex(part.bytes(), at + ".bytes");
                Verdict v = Verdict.parse(bytes[0]);
                if (v.kind() != Verdict.SubjectKind.BLOCK) {
                    throw new Failed("a verdict on a " + v.kind() + ", not on the block");
                }
                if (!MessageDigest.isEqual(v.subject(), blockHash)) {
                    throw new Failed("the verdict's subject " + Hex.encode(v.subject()) + " is not the block hash");
                }
                if (v.chain() != block.chain()) {
                    throw new Failed("the verdict is for chain " + v.chain() + ", the block is on chain " + block.chain());
                }
                verdict[0] = v;
                return v.decision() + (v.check().isEmpty() ? "" : " (" + v.check() + ")") + " on the block, epoch "
                        + v.epoch();
            });
            step(name + ".monitor-key", () -> {
                byte[] claimed = hex32(part.monitorKey(), at + ".monitorKey");
                requireEqual(claimed, verdict[0].monitorKey(), at + ".monitorKey", "the verdict's monitorKey");
                monitor[0] = validKey(claimed, at + ".monitorKey");
                return monitor[0].toString();
            });
            step(name + ".signature", () -> {
                byte[] signature = hex(part.signature(), Signatures.SIZE, at + ".signature");
                if (!Signatures.verify(monitor[0], bytes[0], signature)) {
                    throw new Failed("the monitor's signature does not verify over the verdict");
                }
                return "verdict signed by " + monitor[0];
            });
            step(name + ".certificate", () -> {
                certificate[0] = certificate(part.certificate(), at + ".certificate");
                return "issued by the authority to " + certificate[0].certificate().institution();
            });
            step(name + ".enrolment", () -> enrolment(certificate[0].certificate(), Role.MONITOR, monitor[0],
                    verdict[0].issuedAt(), "the verdict's issuedAt"));
            return verdict[0];
        }

        /** Parses a signed certificate and checks the authority's signature and the issuer key. */
        private SignedCertificate certificate(String text, String field) throws Failed {
            byte[] bytes = hex(text, field);
            SignedCertificate signed;
            try {
                signed = SignedCertificate.parse(bytes);
            } catch (FormatException e) {
                throw new Failed(field + ": " + e.getMessage());
            }
            if (!MessageDigest.isEqual(signed.certificate().issuerKey(), authority.bytes())) {
                throw new Failed(field + ": issued by " + VerifyingKey.PREFIX + Hex.encode(signed.certificate().issuerKey())
                        + ", not by the trusted authority " + authority);
            }
            if (!signed.issuedBy(authority)) {
                throw new Failed(field + ": the authority's signature does not verify");
            }
            return signed;
        }

        private String enrolment(EnrolmentCertificate c, Role role, VerifyingKey member, long at, String when)
                throws Failed {
            if (c.role() != role) {
                throw new Failed("the certificate enrols a " + c.role() + ", not a " + role);
            }
            if (!MessageDigest.isEqual(c.memberKey(), member.bytes())) {
                throw new Failed("the certificate is for member " + VerifyingKey.PREFIX + Hex.encode(c.memberKey())
                        + ", not " + member);
            }
            if (!c.validAt(at)) {
                throw new Failed("the certificate (" + c.status() + ", valid " + c.validFrom() + ".." + c.validUntil()
                        + ") is not valid at " + when + " " + at);
            }
            return role + " " + member + " of " + c.institution() + ", " + c.status() + " at " + when + " " + at;
        }

        // ------------------------------------------------------------ anchor

        private void anchor(AnchorPart part) {
            step("anchor.header", () -> {
                anchor = AnchorHeader.parse(hex(part.header(), "anchor.header"));
                return "sequence " + anchor.sequence() + ", " + anchor.blockCount() + " blocks, interval "
                        + anchor.intervalStart() + ".." + anchor.intervalEnd();
            });
            step("anchor.hash", () -> {
                byte[] claimed = hex32(part.hash(), "anchor.hash");
                anchorHash = Sha256.hash(anchor.toBytes());
                requireEqual(claimed, anchorHash, "anchor.hash", "SHA-256 of anchor.header");
                return Hex.encode(anchorHash);
            });
            step("anchor.sequence", () -> {
                if (part.sequence() != anchor.sequence()) {
                    throw new Failed("anchor.sequence " + part.sequence() + " is not the header's " + anchor.sequence());
                }
                return Long.toString(anchor.sequence());
            });
            step("anchor.inclusion", () -> {
                if (part.treeSize() != anchor.blockCount()) {
                    throw new Failed("anchor.treeSize " + part.treeSize() + " is not the header's blockCount "
                            + anchor.blockCount());
                }
                InclusionProof proof = new InclusionProof(range(part.leafIndex(), part.treeSize(), "anchor.leafIndex"),
                        part.treeSize(), hashes(part.path(), "anchor.path"));
                ProofVerifier.verifyInclusion(MerkleHasher.sha256().hashLeaf(blockHash), proof, anchor.merkleRoot());
                return "block hash is leaf " + part.leafIndex() + " of " + part.treeSize() + " under merkleRoot "
                        + Hex.encode(anchor.merkleRoot());
            });
        }

        // ------------------------------------------------------------ bitcoin

        private void bitcoin(BitcoinPart part) {
            step("bitcoin.network", () -> {
                network = BitcoinNetwork.fromId(part.network());
                return network.id() + String.format(", proof-of-work limit 0x%08x", network.powLimitBits());
            });
            BitcoinTransaction[] btcTx = new BitcoinTransaction[1];
            step("bitcoin.tx", () -> {
                btcTxBytes = hex(part.tx(), "bitcoin.tx");
                btcTx[0] = BitcoinTransaction.parse(btcTxBytes);
                return btcTx[0].inputs().size() + " input(s), " + btcTx[0].outputs().size() + " output(s), "
                        + btcTxBytes.length + " bytes";
            });
            step("bitcoin.txid", () -> {
                byte[] claimed = hex32(part.txid(), "bitcoin.txid");
                byte[] txid = DoubleSha256.hash(btcTxBytes);
                requireEqual(claimed, txid, "bitcoin.txid", "double SHA-256 of bitcoin.tx");
                return Hex.encode(txid) + " (display order " + Hex.encode(DoubleSha256.reverse(txid)) + ")";
            });
            step("bitcoin.op-return", () -> {
                if (!btcTx[0].hasOpReturnOf(anchorHash)) {
                    throw new Failed("no output's script is OP_RETURN with a 32-byte push of the anchor hash "
                            + Hex.encode(anchorHash));
                }
                return "an output is OP_RETURN " + Hex.encode(anchorHash);
            });
            step("bitcoin.header", () -> {
                btcHeaderBytes = hex(part.header(), "bitcoin.header");
                btcHeader = BitcoinHeader.parse(btcHeaderBytes);
                return String.format("version 0x%08x, time %d, nBits 0x%08x, nonce %d", btcHeader.version(),
                        btcHeader.time(), btcHeader.bits(), btcHeader.nonce());
            });
            step("bitcoin.block-hash", () -> {
                byte[] claimed = hex32(part.blockHash(), "bitcoin.blockHash");
                byte[] hash = DoubleSha256.hash(btcHeaderBytes);
                requireEqual(claimed, hash, "bitcoin.blockHash", "double SHA-256 of bitcoin.header");
                return Hex.encode(hash) + " (display order " + Hex.encode(DoubleSha256.reverse(hash)) + ")";
            });
            step("bitcoin.proof-of-work", () -> {
                BigInteger target;
                try {
                    target = btcHeader.target();
                } catch (IllegalArgumentException e) {
                    throw new Failed(e.getMessage());
                }
                if (target.compareTo(network.powLimit()) > 0) {
                    throw new Failed(String.format("nBits 0x%08x is easier than %s's limit 0x%08x", btcHeader.bits(),
                            network.id(), network.powLimitBits()));
                }
                BigInteger value = BitcoinHeader.hashValue(DoubleSha256.hash(btcHeaderBytes));
                if (value.compareTo(target) > 0) {
                    throw new Failed(String.format("the block hash is above the target of nBits 0x%08x", btcHeader.bits()));
                }
                return String.format("block hash <= target of nBits 0x%08x (<= %s limit 0x%08x)", btcHeader.bits(),
                        network.id(), network.powLimitBits());
            });
            step("bitcoin.merkle-branch", () -> {
                int levels = part.branch().size();
                long index = part.txIndex();
                if (index < 0 || (levels < 63 && index >= (1L << levels))) {
                    throw new Failed("bitcoin.txIndex " + index + " is outside 0..2^" + levels + "-1 for a branch of "
                            + levels + " hashes");
                }
                List<byte[]> branch = hashes(part.branch(), "bitcoin.branch");
                byte[] root = BitcoinMerkle.rootFromBranch(DoubleSha256.hash(btcTxBytes), index, branch);
                if (!MessageDigest.isEqual(root, btcHeader.merkleRoot())) {
                    throw new Failed("the branch leads to " + Hex.encode(root) + ", the header's merkle root is "
                            + Hex.encode(btcHeader.merkleRoot()));
                }
                return "tx " + index + " of the block, " + levels + " levels, to merkle root "
                        + Hex.encode(btcHeader.merkleRoot());
            });
            if (part.height() < 0) {
                step("bitcoin.height", () -> {
                    throw new Failed("bitcoin.height " + part.height() + " is negative");
                });
            }
            String display = Hex.encode(DoubleSha256.reverse(btcHeader.hash()));
            if (options.bitcoind() == null) {
                steps.add(new Step("bitcoin.height", Status.UNVERIFIED, "height " + part.height()
                        + " unverified offline (no bitcoind to ask)"));
                return;
            }
            step("bitcoin.height", () -> {
                String atHeight = options.bitcoind().blockHashAt(part.height());
                if (!display.equals(atHeight)) {
                    throw new Failed("the node's block at height " + part.height() + " is " + atHeight + ", not " + display);
                }
                return "the node's block at height " + part.height() + " is " + display;
            });
        }

        // ------------------------------------------------------------ decoding

        private byte[] hex(String text, String field) throws Failed {
            try {
                return Hex.decode(text, field);
            } catch (IllegalArgumentException e) {
                throw new Failed(e.getMessage());
            }
        }

        private byte[] hex(String text, int length, String field) throws Failed {
            try {
                return Hex.decode(text, length, field);
            } catch (IllegalArgumentException e) {
                throw new Failed(e.getMessage());
            }
        }

        private byte[] hex32(String text, String field) throws Failed {
            return hex(text, 32, field);
        }

        private List<byte[]> hashes(List<String> texts, String field) throws Failed {
            List<byte[]> out = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                out.add(hex32(texts.get(i), field + "[" + i + "]"));
            }
            return out;
        }

        private VerifyingKey key(String text, String field) throws Failed {
            try {
                return VerifyingKey.parse(text);
            } catch (IllegalArgumentException e) {
                throw new Failed(field + ": " + e.getMessage());
            }
        }

        private VerifyingKey validKey(byte[] bytes, String what) throws Failed {
            try {
                return VerifyingKey.of(bytes);
            } catch (IllegalArgumentException e) {
                throw new Failed(what + ": " + e.getMessage());
            }
        }

        private long range(long index, long size, String field) throws Failed {
            if (index < 0 || index >= size) {
                throw new Failed(field + " " + index + " is outside the tree of " + size + " leaves");
            }
            return index;
        }

        private void requireEqual(byte[] claimed, byte[] actual, String field, String what) throws Failed {
            if (!MessageDigest.isEqual(claimed, actual)) {
                throw new Failed(field + " " + Hex.encode(claimed) + " is not " + what + " " + Hex.encode(actual));
            }
        }
    }
}
