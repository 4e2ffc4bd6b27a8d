package org.emrsb.bench;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.emrsb.avro.RecordFormat;
import org.emrsb.avro.Submission;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.Verdict;
import org.emrsb.core.gateway.Gateway;
import org.emrsb.core.gateway.GatewayOutcome;
import org.emrsb.core.gateway.GatewaySecrets;
import org.emrsb.core.governance.DelegateEntry;
import org.emrsb.core.governance.DelegateStatus;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.core.ledger.ChainHead;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.masking.MaskingPolicy;
import org.emrsb.core.monitor.ChainWatch;
import org.emrsb.core.monitor.CheckOutcome;
import org.emrsb.core.monitor.SignedVerdict;
import org.emrsb.core.monitor.TransactionChecks;
import org.emrsb.core.monitor.Verdicts;
import org.emrsb.stream.AvroMapping;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A monitor's per-transaction CPU on one thread: {@code verdict} is every check of a transaction (the
 * delegate's and the gateway's signatures, the epoch, the enrolments, the masked-content scan, the CIDs,
 * the sequence) plus signing the verdict, i.e. verdicts per second per core; {@code checksOnly} leaves
 * the verdict's signature out. A paper record, masked by the paper profile, without attachments.
 * Signatures per verdict: two verifications and one signature (SignatureBench gives their cost).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MonitorBench {

    private static final int CHAIN_LENGTH = 4096;

    private final List<SignedTransaction> chain = new ArrayList<>();
    private TransactionChecks checks;
    private MemberKeys monitor;
    private ChainWatch watch;
    private int next;

    @Setup
    public void setUp() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(7);
        MemberKeys authority = MemberKeys.generate(Role.AUTHORITY, random);
        MemberKeys gatewayKeys = MemberKeys.generate(Role.GATEWAY, random);
        MemberKeys doctor = MemberKeys.generate(Role.DOCTOR, random);
        MemberKeys patient = MemberKeys.generate(Role.PATIENT, random);
        MemberKeys delegate = MemberKeys.generate(Role.DELEGATE, random);
        monitor = MemberKeys.generate(Role.MONITOR, random);
        long now = System.currentTimeMillis();
        Map<String, SignedCertificate> enrolled = new HashMap<>();
        for (MemberKeys member : List.of(gatewayKeys, doctor, patient, delegate, monitor)) {
            EnrolmentCertificate certificate = new EnrolmentCertificate(member.verifyingKey().bytes(),
                    member.encryptionPublicKey().bytes(), member.role(), "Bench", now - 60_000, now + 86_400_000L,
                    EnrolmentCertificate.Status.ACTIVE, now - 60_000, authority.verifyingKey().bytes());
            enrolled.put(Hex.encode(member.verifyingKey().bytes()), SignedCertificate.issue(authority.signingKey(), certificate));
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        Gateway gateway = new Gateway(gatewayKeys, new GatewaySecrets(secret), MaskingPolicy.paper(),
                key -> Optional.ofNullable(enrolled.get(Hex.encode(key))), Clock.systemUTC(), random);
        GovernanceEpoch epoch = new GovernanceEpoch(1, now - 60_000,
                List.of(new DelegateEntry(delegate.verifyingKey().bytes(), DelegateStatus.ACTIVE, 1)), "bench");
        checks = new TransactionChecks(n -> n == 1 ? Optional.of(epoch) : Optional.empty(),
                key -> Optional.ofNullable(enrolled.get(Hex.encode(key))));

        ChainHead head = ChainHead.genesis(0);
        for (int i = 0; i < CHAIN_LENGTH; i++) {
            Submission submission = Submission.newBuilder().setSubmissionId("bench-" + i).setSubmittedAt(Instant.now())
                    .setFormat(RecordFormat.FLAT_JSON).setBody(GatewayBench.RECORD).setAttachments(List.of())
                    .setSubmitterKey(ByteBuffer.wrap(doctor.verifyingKey().bytes()))
                    .setCounterpartyKey(ByteBuffer.wrap(patient.verifyingKey().bytes()))
                    .setSignature(ByteBuffer.allocate(0)).build();
            submission.setSignature(ByteBuffer.wrap(Signatures.sign(doctor.signingKey(),
                    AvroMapping.toRaw(submission).body().toBytes())));
            GatewayOutcome.Masked masked = (GatewayOutcome.Masked) gateway.process(AvroMapping.toRaw(submission));
            chain.add(head.sequence(masked.record().toBytes(), masked.signature(), List.of(), 1, delegate.signingKey(),
                    now));
        }
        watch = ChainWatch.genesis(0);
    }

    private SignedTransaction nextTransaction() {
        if (next == CHAIN_LENGTH) {
            next = 0;
            watch = ChainWatch.genesis(0);
        }
        return chain.get(next++);
    }

    /** Every check of a transaction and the signed verdict: one monitor's verdicts per second per core. */
    @Benchmark
    public SignedVerdict verdict() {
        SignedTransaction tx = nextTransaction();
        CheckOutcome outcome = checks.check(tx, watch);
        watch.recordJudged(tx.tx().sequence());
        return Verdicts.of(monitor.signingKey(), outcome, Verdict.SubjectKind.TRANSACTION, tx.idBytes(), 0, 1,
                System.currentTimeMillis());
    }

    /** The checks alone, without signing the verdict. */
    @Benchmark
    public CheckOutcome checksOnly() {
        SignedTransaction tx = nextTransaction();
        CheckOutcome outcome = checks.check(tx, watch);
        watch.recordJudged(tx.tx().sequence());
        return outcome;
    }
}
