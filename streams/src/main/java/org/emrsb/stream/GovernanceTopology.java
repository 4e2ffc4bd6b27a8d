package org.emrsb.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.emrsb.avro.DelegateState;
import org.emrsb.avro.DelegateStatusCode;
import org.emrsb.avro.DelegateStatusRecord;
import org.emrsb.avro.EpochRecord;
import org.emrsb.avro.GovernanceVote;
import org.emrsb.avro.LedgerViolation;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.monitor.EvidenceVerifier;
import org.emrsb.core.monitor.SignedViolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.governance.DelegateEntry;
import org.emrsb.core.governance.Election;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.governance.SignedVote;

/**
 * The governance processor: governance.votes and ledger.violations → governance.epochs and
 * governance.delegates (paper §4.3).
 * A single-partition stage and the only writer of epochs: it applies each signed approval vote to the
 * {@link Election} (whose whole state is one value in {@link Stores#GOVERNANCE_ELECTION}) and, when a
 * delegate's status changes, writes the new epoch with its whole delegate set to governance.epochs and
 * each delegate's latest status to governance.delegates. A vote's time is its record's timestamp, so a
 * replay of the topic gives the same epochs. A vote that cannot be read is a dead letter; one the
 * election refuses (bad signature, voter not enrolled, stale) changes nothing.
 *
 * <p>Evidence from the monitors (ledger.violations, one partition, so the same task) is re-checked with
 * {@link EvidenceVerifier} against this alliance's members and epochs; proven evidence evicts the
 * delegate at a new epoch, once, however many monitors report it. Evidence that does not hold is a dead
 * letter ({@code bad-evidence}); evidence about an epoch this processor has not seen yet waits is also
 * a dead letter ({@code evidence-pending}) with its reason, to be replayed by an operator.
 */
public final class GovernanceTopology {

    public static final String SOURCE = "governance-source";
    public static final String VIOLATIONS_SOURCE = "governance-violations-source";
    public static final String PROCESSOR = "governance-election";
    public static final String EPOCHS_SINK = "governance-epochs-sink";
    public static final String DELEGATES_SINK = "governance-delegates-sink";
    public static final String REJECTED_SINK = "governance-rejected-sink";
    private static final String STATE = "state";
    private static final String EVIDENCE = "evidence/";
    private static final Logger LOG = LoggerFactory.getLogger(GovernanceTopology.class);

    /** @param delegates N, the number of ACTIVE delegates */
    /**
     * @param delegates            N, the number of ACTIVE delegates
     * @param evictOnMissedBlocks  whether a monitor's missed-block report evicts the delegate (an absence
     *                             nobody else can verify, so off by default: the report is only recorded)
     */
    public record Components(Serde<GovernanceVote> votes, Serde<LedgerViolation> violations, Serde<EpochRecord> epochs,
            Serde<DelegateStatusRecord> delegateStatus, Serde<RejectedRecord> rejected, VerifyingKey authority,
            int delegates, boolean evictOnMissedBlocks) {

        /** Missed-block reports are recorded, never evict. */
        public Components(Serde<GovernanceVote> votes, Serde<LedgerViolation> violations, Serde<EpochRecord> epochs,
                Serde<DelegateStatusRecord> delegateStatus, Serde<RejectedRecord> rejected, VerifyingKey authority,
                int delegates) {
            this(votes, violations, epochs, delegateStatus, rejected, authority, delegates, false);
        }
    }

    private GovernanceTopology() {
    }

