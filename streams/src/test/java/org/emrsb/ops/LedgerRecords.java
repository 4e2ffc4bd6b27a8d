package org.emrsb.ops;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.emrsb.avro.EpochRecord;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.avro.LedgerVerdict;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.core.ledger.ChainVerificationException;
import org.emrsb.core.ledger.ChainVerifier;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.schemas.RegistrySettings;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.LedgerTopology;
import org.emrsb.stream.Topics;
import org.junit.jupiter.api.Assumptions;

/**
 * ledger.tx, ledger.blocks, ledger.verdicts, governance.epochs and emr.offloaded (the delegates' input) as a reader sees
 * them from the moment this was opened: read_committed (only what exactly-once transactions committed),
 * decoded through the schema registry, in topic order.
 *
 * <p>Which records belong to a test: a delegates' group (one application id) keeps its own chain heads
 * in its own changelogs, so on a cluster that several groups have used, a partition of ledger.tx
 * interleaves the chains of every group. A test's group is new and its delegate keys are fresh, so its
 * chains are exactly the transactions and blocks signed by those keys, and each of them starts at
 * genesis after this reader was opened: verifying them from genesis with {@link ChainVerifier} is
 * sound, with no need to trust a starting block.
 */
final class LedgerRecords implements AutoCloseable {

    static final String BOOTSTRAP = System.getenv().getOrDefault("EMRSB_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
    static final URI REGISTRY = URI.create(System.getenv().getOrDefault("EMRSB_REGISTRY_URL", "http://127.0.0.1:18081"));

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Serde<LedgerTransaction> txSerde = AvroSerdes.registry(new RegistrySettings(REGISTRY, false), false);
    private final Serde<LedgerBlock> blockSerde = AvroSerdes.registry(new RegistrySettings(REGISTRY, false), false);
    private final Serde<LedgerVerdict> verdictSerde = AvroSerdes.registry(new RegistrySettings(REGISTRY, false), false);
    private final Serde<EpochRecord> epochSerde = AvroSerdes.registry(new RegistrySettings(REGISTRY, false), false);
    private final Serde<SignedMaskedRecord> offloadedSerde = AvroSerdes.registry(new RegistrySettings(REGISTRY, false), false);
    private final List<LedgerTransaction> transactions = new ArrayList<>();
    private final List<LedgerBlock> blocks = new ArrayList<>();
    private final List<LedgerVerdict> verdicts = new ArrayList<>();
    private final List<GovernanceEpoch> epochs = new ArrayList<>();
    private Set<String> ownKeys;
    /** The submission ids on each partition of emr.offloaded, in offset order. */
    private final Map<Integer, List<String>> offloaded = new TreeMap<>();

    private LedgerRecords(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /** A reader positioned at the current end of the topics: it sees only what comes after. */
    static LedgerRecords openAtEnd() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.LEDGER_TX, Topics.LEDGER_BLOCKS, Topics.LEDGER_VERDICTS, Topics.GOVERNANCE_EPOCHS,
                Topics.OFFLOADED)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.endOffsets(partitions, Duration.ofSeconds(30)).forEach(consumer::seek);
        return new LedgerRecords(consumer);
    }

