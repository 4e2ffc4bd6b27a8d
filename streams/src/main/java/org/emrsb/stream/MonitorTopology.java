package org.emrsb.stream;

import java.nio.ByteBuffer;
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
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.avro.LedgerVerdict;
import org.emrsb.avro.LedgerViolation;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.format.Verdict;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.monitor.BlockChecks;
import org.emrsb.core.monitor.ChainWatch;
import org.emrsb.core.monitor.CheckNames;
import org.emrsb.core.monitor.CheckOutcome;
import org.emrsb.core.monitor.SignedVerdict;
import org.emrsb.core.monitor.SignedViolation;
import org.emrsb.core.monitor.TransactionChecks;
import org.emrsb.core.monitor.Verdicts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor stage (paper §4.3 step 5, the Monitoring Node): ledger.tx and ledger.blocks →
 * ledger.verdicts and ledger.violations. A monitoring authority runs it as its own application (its
 * own application id and key), so its view of each chain is its own. Both inputs are partitioned by
 * chain, so one task sees one chain's transactions and blocks, and keeps the chain's
 * {@link ChainWatch} in {@link Stores#MONITOR_CHAIN_WATCH}.
 *
 * <p>Every transaction and block gets a signed verdict (accept, or reject naming the failing check,
 * docs/monitoring.md), keyed and partitioned by chain like ledger.tx, so the delegate stage counts the
 * quorum in the same task that seals the chain. A rejection the delegate's own signature makes
 * attributable also goes to ledger.violations as evidence. A subject that cannot be decided yet (its
 * epoch has not reached this monitor, or a block reaching past the transactions judged so far) waits
 * in {@link Stores#MONITOR_WAITING}, in order, and a wall-clock punctuator tries again; a transaction
 * never overtakes a waiting one, and blocks wait behind transactions, not the other way round.
 *
 * <p>A cluster may carry the ledgers of several alliances (each its own enrolment authority): records
 * signed by a key that is not enrolled in this monitor's alliance belong to another ledger and are
 * skipped without a verdict, so each alliance's monitors see only their own chains.
 */
public final class MonitorTopology {

    public static final String TX_SOURCE = "monitor-tx-source";
    public static final String BLOCKS_SOURCE = "monitor-blocks-source";
    public static final String PROCESSOR = "monitor-checks";
    public static final String VERDICTS_SINK = "monitor-verdicts-sink";
    public static final String VIOLATIONS_SINK = "monitor-violations-sink";
    public static final String REJECTED_SINK = "monitor-rejected-sink";
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);
    private static final String TX_QUEUE = "t/";
    private static final String BLOCK_QUEUE = "b/";
    /** The key, in the chain-watch store, of the transaction last reported as missing its block. */
    private static final String MISSED_REPORTED = "missed-reported/";
    private static final Logger LOG = LoggerFactory.getLogger(MonitorTopology.class);

    /**
     * @param monitor          the monitoring authority's signing key (enrolled with role monitor)
     * @param missedBlockAfter report a chain whose oldest accepted, unsealed transaction is older than
     *                         this (its delegate missed its blocks); zero to never report
     */
    public record Components(Serde<LedgerTransaction> transactions, Serde<LedgerBlock> blocks,
            Serde<LedgerVerdict> verdicts, Serde<LedgerViolation> violations, Serde<RejectedRecord> rejected,
            SigningKey monitor, Duration missedBlockAfter) {

        /** A monitor that does not report missed blocks. */
        public Components(Serde<LedgerTransaction> transactions, Serde<LedgerBlock> blocks,
                Serde<LedgerVerdict> verdicts, Serde<LedgerViolation> violations, Serde<RejectedRecord> rejected,
                SigningKey monitor) {
            this(transactions, blocks, verdicts, violations, rejected, monitor, Duration.ZERO);
        }
    }

    private MonitorTopology() {
    }

    /** Adds the stage; the topology must already hold the members and epochs global stores. */
    public static void build(Topology topology, Topics topics, Components components) {
        topology.addSource(TX_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.LEDGER_TX).name());
        topology.addSource(BLOCKS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.LEDGER_BLOCKS).name());
        topology.addProcessor(PROCESSOR, () -> new MonitorProcessor(components), TX_SOURCE, BLOCKS_SOURCE);
        for (String store : List.of(Stores.MONITOR_CHAIN_WATCH, Stores.MONITOR_WAITING, Stores.MONITOR_ACCEPTED)) {
            topology.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                    org.apache.kafka.streams.state.Stores.persistentKeyValueStore(store), Serdes.String(),
                    Serdes.ByteArray()), PROCESSOR);
        }
        StreamPartitioner<String, LedgerVerdict> byChain = (topic, key, value, n) ->
                Optional.of(Set.of((int) value.getChain()));
        topology.addSink(VERDICTS_SINK, topics.spec(Topics.LEDGER_VERDICTS).name(), Serdes.String().serializer(),
                components.verdicts().serializer(), byChain, PROCESSOR);
        topology.addSink(VIOLATIONS_SINK, topics.spec(Topics.LEDGER_VIOLATIONS).name(), Serdes.String().serializer(),
                components.violations().serializer(), PROCESSOR);
        topology.addSink(REJECTED_SINK, topics.spec(Topics.REJECTED).name(), Serdes.ByteArray().serializer(),
                components.rejected().serializer(), PROCESSOR);
    }

    /**
     * A transaction the monitor accepted and no accepted block covers yet: its epoch, when it was judged,
     * and the transaction as its delegate signed it (for a missed-block report). Layout: epoch (8),
     * judgedAt (8), signature (64), canonical bytes.
     */
    record AcceptedEntry(long epoch, long judgedAt, SignedTransaction signed) {

        static byte[] encode(long epoch, long judgedAt, SignedTransaction signed) {
            return ByteBuffer.allocate(16 + 64 + signed.bytes().length).putLong(epoch).putLong(judgedAt)
                    .put(signed.signature()).put(signed.bytes()).array();
        }

        static AcceptedEntry decode(byte[] value) {
            ByteBuffer in = ByteBuffer.wrap(value);
            long epoch = in.getLong();
            long judgedAt = in.getLong();
            byte[] signature = new byte[64];
            in.get(signature);
            byte[] bytes = new byte[in.remaining()];
            in.get(bytes);
            return new AcceptedEntry(epoch, judgedAt, new SignedTransaction(Transaction.parse(bytes), bytes, signature));
        }
    }

    /** The Avro form of a signed verdict, for ledger.verdicts. */
    public static LedgerVerdict toAvro(SignedVerdict signed) {
        Verdict v = signed.verdict();
        return LedgerVerdict.newBuilder().setKind(v.kind().name().toLowerCase(java.util.Locale.ROOT))
                .setSubject(Hex.encode(v.subject())).setChain(v.chain()).setDecision(v.decision().name())
                .setCheck(v.check()).setEpoch(v.epoch()).setMonitorKey(VerifyingKey.PREFIX + Hex.encode(v.monitorKey()))
                .setIssuedAt(Instant.ofEpochMilli(v.issuedAt())).setCanonical(ByteBuffer.wrap(v.toBytes()))
                .setSignature(ByteBuffer.wrap(signed.signature())).build();
    }

    /** The signed verdict an Avro verdict carries (its canonical bytes and signature). */
    public static SignedVerdict fromAvro(LedgerVerdict value) {
        return new SignedVerdict(Verdict.parse(AvroMapping.bytes(value.getCanonical())),
                AvroMapping.bytes(value.getSignature()));
    }

    static final class MonitorProcessor implements Processor<String, byte[], Object, Object> {
        private final Components components;
        private ProcessorContext<Object, Object> context;
        private long chain;
        private ReadOnlyKeyValueStore<String, byte[]> epochs;
        private org.emrsb.core.governance.MemberDirectory members;
        private TransactionChecks transactionChecks;
        private BlockChecks blockChecks;
        private KeyValueStore<String, byte[]> watches;
        private KeyValueStore<String, byte[]> waiting;
        private KeyValueStore<String, byte[]> accepted;
        private long nextQueued;

        MonitorProcessor(Components components) {
            this.components = components;
        }

        @Override
        public void init(ProcessorContext<Object, Object> context) {
            this.context = context;
            this.chain = context.taskId().partition();
            this.epochs = context.getStateStore(Stores.GOVERNANCE_EPOCHS);
            this.members = MembersGlobalStore.directory(context.getStateStore(Stores.MEMBERS));
            this.transactionChecks = new TransactionChecks(number -> EpochsGlobalStore.epoch(epochs, number), members);
            this.blockChecks = new BlockChecks(number -> EpochsGlobalStore.epoch(epochs, number));
            this.watches = context.getStateStore(Stores.MONITOR_CHAIN_WATCH);
            this.waiting = context.getStateStore(Stores.MONITOR_WAITING);
            this.accepted = context.getStateStore(Stores.MONITOR_ACCEPTED);
            this.nextQueued = lastQueued() + 1;
            context.schedule(RETRY_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> {
                retryWaiting();
                reportMissedBlock(now);
            });
        }

        @Override
        public void process(Record<String, byte[]> record) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            boolean isTransaction = source.topic().equals(Topics.LEDGER_TX);
            String queue = isTransaction ? TX_QUEUE : BLOCK_QUEUE;
            if (record.value() == null) {
                reject(source, record, "empty", "a ledger record without a value");
                return;
            }
            if (hasQueued(queue) || !judge(isTransaction, record.value(), source, record)) {
                waiting.put(queue + String.format("%019d", nextQueued++), record.value());
            }
        }

        /** Judges one input; false when it must wait. Unreadable input is a dead letter, never a stop. */
        private boolean judge(boolean isTransaction, byte[] value, RecordMetadata source, Record<String, byte[]> record) {
            ChainWatch watch = loadWatch();
            Optional<ChainWatch> decided;
            try {
                decided = isTransaction ? judgeTransaction(value, watch) : judgeBlock(value, watch);
            } catch (RuntimeException e) {
                if (source == null) {
                    LOG.error("chain {}: a waiting ledger record can no longer be read; dropping it", chain, e);
                    return true;
                }
                reject(source, record, "bad-avro", "not a ledger " + (isTransaction ? "transaction" : "block") + ": "
                        + e.getMessage());
                return true;
            }
            if (decided.isPresent()) {
                watches.put(LedgerKeys.chain(chain), decided.get().toBytes());
                if (isTransaction) {
                    retryBlocks();
                }
            }
            return decided.isPresent();
        }

        /**
         * Judges a transaction in sequence order. An accepted one is recorded as judged and its id kept in
         * {@link Stores#MONITOR_ACCEPTED} until the block that covers it arrives (ledger.tx and ledger.blocks
         * are separate topics, so transactions after a block may be judged before the block is read).
         * Returns the watch to keep, or empty when the transaction must wait.
         */
        private Optional<ChainWatch> judgeTransaction(byte[] value, ChainWatch watch) {
            LedgerTransaction avro = components.transactions().deserializer().deserialize(Topics.LEDGER_TX, value);
            byte[] canonical = AvroMapping.bytes(avro.getCanonical());
            byte[] signature = AvroMapping.bytes(avro.getSignature());
            Transaction tx;
            try {
                tx = Transaction.parse(canonical);
            } catch (RuntimeException e) {
                // Unparseable bytes: rejected under their hash; the number they claim is void here.
                emit(Verdicts.issue(components.monitor(), Verdict.SubjectKind.TRANSACTION, Sha256.hash(canonical), chain,
                        Verdict.Decision.REJECT, CheckNames.TRANSACTION_FORMAT, currentEpoch(), now()));
                if (avro.getSequence() == watch.nextSequence()) {
                    watch.recordVoid(avro.getSequence());
                }
                return Optional.of(watch);
            }
            if (members.certificate(tx.delegateKey()).isEmpty()) {
                return Optional.of(watch); // another alliance's ledger on the same cluster (its delegate is not enrolled here)
            }
            SignedTransaction signed = new SignedTransaction(tx, canonical, signature);
            CheckOutcome outcome = transactionChecks.check(signed, watch);
            if (outcome instanceof CheckOutcome.Waiting wait) {
                LOG.debug("chain {}: transaction {} waits: {}", chain, signed.id(), wait.detail());
                return Optional.empty();
            }
            if (outcome instanceof CheckOutcome.Rejected rejected) {
                LOG.warn("chain {}: rejected transaction {} (sequence {}): {} ({})", chain, signed.id(), tx.sequence(),
                        rejected.check(), rejected.detail());
                transactionChecks.attributableFailure(signed).ifPresent(failure ->
                        emit(SignedViolation.of(components.monitor(), signed, failure, now()), tx.delegateKey()));
                if (tx.sequence() == watch.nextSequence()) {
                    watch.recordVoid(tx.sequence());
                }
            } else {
                watch.recordJudged(tx.sequence());
                accepted.put(LedgerKeys.onChain(chain, tx.sequence()), AcceptedEntry.encode(tx.epoch(), now(), signed));
            }
            emit(Verdicts.of(components.monitor(), outcome, Verdict.SubjectKind.TRANSACTION, signed.idBytes(), chain,
                    currentEpoch(), now()));
            return Optional.of(watch);
        }

        /**
         * Judges a block against a trial copy of the watch whose open block holds the accepted transactions
         * of the block's range; only an accepted block moves the kept watch (and frees those ids).
         * Returns the watch to keep, or empty when the block must wait.
         */
        private Optional<ChainWatch> judgeBlock(byte[] value, ChainWatch watch) {
            LedgerBlock avro = components.blocks().deserializer().deserialize(Topics.LEDGER_BLOCKS, value);
            byte[] header = AvroMapping.bytes(avro.getHeader());
            BlockHeader parsed;
            try {
                parsed = BlockHeader.parse(header);
            } catch (RuntimeException e) {
                emit(Verdicts.issue(components.monitor(), Verdict.SubjectKind.BLOCK, Sha256.hash(header), chain,
                        Verdict.Decision.REJECT, CheckNames.BLOCK_FORMAT, currentEpoch(), now()));
                return Optional.of(watch);
            }
            if (members.certificate(parsed.delegateKey()).isEmpty()) {
                return Optional.of(watch); // another alliance's block
            }
            SealedBlock block = new SealedBlock(parsed, header, Sha256.hash(header), AvroMapping.bytes(avro.getSignature()));
            ChainWatch trial = ChainWatch.fromBytes(watch.toBytes());
            List<String> covered = parsed.lastSequence() < watch.nextSequence() ? appendCovered(trial, parsed)
                    : List.of();
            CheckOutcome outcome = blockChecks.check(block, trial);
            if (outcome instanceof CheckOutcome.Waiting) {
                return Optional.empty();
            }
            if (outcome instanceof CheckOutcome.Rejected rejected) {
                LOG.warn("chain {}: rejected block {} ({}): {} ({})", chain, parsed.height(), Hex.encode(block.hash()),
                        rejected.check(), rejected.detail());
                blockChecks.attributableFailure(block).ifPresent(failure ->
                        emit(SignedViolation.of(components.monitor(), block, failure, now()), parsed.delegateKey()));
            }
            emit(Verdicts.of(components.monitor(), outcome, Verdict.SubjectKind.BLOCK, block.hash(), chain,
                    currentEpoch(), now()));
            if (outcome instanceof CheckOutcome.Rejected) {
                return Optional.of(watch);
            }
            trial.recordBlock(block);
            covered.forEach(accepted::delete);
            return Optional.of(trial);
        }

        /** Appends to the trial watch the accepted transactions up to the block's last sequence; their keys. */
        private List<String> appendCovered(ChainWatch trial, BlockHeader header) {
            List<String> keys = new ArrayList<>();
            long from = trial.openCount() == 0 ? trial.unsealedFrom() : trial.openLastSequence() + 1;
            try (KeyValueIterator<String, byte[]> range = accepted.range(LedgerKeys.onChain(chain, from),
                    LedgerKeys.onChain(chain, header.lastSequence()))) {
                while (range.hasNext()) {
                    KeyValue<String, byte[]> entry = range.next();
                    AcceptedEntry accepted = AcceptedEntry.decode(entry.value);
                    trial.appendAccepted(Long.parseLong(entry.key.substring(entry.key.indexOf('/') + 1)),
                            accepted.signed().idBytes(), accepted.epoch());
                    keys.add(entry.key);
                }
            }
            return keys;
        }

        /** The punctuator: waiting transactions in order until one still waits, then waiting blocks. */
        private void retryWaiting() {
            retryQueue(TX_QUEUE, true);
            retryBlocks();
        }

        private void retryBlocks() {
            retryQueue(BLOCK_QUEUE, false);
        }

        private void retryQueue(String queue, boolean transactions) {
            for (KeyValue<String, byte[]> entry : queued(queue)) {
                if (!judge(transactions, entry.value, null, null)) {
                    return;
                }
                waiting.delete(entry.key);
            }
        }

        private List<KeyValue<String, byte[]>> queued(String queue) {
            List<KeyValue<String, byte[]>> entries = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> found = waiting.prefixScan(queue, Serdes.String().serializer())) {
                while (found.hasNext() && entries.size() < 1000) {
                    entries.add(found.next());
                }
            }
            return entries;
        }

        private boolean hasQueued(String queue) {
            try (KeyValueIterator<String, byte[]> found = waiting.prefixScan(queue, Serdes.String().serializer())) {
                return found.hasNext();
            }
        }

        private long lastQueued() {
            long last = -1;
            for (String queue : List.of(TX_QUEUE, BLOCK_QUEUE)) {
                try (KeyValueIterator<String, byte[]> found = waiting.prefixScan(queue, Serdes.String().serializer())) {
                    while (found.hasNext()) {
                        last = Math.max(last, Long.parseLong(found.next().key.substring(queue.length())));
                    }
                }
            }
            return last;
        }

        /**
         * Reports the chain's oldest accepted transaction still in no accepted block once it is older than
         * missedBlockAfter, once per transaction, as a {@code missed-block} violation carrying the
         * transaction its delegate signed.
         */
        private void reportMissedBlock(long now) {
            if (components.missedBlockAfter().isZero()) {
                return;
            }
            KeyValue<String, byte[]> oldest;
            try (KeyValueIterator<String, byte[]> all = accepted.prefixScan(LedgerKeys.chainPrefix(chain),
                    Serdes.String().serializer())) {
                if (!all.hasNext()) {
                    return;
                }
                oldest = all.next();
            }
            AcceptedEntry entry = AcceptedEntry.decode(oldest.value);
            String reportedKey = MISSED_REPORTED + LedgerKeys.chain(chain);
            byte[] reported = watches.get(reportedKey);
            if (now - entry.judgedAt() < components.missedBlockAfter().toMillis()
                    || (reported != null && new String(reported, java.nio.charset.StandardCharsets.UTF_8).equals(oldest.key))) {
                return;
            }
            LOG.warn("chain {}: transaction {} was accepted {} s ago and is still in no block: the delegate missed its "
                    + "blocks", chain, entry.signed().id(), (now - entry.judgedAt()) / 1000);
            emit(SignedViolation.of(components.monitor(), entry.signed(),
                    new CheckOutcome.Rejected(CheckNames.MISSED_BLOCK, "no block within " + components.missedBlockAfter()),
                    now), entry.signed().tx().delegateKey());
            watches.put(reportedKey, oldest.key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        private ChainWatch loadWatch() {
            byte[] saved = watches.get(LedgerKeys.chain(chain));
            return saved == null ? ChainWatch.genesis(chain) : ChainWatch.fromBytes(saved);
        }

        private long currentEpoch() {
            return EpochsGlobalStore.currentNumber(epochs).orElse(0L);
        }

        private long now() {
            return context.currentSystemTimeMs();
        }

        private void emit(SignedVerdict verdict) {
            context.forward(new Record<Object, Object>(Long.toString(chain), toAvro(verdict), now(), new RecordHeaders()),
                    VERDICTS_SINK);
        }

        private void emit(SignedViolation evidence, byte[] delegateKey) {
            var v = evidence.violation();
            LedgerViolation value = LedgerViolation.newBuilder()
                    .setDelegateKey(VerifyingKey.PREFIX + Hex.encode(delegateKey)).setCheck(v.check())
                    .setKind(v.kind().name().toLowerCase(java.util.Locale.ROOT)).setChain(v.chain())
                    .setMonitorKey(VerifyingKey.PREFIX + Hex.encode(v.monitorKey()))
                    .setIssuedAt(Instant.ofEpochMilli(v.issuedAt())).setCanonical(ByteBuffer.wrap(v.toBytes()))
                    .setSignature(ByteBuffer.wrap(evidence.signature())).build();
            LOG.warn("chain {}: evidence against delegate {}: {}", chain, value.getDelegateKey(), v.check());
            context.forward(new Record<Object, Object>(value.getDelegateKey(), value, now(), new RecordHeaders()),
                    VIOLATIONS_SINK);
        }

        private void reject(RecordMetadata source, Record<String, byte[]> record, String reason, String detail) {
            DeadLetters.forward(context, REJECTED_SINK, "monitor", reason, detail, source.topic(), source.partition(),
                    source.offset(), record.key() == null ? null : record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    record.value(), record.timestamp());
        }
    }
}