    public static void build(Topology topology, Topics topics, Components components) {
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.GOVERNANCE_VOTES).name());
        topology.addSource(VIOLATIONS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.LEDGER_VIOLATIONS).name());
        topology.addProcessor(PROCESSOR, () -> new ElectionProcessor(components), SOURCE, VIOLATIONS_SOURCE);
        topology.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.GOVERNANCE_ELECTION),
                Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addSink(EPOCHS_SINK, topics.spec(Topics.GOVERNANCE_EPOCHS).name(), Serdes.String().serializer(),
                components.epochs().serializer(), PROCESSOR);
        topology.addSink(DELEGATES_SINK, topics.spec(Topics.GOVERNANCE_DELEGATES).name(), Serdes.String().serializer(),
                components.delegateStatus().serializer(), PROCESSOR);
        topology.addSink(REJECTED_SINK, topics.spec(Topics.REJECTED).name(), Serdes.ByteArray().serializer(),
                components.rejected().serializer(), PROCESSOR);
    }

    /** The Avro form of an epoch of the alliance of {@code authority}, for governance.epochs. */
    public static EpochRecord toAvro(GovernanceEpoch epoch, VerifyingKey authority) {
        List<DelegateState> delegates = new ArrayList<>();
        for (DelegateEntry entry : epoch.delegates()) {
            delegates.add(new DelegateState(VerifyingKey.PREFIX + Hex.encode(entry.key()),
                    DelegateStatusCode.valueOf(entry.status().name()), entry.approvals()));
        }
        return EpochRecord.newBuilder().setEpoch(epoch.epoch()).setEffectiveAt(Instant.ofEpochMilli(epoch.effectiveAt()))
                .setCause(epoch.cause()).setDelegates(delegates).setCanonical(ByteBuffer.wrap(epoch.toBytes()))
                .setAuthorityKey(authority.toString()).build();
    }

    static final class ElectionProcessor implements Processor<String, byte[], Object, Object> {
        private final Components components;
        private ProcessorContext<Object, Object> context;
        private KeyValueStore<String, byte[]> store;
        private MemberDirectory members;
        private Election election;
        /** The epochs this processor wrote since it started, for checking evidence; older ones from the topic. */
        private final java.util.Map<Long, GovernanceEpoch> epochs = new java.util.HashMap<>();
        private ReadOnlyKeyValueStore<String, byte[]> publishedEpochs;

        ElectionProcessor(Components components) {
            this.components = components;
        }

        @Override
        public void init(ProcessorContext<Object, Object> context) {
            this.context = context;
            this.store = context.getStateStore(Stores.GOVERNANCE_ELECTION);
            ReadOnlyKeyValueStore<String, byte[]> memberStore = context.getStateStore(Stores.MEMBERS);
            this.members = MembersGlobalStore.directory(memberStore);
            this.election = new Election(components.delegates(), components.authority());
            byte[] saved = store.get(STATE);
            if (saved != null) {
                election.restore(saved);
            }
            this.publishedEpochs = context.getStateStore(Stores.GOVERNANCE_EPOCHS);
            election.current().ifPresent(e -> epochs.put(e.epoch(), e));
            EpochsGlobalStore.currentNumber(publishedEpochs).ifPresent(election::continueAfter);
        }

        /** An epoch by number: one this processor wrote since it started, else from governance.epochs. */
        private Optional<GovernanceEpoch> epoch(long number) {
            GovernanceEpoch recent = epochs.get(number);
            return recent != null ? Optional.of(recent) : EpochsGlobalStore.epoch(publishedEpochs, number);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (context.recordMetadata().orElseThrow().topic().equals(Topics.LEDGER_VIOLATIONS)) {
                onViolation(record);
                return;
            }
            SignedVote vote;
            try {
                GovernanceVote value = components.votes().deserializer().deserialize(Topics.GOVERNANCE_VOTES, record.value());
                if (value == null) {
                    throw new IllegalArgumentException("the record has no value");
                }
                vote = new SignedVote(org.emrsb.core.format.Vote.parse(AvroMapping.bytes(value.getVote())),
                        AvroMapping.bytes(value.getSignature()));
            } catch (RuntimeException e) {
                reject(record, "bad-vote", "not a signed vote: " + e.getMessage());
                return;
            }
            Optional<GovernanceEpoch> epoch = election.apply(vote, members, record.timestamp());
            store.put(STATE, election.snapshot());
            epoch.ifPresent(e -> publish(e, record.timestamp()));
        }

        /** Monitors' evidence: checked by anyone's rules, and if it holds, the delegate is evicted (once). */
        private void onViolation(Record<String, byte[]> record) {
            SignedViolation evidence;
            try {
                LedgerViolation value = components.violations().deserializer().deserialize(Topics.LEDGER_VIOLATIONS,
                        record.value());
                evidence = new SignedViolation(org.emrsb.core.format.Violation.parse(AvroMapping.bytes(value.getCanonical())),
                        AvroMapping.bytes(value.getSignature()));
            } catch (RuntimeException e) {
                reject(record, "bad-evidence", "not a signed violation: " + e.getMessage());
                return;
            }
            if (members.certificate(evidence.violation().monitorKey()).isEmpty()) {
                return; // another alliance's monitor on the same cluster
            }
            if (org.emrsb.core.monitor.CheckNames.MISSED_BLOCK.equals(evidence.violation().check())) {
                onMissedBlock(evidence, record);
                return;
            }
            EvidenceVerifier.Result result = new EvidenceVerifier(this::epoch, members).verify(evidence);
            if (result instanceof EvidenceVerifier.Refuted refuted) {
                reject(record, "bad-evidence", refuted.reason());
                return;
            }
            if (result instanceof EvidenceVerifier.Pending pending) {
                reject(record, "evidence-pending", pending.reason());
                return;
            }
            evict(evidence, evidence.violation().check() + " violation sha256:" + Sha256.hex(evidence.toBytes()), record);
        }

        /**
         * A monitor's report that a delegate missed its blocks. Only recorded unless the policy evicts on it;
         * then the report must at least be the monitor's, and the transaction the delegate's.
         */
        private void onMissedBlock(SignedViolation report, Record<String, byte[]> record) {
            String delegate = "ed25519:" + Hex.encode(report.violation().delegateKey());
            if (!components.evictOnMissedBlocks()) {
                LOG.info("a monitor reports that delegate {} missed its blocks on chain {}; governance.evict-on-missed-"
                        + "blocks is off, so it stays on ledger.violations only", delegate, report.violation().chain());
                return;
            }
            var monitor = members.certificate(report.violation().monitorKey());
            boolean delegateSigned;
            try {
                delegateSigned = org.emrsb.core.crypto.Signatures.verify(
                        VerifyingKey.of(report.violation().delegateKey()), report.violation().signedBytes(),
                        report.violation().delegateSignature());
            } catch (IllegalArgumentException e) {
                delegateSigned = false;
            }
            if (!report.verifies() || monitor.isEmpty()
                    || monitor.get().certificate().role() != org.emrsb.core.crypto.Role.MONITOR || !delegateSigned) {
                reject(record, "bad-evidence", "a missed-block report whose signatures or monitor do not hold");
                return;
            }
            evict(report, "missed-block report sha256:" + Sha256.hex(report.toBytes()), record);
        }

        private void evict(SignedViolation evidence, String reference, Record<String, byte[]> record) {
            byte[] delegate = evidence.violation().delegateKey();
            Optional<GovernanceEpoch> epoch = election.evict(delegate, reference, record.timestamp());
            store.put(STATE, election.snapshot());
            if (epoch.isPresent()) {
                store.put(EVIDENCE + Hex.encode(delegate), reference.getBytes(StandardCharsets.UTF_8));
                publish(epoch.get(), record.timestamp());
            }
        }

        private void publish(GovernanceEpoch epoch, long timestamp) {
            epochs.put(epoch.epoch(), epoch);
            context.forward(new Record<Object, Object>(Long.toString(epoch.epoch()), toAvro(epoch, components.authority()), timestamp,
                    new RecordHeaders()), EPOCHS_SINK);
            for (DelegateEntry entry : epoch.delegates()) {
                String key = VerifyingKey.PREFIX + Hex.encode(entry.key());
                byte[] evidence = store.get(EVIDENCE + Hex.encode(entry.key()));
                DelegateStatusRecord status = new DelegateStatusRecord(key,
                        DelegateStatusCode.valueOf(entry.status().name()), entry.approvals(), epoch.epoch(),
                        Instant.ofEpochMilli(epoch.effectiveAt()),
                        evidence == null ? null : new String(evidence, StandardCharsets.UTF_8));
                context.forward(new Record<Object, Object>(key, status, timestamp, new RecordHeaders()), DELEGATES_SINK);
            }
        }

        private void reject(Record<String, byte[]> record, String reason, String detail) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            DeadLetters.forward(context, REJECTED_SINK, "governance", reason, detail, source.topic(), source.partition(),
                    source.offset(), record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                    record.value(), record.timestamp());
        }
    }
}