    /** Reads what arrived since the last call (one short poll). */
    void poll() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            switch (record.topic()) {
                case Topics.LEDGER_TX -> transactions.add(txSerde.deserializer().deserialize(record.topic(), record.value()));
                case Topics.LEDGER_BLOCKS -> blocks.add(blockSerde.deserializer().deserialize(record.topic(), record.value()));
                case Topics.LEDGER_VERDICTS -> verdicts.add(verdictSerde.deserializer().deserialize(record.topic(), record.value()));
                case Topics.OFFLOADED -> submissionId(record).ifPresent(id ->
                        offloaded.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(id));
                default -> epochs.add(GovernanceEpoch.parse(AvroMapping.bytes(
                        epochSerde.deserializer().deserialize(record.topic(), record.value()).getCanonical())));
            }
        }
    }

    /** The submission id of a record on emr.offloaded; empty for a record that is not a masked record (not ours). */
    private Optional<String> submissionId(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Optional.of(offloadedSerde.deserializer().deserialize(record.topic(), record.value()).getSubmissionId());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Polls until {@code done} holds; fails with {@code state}'s description after {@code timeout}. */
    void pollUntil(BooleanSupplier done, Duration timeout, Supplier<String> state) {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            abortIfGovernanceInterfered(null);
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + state.get());
            }
            poll();
        }
    }

    /** The transactions signed by any of {@code delegateKeys} (ed25519:hex), by chain, each in sequence (topic) order. */
    Map<Long, List<LedgerTransaction>> transactions(Set<String> delegateKeys) {
        Map<Long, List<LedgerTransaction>> byChain = new TreeMap<>();
        for (LedgerTransaction tx : transactions) {
            if (delegateKeys.contains(tx.getDelegateKey())) {
                byChain.computeIfAbsent(tx.getChain(), c -> new ArrayList<>()).add(tx);
            }
        }
        return byChain;
    }

    /** The blocks sealed by any of {@code delegateKeys}, by chain, each in height (topic) order. */
    Map<Long, List<LedgerBlock>> blocks(Set<String> delegateKeys) {
        Map<Long, List<LedgerBlock>> byChain = new TreeMap<>();
        for (LedgerBlock block : blocks) {
            if (delegateKeys.contains(block.getDelegateKey())) {
                byChain.computeIfAbsent(block.getChain(), c -> new ArrayList<>()).add(block);
            }
        }
        return byChain;
    }

    /** The verdicts signed by {@code monitorKey} (ed25519:hex), in topic order: repeats are kept, to be counted. */
    List<LedgerVerdict> verdicts(String monitorKey) {
        return verdicts.stream().filter(v -> v.getMonitorKey().equals(monitorKey)).toList();
    }

    /** A transaction's id as a verdict names it: the SHA-256 of its canonical bytes, lowercase hex. */
    static String transactionId(LedgerTransaction tx) {
        return Hex.encode(Sha256.hash(AvroMapping.bytes(tx.getCanonical())));
    }

    /** A block's hash as a verdict names it: the SHA-256 of its header bytes, lowercase hex. */
    static String blockHash(LedgerBlock block) {
        return Hex.encode(Sha256.hash(AvroMapping.bytes(block.getHeader())));
    }

    /**
     * Those of {@code submissionIds} that arrived on partition {@code partition} of emr.offloaded, in the
     * order of their first arrival (a copy re-emitted by another application comes later and is refused).
     */
    List<String> offloadedOrder(long partition, Collection<String> submissionIds) {
        Set<String> ids = Set.copyOf(submissionIds);
        return offloaded.getOrDefault((int) partition, List.of()).stream().filter(ids::contains).distinct().toList();
    }

    /** Whether every one of {@code submissionIds} has arrived on emr.offloaded. */
    boolean allOffloaded(Collection<String> submissionIds) {
        Set<String> seen = new HashSet<>();
        offloaded.values().forEach(seen::addAll);
        return seen.containsAll(submissionIds);
    }

    /** How many times each of {@code submissionIds} was signed into the chains of {@code delegateKeys}. */
    Map<String, Integer> signedCounts(Collection<String> submissionIds, Set<String> delegateKeys) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        submissionIds.forEach(id -> counts.put(id, 0));
        for (List<LedgerTransaction> chain : transactions(delegateKeys).values()) {
            for (LedgerTransaction tx : chain) {
                counts.computeIfPresent(tx.getSubmissionId(), (id, n) -> n + 1);
            }
        }
        return counts;
    }

    /**
     * Whether every chain of {@code delegateKeys} is sealed up to its last transaction (its last block
     * ends at its last sequence).
     */
    boolean allSealed(Set<String> delegateKeys) {
        Map<Long, List<LedgerBlock>> sealed = blocks(delegateKeys);
        for (Map.Entry<Long, List<LedgerTransaction>> chain : transactions(delegateKeys).entrySet()) {
            List<LedgerBlock> chainBlocks = sealed.getOrDefault(chain.getKey(), List.of());
            long lastSequence = chain.getValue().get(chain.getValue().size() - 1).getSequence();
            if (chainBlocks.isEmpty() || chainBlocks.get(chainBlocks.size() - 1).getLastSequence() != lastSequence) {
                return false;
            }
        }
        return true;
    }

    /** The epochs that list any of {@code delegateKeys}, by number (a later epoch of a number replaces an earlier). */
    Map<Long, GovernanceEpoch> epochs(Set<String> delegateKeys) {
        Map<Long, GovernanceEpoch> byNumber = new TreeMap<>();
        for (GovernanceEpoch epoch : epochs) {
            if (epoch.delegates().stream().anyMatch(d -> delegateKeys.contains(keyText(d.key())))) {
                byNumber.put(epoch.epoch(), epoch);
            }
        }
        return byNumber;
    }

    /**
     * From now on, {@link #pollUntil} aborts the test (JUnit: skipped, not failed) as soon as an epoch
     * that lists none of {@code ownKeys} follows the first epoch that lists one of them: on a shared
     * cluster that is another test's governance processor at work, and since the epoch in force is the
     * last one written, it has just voted the test's delegates out from under it (they leave their
     * group, as they must), so the run can show nothing more about the ledger.
     */
    void abortOnForeignEpochs(Set<String> ownKeys) {
        this.ownKeys = Set.copyOf(ownKeys);
    }

    /** Aborts the test if another governance processor published an epoch after this test's first (see above). */
    void abortIfGovernanceInterfered(Throwable failure) {
        if (ownKeys == null) {
            return;
        }
        List<GovernanceEpoch> foreign = new ArrayList<>();
        boolean ownSeen = false;
        for (GovernanceEpoch epoch : epochs) {
            boolean own = epoch.delegates().stream().anyMatch(d -> ownKeys.contains(keyText(d.key())));
            ownSeen |= own;
            if (ownSeen && !own) {
                foreign.add(epoch);
            }
        }
        if (!foreign.isEmpty()) {
            Assumptions.abort("another governance processor published epochs " + foreign.stream()
                    .map(e -> e.epoch() + " (" + e.cause() + ")").toList() + " while this test ran; the epoch in force"
                    + " is the last one written, so its delegates were voted out from under it and this run proves"
                    + " nothing" + (failure == null ? "" : "; it failed with: " + failure));
        }
    }

    /**
     * Verifies one chain end to end with {@link ChainVerifier}: signatures, sequence continuity from 0,
     * heights from 0, previous-hash links from the zero hash, each block's range and Merkle root.
     */
    static ChainVerifier.Summary verify(long chain, List<LedgerTransaction> transactions, List<LedgerBlock> blocks)
            throws ChainVerificationException {
        List<SignedTransaction> signed = transactions.stream().map(LedgerTopology::fromAvro).toList();
        List<SealedBlock> sealed = blocks.stream().map(LedgerTopology::fromAvro).toList();
        return ChainVerifier.verify(chain, signed, sealed, Set.of());
    }

    static String keyText(byte[] key) {
        return VerifyingKey.PREFIX + Hex.encode(key);
    }

    @Override
    public void close() {
        consumer.close();
        txSerde.close();
        blockSerde.close();
        verdictSerde.close();
        epochSerde.close();
        offloadedSerde.close();
    }
}
