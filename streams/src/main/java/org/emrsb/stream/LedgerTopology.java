package org.emrsb.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.AwaitingTransaction;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.avro.LedgerVerdict;
import org.emrsb.avro.MaskedAttachment;
import org.emrsb.avro.ParkedRecord;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.ledger.Admission;
import org.emrsb.core.ledger.ChainHead;
import org.emrsb.core.ledger.Quorum;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.Verdict;
import org.emrsb.core.monitor.SignedVerdict;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.schemas.AvroSerdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegate and block stages (paper §4.3 steps 2–4): emr.offloaded → ledger.tx and ledger.blocks.
 * They are one processor in one sub-topology because they share the chain head: a chain is a
 * partition, the head (next sequence, last block hash, the open block as a compact Merkle range) is one
 * small value in {@link Stores#LEDGER_CHAIN_HEAD}, and it moves with its task on a rebalance, so the
 * next owner continues the sequence and the hash chain; exactly-once fencing keeps two owners from
 * forking it.
 *
 * <p>For each record: {@link Admission} checks it (refusals go to emr.rejected with a reason), the head
 * assigns the next sequence and the delegate signs the canonical transaction (ledger.tx, same key,
 * partition = chain). A submission already on the chain is not signed again: a copy re-emitted upstream
 * (a second offload application, a stage re-run from earlier offsets) keeps the record's patient key, so
 * it reaches the same chain, and goes to emr.rejected as {@value #DUPLICATE}. The open block seals when it holds {@code blockMaxTransactions}, and a wall-clock
 * punctuator seals it once {@code blockInterval} has passed since its first transaction, so blocks seal
 * on time when traffic stops; an empty interval seals nothing. The instance signs only while its key is
 * ACTIVE at the current governance epoch; otherwise records wait in {@link Stores#LEDGER_PENDING}, in
 * order, for whichever ACTIVE delegate owns the chain next (the supervisor makes this instance leave).
 *
 * <p>The stage also keeps the query stores: transactions by id, the chain's sequence index (the leaves
 * of every block, for inclusion proofs), a per-patient index, blocks by height and block ends by
 * sequence. Until the monitors land, every transaction counts as accepted.
 */
public final class LedgerTopology {

    public static final String SOURCE = "ledger-source";
    public static final String VERDICTS_SOURCE = "ledger-verdicts-source";
    public static final String PROCESSOR = "ledger-delegate";
    public static final String TX_SINK = "ledger-tx-sink";
    public static final String BLOCKS_SINK = "ledger-blocks-sink";
    public static final String REJECTED_SINK = "ledger-rejected-sink";
    /** The reason of a dead letter for a copy of a submission that is already on its chain. */
    public static final String DUPLICATE = "duplicate-submission";
    private static final Logger LOG = LoggerFactory.getLogger(LedgerTopology.class);

    /**
     * @param delegate             the institution's signing key
     * @param blockInterval        seal a block this long after its first transaction
     * @param blockMaxTransactions seal a block when it holds this many transactions
     * @param pendingBudget        how long one punctuation may spend signing waiting records
     * @param quorum               how many monitors must accept a transaction before it enters a block;
     *                             {@link Quorum#none()} for a ledger without monitors
     * @param drillTamperEvery     0 for an honest delegate; n &gt; 0 makes it byzantine for a drill: every
     *                             n-th transaction it signs carries a corrupted gateway signature, which the
     *                             monitors must catch and the governance processor must evict it for
     */
    public record Components(Serde<SignedMaskedRecord> offloaded, Serde<LedgerTransaction> transactions,
            Serde<LedgerBlock> blocks, Serde<LedgerVerdict> verdicts, Serde<RejectedRecord> rejected,
            SigningKey delegate, Duration blockInterval, int blockMaxTransactions, Duration pendingBudget,
            Quorum quorum, int drillTamperEvery) {

        /** An honest delegate. */
        public Components(Serde<SignedMaskedRecord> offloaded, Serde<LedgerTransaction> transactions,
                Serde<LedgerBlock> blocks, Serde<LedgerVerdict> verdicts, Serde<RejectedRecord> rejected,
                SigningKey delegate, Duration blockInterval, int blockMaxTransactions, Duration pendingBudget,
                Quorum quorum) {
            this(offloaded, transactions, blocks, verdicts, rejected, delegate, blockInterval, blockMaxTransactions,
                    pendingBudget, quorum, 0);
        }

        public Components {
            if (blockMaxTransactions < 1) {
                throw new IllegalArgumentException("a block holds at least one transaction, max was " + blockMaxTransactions);
            }
            if (blockInterval.isNegative() || blockInterval.isZero()) {
                throw new IllegalArgumentException("the block interval must be positive, was " + blockInterval);
            }
            if (drillTamperEvery < 0) {
                throw new IllegalArgumentException("drillTamperEvery is 0 (honest) or positive, was " + drillTamperEvery);
            }
        }

        /** How often the punctuator looks at the open block: a quarter interval, between 100 ms and 1 s. */
        Duration tick() {
            long quarter = blockInterval.toMillis() / 4;
            return Duration.ofMillis(Math.max(100, Math.min(1000, quarter)));
        }
    }

    private LedgerTopology() {
    }

    /** The ledger stores, all changelogged so they move with their task. */
    static final List<String> TASK_STORES = List.of(Stores.LEDGER_CHAIN_HEAD, Stores.LEDGER_TRANSACTIONS,
            Stores.LEDGER_SEQUENCES, Stores.LEDGER_PATIENTS, Stores.LEDGER_BLOCKS, Stores.LEDGER_BLOCK_ENDS,
            Stores.LEDGER_SUBMISSIONS, Stores.LEDGER_PENDING, Stores.LEDGER_AWAITING, Stores.LEDGER_VERDICTS);

    /** Adds the stage; the topology must already hold the members and epochs global stores. */
    public static void build(Topology topology, Topics topics, Components components) {
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.OFFLOADED).name());
        topology.addSource(VERDICTS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.LEDGER_VERDICTS).name());
        topology.addProcessor(PROCESSOR, () -> new DelegateProcessor(components), SOURCE, VERDICTS_SOURCE);
        for (String store : TASK_STORES) {
            topology.addStateStore(store(store), PROCESSOR);
        }
        StreamPartitioner<String, LedgerTransaction> txChain = (topic, key, value, n) ->
                Optional.of(Set.of((int) value.getChain()));
        StreamPartitioner<String, LedgerBlock> blockChain = (topic, key, value, n) ->
                Optional.of(Set.of((int) value.getChain()));
        topology.addSink(TX_SINK, topics.spec(Topics.LEDGER_TX).name(), Serdes.String().serializer(),
                components.transactions().serializer(), txChain, PROCESSOR);
        topology.addSink(BLOCKS_SINK, topics.spec(Topics.LEDGER_BLOCKS).name(), Serdes.String().serializer(),
                components.blocks().serializer(), blockChain, PROCESSOR);
        topology.addSink(REJECTED_SINK, topics.spec(Topics.REJECTED).name(), Serdes.ByteArray().serializer(),
                components.rejected().serializer(), PROCESSOR);
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> store(String name) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray());
    }

    /** The Avro form of a signed transaction, for ledger.tx and the transactions store. */
    public static LedgerTransaction toAvro(SignedTransaction signed, String submissionId) {
        return LedgerTransaction.newBuilder().setId(signed.id()).setChain(signed.tx().chain())
                .setSequence(signed.tx().sequence()).setEpoch(signed.tx().epoch()).setSubmissionId(submissionId)
                .setDelegateKey(org.emrsb.core.crypto.VerifyingKey.PREFIX + Hex.encode(signed.tx().delegateKey()))
                .setSignedAt(Instant.ofEpochMilli(signed.tx().signedAt())).setCanonical(ByteBuffer.wrap(signed.bytes()))
                .setSignature(ByteBuffer.wrap(signed.signature())).build();
    }

    /**
     * The signed transaction an Avro transaction carries: its canonical bytes, parsed, and the delegate's
     * signature (the Avro fields that repeat them are not read).
     *
     * @throws org.emrsb.core.format.FormatException if the canonical bytes are not a transaction
     */
    public static SignedTransaction fromAvro(LedgerTransaction value) {
        byte[] canonical = AvroMapping.bytes(value.getCanonical());
        return new SignedTransaction(org.emrsb.core.format.Transaction.parse(canonical), canonical,
                AvroMapping.bytes(value.getSignature()));
    }

    /**
     * The sealed block an Avro block carries: its header bytes, parsed and hashed, and the delegate's
     * signature.
     *
     * @throws org.emrsb.core.format.FormatException if the header bytes are not a block header
     */
    public static SealedBlock fromAvro(LedgerBlock value) {
        byte[] header = AvroMapping.bytes(value.getHeader());
        return new SealedBlock(org.emrsb.core.format.BlockHeader.parse(header), header,
                org.emrsb.core.format.Sha256.hash(header), AvroMapping.bytes(value.getSignature()));
    }

    /** The Avro form of a sealed block, for ledger.blocks and the blocks store. */
    public static LedgerBlock toAvro(SealedBlock block) {
        var h = block.header();
        return LedgerBlock.newBuilder().setChain(h.chain()).setHeight(h.height()).setHash(Hex.encode(block.hash()))
                .setPreviousHash(Hex.encode(h.previousBlockHash())).setTxCount(h.txCount())
                .setFirstSequence(h.firstSequence()).setLastSequence(h.lastSequence())
                .setMerkleRoot(Hex.encode(h.merkleRoot())).setEpoch(h.epoch())
                .setDelegateKey(org.emrsb.core.crypto.VerifyingKey.PREFIX + Hex.encode(h.delegateKey()))
                .setIntervalStart(Instant.ofEpochMilli(h.intervalStart())).setIntervalEnd(Instant.ofEpochMilli(h.intervalEnd()))
                .setHeader(ByteBuffer.wrap(block.bytes())).setSignature(ByteBuffer.wrap(block.signature())).build();
    }

    static final class DelegateProcessor implements Processor<String, byte[], Object, Object> {
        private final Components components;
        private final byte[] delegateKey;
        private final Serde<ParkedRecord> parkedSerde = AvroSerdes.singleObject(ParkedRecord.class);
        private final Serde<LedgerTransaction> txValues = AvroSerdes.singleObject(LedgerTransaction.class);
        private final Serde<LedgerBlock> blockValues = AvroSerdes.singleObject(LedgerBlock.class);
        private final Serde<AwaitingTransaction> awaitingValues = AvroSerdes.singleObject(AwaitingTransaction.class);
        private ProcessorContext<Object, Object> context;
        private long chain;
        private MemberDirectory members;
        private Admission admission;
        private ReadOnlyKeyValueStore<String, byte[]> epochs;
        private KeyValueStore<String, byte[]> heads;
        private KeyValueStore<String, byte[]> transactions;
        private KeyValueStore<String, byte[]> sequences;
        private KeyValueStore<String, byte[]> patients;
        private KeyValueStore<String, byte[]> blocks;
        private KeyValueStore<String, byte[]> blockEnds;
        private KeyValueStore<String, byte[]> submissions;
        private KeyValueStore<String, byte[]> pending;
        private KeyValueStore<String, byte[]> awaiting;
        private KeyValueStore<String, byte[]> blockVerdicts;
        private ReadOnlyKeyValueStore<String, byte[]> memberStore;
        private int enrolledMonitors;
        private long monitorsCountedAt = Long.MIN_VALUE;
        private GovernanceEpoch epoch;
        private boolean pendingEmpty;
        private long nextPending;
        private Boolean wasSigning;

        DelegateProcessor(Components components) {
            this.components = components;
            this.delegateKey = components.delegate().verifyingKey().bytes();
        }

        @Override
        public void init(ProcessorContext<Object, Object> context) {
            this.context = context;
            this.chain = context.taskId().partition();
            this.memberStore = context.getStateStore(Stores.MEMBERS);
            this.members = MembersGlobalStore.directory(memberStore);
            this.admission = new Admission(members);
            this.epochs = context.getStateStore(Stores.GOVERNANCE_EPOCHS);
            this.heads = context.getStateStore(Stores.LEDGER_CHAIN_HEAD);
            this.transactions = context.getStateStore(Stores.LEDGER_TRANSACTIONS);
            this.sequences = context.getStateStore(Stores.LEDGER_SEQUENCES);
            this.patients = context.getStateStore(Stores.LEDGER_PATIENTS);
            this.blocks = context.getStateStore(Stores.LEDGER_BLOCKS);
            this.blockEnds = context.getStateStore(Stores.LEDGER_BLOCK_ENDS);
            this.submissions = context.getStateStore(Stores.LEDGER_SUBMISSIONS);
            this.pending = context.getStateStore(Stores.LEDGER_PENDING);
            this.awaiting = context.getStateStore(Stores.LEDGER_AWAITING);
            this.blockVerdicts = context.getStateStore(Stores.LEDGER_VERDICTS);
            ChainHead head = loadHead();
            initPending();
            LOG.info("chain {}: delegate {} holds it at sequence {}, height {}, {} open, {} waiting", chain,
                    components.delegate().verifyingKey(), head.nextSequence(), head.nextHeight(), head.openCount(),
                    pendingEmpty ? 0 : "some");
            context.schedule(components.tick(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            if (source.topic().equals(Topics.LEDGER_VERDICTS)) {
                onVerdict(record, source);
                return;
            }
            ParkedRecord entry = ParkedRecord.newBuilder().setKey(record.key())
                    .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                    .setTimestamp(record.timestamp()).setSourceTopic(source.topic())
                    .setSourcePartition(source.partition()).setSourceOffset(source.offset())
                    .setParkedAt(Instant.ofEpochMilli(context.currentSystemTimeMs())).setAttempts(0).build();
            if (!pendingEmpty || !signing()) {
                park(entry);
                return;
            }
            handle(entry);
        }

        /** Wall clock: sign what waited (while ACTIVE, within the budget), then seal the open block if due. */
        private void punctuate(long now) {
            if (!components.quorum().none()) {
                decideInOrder(now); // the enrolled monitors may have changed
            }
            if (!signing()) {
                return;
            }
            if (!pendingEmpty) {
                drainPending(now + components.pendingBudget().toMillis());
            }
            ChainHead head = loadHead();
            if (head.due(now, components.blockInterval(), components.blockMaxTransactions())) {
                seal(head, now);
                saveHead(head);
            }
        }

        /** Whether this instance may sign now: its key is ACTIVE at the current epoch. Logs each change. */
        private boolean signing() {
            Optional<Long> current = EpochsGlobalStore.currentNumber(epochs);
            if (current.isPresent() && (epoch == null || epoch.epoch() != current.get())) {
                epoch = EpochsGlobalStore.epoch(epochs, current.get()).orElse(null);
            }
            boolean active = epoch != null && epoch.isActive(delegateKey);
            if (wasSigning == null || wasSigning != active) {
                if (active) {
                    LOG.info("chain {}: delegate {} is ACTIVE at epoch {}; signing", chain,
                            components.delegate().verifyingKey(), epoch.epoch());
                } else {
                    LOG.warn("chain {}: delegate {} is not ACTIVE at {}; not signing, records wait for an ACTIVE owner",
                            chain, components.delegate().verifyingKey(),
                            epoch == null ? "any epoch (none yet)" : "epoch " + epoch.epoch());
                }
                wasSigning = active;
            }
            return active;
        }

        private void handle(ParkedRecord entry) {
            SignedMaskedRecord record;
            try {
                if (entry.getValue() == null) {
                    throw new IllegalArgumentException("the record has no value");
                }
                record = components.offloaded().deserializer().deserialize(Topics.OFFLOADED,
                        AvroMapping.bytes(entry.getValue()));
            } catch (RuntimeException e) {
                reject(entry, "bad-avro", "not a SignedMaskedRecord: " + e.getMessage());
                return;
            }
            byte[] signedAs = submissions.get(record.getSubmissionId());
            if (signedAs != null) {
                reject(entry, DUPLICATE, "submission " + record.getSubmissionId() + " is already on chain " + chain
                        + " as transaction " + Hex.encode(signedAs));
                return;
            }
            org.emrsb.core.format.MaskedRecord masked;
            byte[] maskedBytes;
            List<byte[]> cids;
            try {
                masked = AvroMapping.toCanonical(record);
                maskedBytes = masked.toBytes();
                cids = cids(record);
            } catch (RuntimeException e) {
                reject(entry, Admission.Reasons.BAD_RECORD, "the record's fields do not make a masked record: "
                        + e.getMessage());
                return;
            }
            byte[] gatewaySignature = AvroMapping.bytes(record.getGatewaySignature());
            long now = context.currentSystemTimeMs();
            Admission.Outcome outcome = admission.check(masked, maskedBytes, gatewaySignature, cids, now);
            if (outcome instanceof Admission.Refused refused) {
                reject(entry, refused.reason(), refused.detail());
                return;
            }
            ChainHead head = loadHead();
            boolean withoutMonitors = components.quorum().none();
            byte[] signedGatewaySignature = drillTamper(head, gatewaySignature);
            SignedTransaction signed;
            try {
                signed = withoutMonitors
                        ? head.sequence(maskedBytes, signedGatewaySignature, cids, epoch.epoch(), components.delegate(), now)
                        : head.sign(maskedBytes, signedGatewaySignature, cids, epoch.epoch(), components.delegate(), now);
            } catch (RuntimeException e) {
                // The head is unchanged when sequencing fails, so no number is consumed.
                LOG.error("chain {}: could not sequence {}-{}@{}", chain, entry.getSourceTopic(),
                        entry.getSourcePartition(), entry.getSourceOffset(), e);
                reject(entry, Admission.Reasons.BAD_RECORD, "not a canonical transaction: " + e.getMessage());
                return;
            }
            index(entry.getKey(), signed, record.getSubmissionId());
            if (!withoutMonitors) {
                awaiting.put(signed.id(), awaitingValues.serializer().serialize(Stores.LEDGER_AWAITING,
                        new AwaitingTransaction(signed.tx().sequence(), signed.tx().epoch(), entry, List.of(), List.of())));
            }
            if (head.due(now, components.blockInterval(), components.blockMaxTransactions())) {
                seal(head, now);
            }
            saveHead(head);
        }

        private void index(String pseudonym, SignedTransaction signed, String submissionId) {
            LedgerTransaction value = toAvro(signed, submissionId);
            long sequence = signed.tx().sequence();
            transactions.put(signed.id(), txValues.serializer().serialize(Stores.LEDGER_TRANSACTIONS, value));
            submissions.put(submissionId, signed.idBytes());
            sequences.put(LedgerKeys.onChain(chain, sequence), signed.idBytes());
            if (pseudonym != null) {
                patients.put(LedgerKeys.patient(pseudonym, chain, sequence), signed.idBytes());
            }
            context.forward(new Record<Object, Object>(pseudonym, value, context.currentSystemTimeMs(),
                    new RecordHeaders()), TX_SINK);
        }

        /**
         * A monitor's verdict: counted if it verifies, comes from a monitor enrolled at its issuedAt and is
         * about this chain. A transaction verdict adds to its tally and may decide awaiting sequences; a
         * block verdict is kept for proofs. Anything else is a dead letter.
         */
        private void onVerdict(Record<String, byte[]> record, RecordMetadata source) {
            SignedVerdict signed;
            try {
                signed = MonitorTopology.fromAvro(components.verdicts().deserializer().deserialize(Topics.LEDGER_VERDICTS,
                        record.value()));
            } catch (RuntimeException e) {
                deadVerdict(record, source, "not a signed verdict: " + e.getMessage());
                return;
            }
            Optional<SignedCertificate> monitorCertificate = members.certificate(signed.verdict().monitorKey());
            if (monitorCertificate.isEmpty()) {
                return; // another alliance's monitor on the same cluster: not a verdict on this ledger
            }
            Optional<String> problem = verdictProblem(signed, monitorCertificate.get());
            if (problem.isPresent()) {
                deadVerdict(record, source, problem.get());
                return;
            }
            Verdict verdict = signed.verdict();
            String monitor = Hex.encode(verdict.monitorKey());
            if (verdict.kind() == Verdict.SubjectKind.BLOCK) {
                blockVerdicts.put(Hex.encode(verdict.subject()) + "/" + monitor,
                        StoredVerdict.encode(signed, monitorCertificate.get()));
                return;
            }
            String id = Hex.encode(verdict.subject());
            byte[] saved = awaiting.get(id);
            if (saved == null) {
                return; // decided already (a late or repeated verdict), or not this delegate stage's transaction
            }
            AwaitingTransaction tally = awaitingValues.deserializer().deserialize(Stores.LEDGER_AWAITING, saved);
            if (tally.getAccepts().contains(monitor) || tally.getRejects().contains(monitor)) {
                return; // a monitor's first verdict on a transaction is its verdict
            }
            List<String> side = new ArrayList<>(verdict.decision() == Verdict.Decision.ACCEPT ? tally.getAccepts()
                    : tally.getRejects());
            side.add(monitor);
            if (verdict.decision() == Verdict.Decision.ACCEPT) {
                tally.setAccepts(side);
            } else {
                tally.setRejects(side);
            }
            awaiting.put(id, awaitingValues.serializer().serialize(Stores.LEDGER_AWAITING, tally));
            decideInOrder(context.currentSystemTimeMs());
        }

        private Optional<String> verdictProblem(SignedVerdict signed, SignedCertificate certificate) {
            Verdict verdict = signed.verdict();
            if (verdict.chain() != chain) {
                return Optional.of("a verdict for chain " + verdict.chain() + " on partition " + chain);
            }
            if (!signed.verifies()) {
                return Optional.of("the monitor's signature does not verify over the verdict");
            }
            if (certificate.certificate().role() != Role.MONITOR || !certificate.certificate().validAt(verdict.issuedAt())) {
                return Optional.of("ed25519:" + Hex.encode(verdict.monitorKey())
                        + " is not a monitor enrolled at the verdict's issuedAt");
            }
            return Optional.empty();
        }

        /**
         * Decides awaiting sequences strictly in order while the quorum decides them: accepted ones enter
         * the open block; a rejected one is void and its original record waits to be signed again, once
         * (the tally is deleted with the decision, so later verdicts on it change nothing).
         */
        private void decideInOrder(long now) {
            ChainHead head = loadHead();
            int monitors = enrolledMonitors(now);
            boolean changed = false;
            while (head.nextDecided() < head.nextSequence()) {
                long sequence = head.nextDecided();
                byte[] id = sequences.get(LedgerKeys.onChain(chain, sequence));
                byte[] saved = id == null ? null : awaiting.get(Hex.encode(id));
                if (saved == null) {
                    LOG.error("chain {}: sequence {} awaits a decision but has no tally; the chain stalls here", chain,
                            sequence);
                    break;
                }
                AwaitingTransaction tally = awaitingValues.deserializer().deserialize(Stores.LEDGER_AWAITING, saved);
                Quorum.Decision decision = components.quorum().decide(tally.getAccepts().size(), tally.getRejects().size(),
                        monitors);
                if (decision == Quorum.Decision.PENDING) {
                    break;
                }
                if (decision == Quorum.Decision.ACCEPTED) {
                    head.accept(sequence, id, tally.getEpoch(), now);
                } else {
                    head.reject(sequence);
                    sequences.delete(LedgerKeys.onChain(chain, sequence)); // a void is no block's leaf
                    submissions.delete(submissionIdOf(tally.getOriginal()));
                    LOG.warn("chain {}: the monitors rejected sequence {} ({}); it is void and its record is signed again",
                            chain, sequence, Hex.encode(id));
                    ParkedRecord original = tally.getOriginal();
                    original.setAttempts(original.getAttempts() + 1);
                    park(original);
                }
                awaiting.delete(Hex.encode(id));
                changed = true;
            }
            if (changed) {
                if (signing() && head.due(now, components.blockInterval(), components.blockMaxTransactions())) {
                    seal(head, now);
                }
                saveHead(head);
            }
        }

        /** The submission id inside a waiting record (its signed copy is void, so it may be signed again). */
        private String submissionIdOf(ParkedRecord original) {
            return components.offloaded().deserializer().deserialize(Topics.OFFLOADED,
                    AvroMapping.bytes(original.getValue())).getSubmissionId();
        }

        /** Monitors enrolled and valid now, counted from the members store at most every 10 s. */
        private int enrolledMonitors(long now) {
            if (monitorsCountedAt != Long.MIN_VALUE && now - monitorsCountedAt < 10_000 && now >= monitorsCountedAt) {
                return enrolledMonitors;
            }
            int count = 0;
            try (KeyValueIterator<String, byte[]> all = memberStore.all()) {
                while (all.hasNext()) {
                    EnrolmentCertificate certificate = SignedCertificate.parse(all.next().value).certificate();
                    if (certificate.role() == Role.MONITOR && certificate.validAt(now)) {
                        count++;
                    }
                }
            }
            enrolledMonitors = count;
            monitorsCountedAt = now;
            return count;
        }

        private void deadVerdict(Record<String, byte[]> record, RecordMetadata source, String detail) {
            LOG.warn("chain {}: ignoring a verdict ({}-{}@{}): {}", chain, source.topic(), source.partition(),
                    source.offset(), detail);
            DeadLetters.forward(context, REJECTED_SINK, "delegate", "bad-verdict", detail, source.topic(),
                    source.partition(), source.offset(),
                    record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value(),
                    record.timestamp());
        }

        /** A byzantine drill only: the gateway signature with one bit flipped on every n-th sequence. */
        private byte[] drillTamper(ChainHead head, byte[] gatewaySignature) {
            int every = components.drillTamperEvery();
            if (every == 0 || head.nextSequence() % every != every - 1) {
                return gatewaySignature;
            }
            byte[] tampered = gatewaySignature.clone();
            tampered[0] ^= 0x01;
            LOG.warn("chain {}: DRILL: signing sequence {} with a corrupted gateway signature", chain, head.nextSequence());
            return tampered;
        }

        /** The chain head as the store holds it (read each time: the store, not a cache, is the truth). */
        private ChainHead loadHead() {
            byte[] saved = heads.get(LedgerKeys.chain(chain));
            return saved == null ? ChainHead.genesis(chain) : ChainHead.fromBytes(saved);
        }

        private void seal(ChainHead head, long now) {
            Optional<SealedBlock> sealed = head.seal(now, epoch.epoch(), components.delegate());
            if (sealed.isEmpty()) {
                return;
            }
            SealedBlock block = sealed.get();
            LedgerBlock value = toAvro(block);
            members.certificate(block.header().delegateKey())
                    .ifPresent(c -> value.setDelegateCertificate(ByteBuffer.wrap(c.toBytes())));
            blocks.put(LedgerKeys.onChain(chain, block.header().height()),
                    blockValues.serializer().serialize(Stores.LEDGER_BLOCKS, value));
            blockEnds.put(LedgerKeys.onChain(chain, block.header().lastSequence()),
                    ByteBuffer.allocate(8).putLong(block.header().height()).array());
            context.forward(new Record<Object, Object>(Long.toString(chain), value, now, new RecordHeaders()),
                    BLOCKS_SINK);
            LOG.debug("chain {}: sealed block {} ({} transactions, sequences {}..{})", chain, block.header().height(),
                    block.header().txCount(), block.header().firstSequence(), block.header().lastSequence());
        }

        private void saveHead(ChainHead head) {
            heads.put(LedgerKeys.chain(chain), head.toBytes());
        }

        private void initPending() {
            try (KeyValueIterator<String, byte[]> all = pending.all()) {
                pendingEmpty = !all.hasNext();
            }
            nextPending = 0;
            if (!pendingEmpty) {
                try (KeyValueIterator<String, byte[]> reverse = pending.reverseAll()) {
                    nextPending = Long.parseLong(reverse.next().key) + 1;
                }
            }
        }

        private void park(ParkedRecord entry) {
            pending.put(LedgerKeys.pending(nextPending++), parkedSerde.serializer().serialize(Stores.LEDGER_PENDING, entry));
            pendingEmpty = false;
        }

        /** Signs waiting records in arrival order until none is left or the deadline passes. */
        private void drainPending(long deadline) {
            List<KeyValue<String, byte[]>> batch = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> all = pending.all()) {
                while (all.hasNext() && batch.size() < 1000) {
                    batch.add(all.next());
                }
            }
            for (KeyValue<String, byte[]> waiting : batch) {
                handle(parkedSerde.deserializer().deserialize(Stores.LEDGER_PENDING, waiting.value));
                pending.delete(waiting.key);
                if (context.currentSystemTimeMs() > deadline) {
                    break;
                }
            }
            try (KeyValueIterator<String, byte[]> all = pending.all()) {
                pendingEmpty = !all.hasNext();
            }
            if (pendingEmpty) {
                nextPending = 0;
            }
        }

        private static List<byte[]> cids(SignedMaskedRecord record) {
            List<byte[]> cids = new ArrayList<>();
            for (MaskedAttachment a : record.getAttachments()) {
                if (a.getCid() == null) {
                    throw new IllegalArgumentException("an attachment has no CID (not offloaded)");
                }
                cids.add(AvroMapping.bytes(a.getCid()));
            }
            return cids;
        }

        private void reject(ParkedRecord entry, String reason, String detail) {
            LOG.info("delegate rejected {}-{}@{} ({}): {}", entry.getSourceTopic(), entry.getSourcePartition(),
                    entry.getSourceOffset(), reason, detail);
            DeadLetters.forward(context, REJECTED_SINK, "delegate", reason, detail, entry.getSourceTopic(),
                    entry.getSourcePartition(), entry.getSourceOffset(),
                    entry.getKey() == null ? null : entry.getKey().getBytes(StandardCharsets.UTF_8),
                    entry.getValue() == null ? null : AvroMapping.bytes(entry.getValue()), entry.getTimestamp());
        }
    }
}
