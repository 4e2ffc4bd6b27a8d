package org.emrsb.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.avro.specific.SpecificRecord;
import org.emrsb.app.BenchAccess;
import org.emrsb.app.EmrsbConfig;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.avro.Submission;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.Topics;

/**
 * Watches what the pipeline makes of the benchmark's submissions, as a reader would see it
 * (read_committed, so a record counts once its stage's transaction committed): when each submission
 * appeared on emr.masked, emr.offloaded and ledger.tx (and the transaction's own signing time), which
 * blocks the benchmark's delegate sealed, and which submissions some stage refused. Runs on its own
 * thread ({@value #THREAD}), so its CPU can be told apart from the pipeline's.
 */
final class PipelineObserver implements AutoCloseable {

    static final String THREAD = "bench-observer";
    static final int MASKED = 0;
    static final int OFFLOADED = 1;
    static final int TX = 2;
    private static final String UNKNOWN_MEMBER = "unknown-member";

    /** A block sealed by the benchmark's delegate. */
    record Block(long chain, long height, long txCount, long firstSequence, long lastSequence, long seenAt) {
    }

    private final EmrsbConfig config;
    private final String delegateKey;
    private final Map<TopicPartition, Long> start;
    private final Map<String, Integer> ordinals;
    private final int[] phaseOf;
    private final int[] phaseSize;
    private final AtomicInteger[] finished;
    private final AtomicInteger[] seen = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
    private final AtomicInteger rejectedCount = new AtomicInteger();
    private final AtomicInteger refusedElsewhere = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger blockCount = new AtomicInteger();
    /** Per submission ordinal: wall time first seen on emr.masked, emr.offloaded, ledger.tx (0: not yet). */
    final long[][] seenAt;
    /** Per submission ordinal: the transaction's timestamp (when the delegate signed it). */
    final long[] signedAt;
    final long[] chainOf;
    final long[] sequenceOf;
    final Map<String, Integer> rejectedReasons = new TreeMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private final Map<Long, Long> sealedUpTo = new HashMap<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable failure;
    private KafkaConsumer<byte[], byte[]> consumer;

    /** Samples of what the stages sign and verify, for the signature micro-run. */
    volatile byte[] sampleMasked;
    volatile byte[] sampleGatewaySignature;
    volatile byte[] sampleTransaction;
    volatile byte[] sampleBlockHeader;

    /**
     * @param start    where to start reading each partition (its end before the run)
     * @param ids      the submissions' ids, in ordinal order
     * @param phases   the phase sizes, in order (warm-up, measured): ordinals are assigned phase by phase
     */
    PipelineObserver(EmrsbConfig config, String delegateKey, Map<TopicPartition, Long> start, List<String> ids,
            int... phases) {
        this.config = config;
        this.delegateKey = delegateKey;
        this.start = start;
        this.ordinals = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            ordinals.put(ids.get(i), i);
        }
        this.phaseOf = new int[ids.size()];
        this.phaseSize = phases.clone();
        this.finished = new AtomicInteger[phases.length];
        int ordinal = 0;
        for (int p = 0; p < phases.length; p++) {
            finished[p] = new AtomicInteger();
            for (int i = 0; i < phases[p]; i++) {
                phaseOf[ordinal++] = p;
            }
        }
        if (ordinal != ids.size()) {
            throw new IllegalArgumentException("phases cover " + ordinal + " of " + ids.size() + " submissions");
        }
        this.seenAt = new long[3][ids.size()];
        this.signedAt = new long[ids.size()];
        this.chainOf = new long[ids.size()];
        this.sequenceOf = new long[ids.size()];
        Arrays.fill(chainOf, -1);
        this.thread = new Thread(this::run, THREAD);
        this.thread.setDaemon(true);
    }

    /** The partitions watched, for taking their end offsets before the run. */
    static List<String> topics() {
        return List.of(Topics.MASKED, Topics.OFFLOADED, Topics.LEDGER_TX, Topics.LEDGER_BLOCKS, Topics.REJECTED);
    }

    void start() {
        consumer = new KafkaConsumer<>(withFetchSettings(BenchAccess.consumer(config, "emrsb-bench-observer")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.assign(start.keySet());
        start.forEach(consumer::seek);
        thread.start();
    }

    private static java.util.Properties withFetchSettings(java.util.Properties props) {
        props.put("max.poll.records", 5000);
        return props;
    }

    private void run() {
        try (Serde<SignedMaskedRecord> masked = AvroSerdes.registry(config.registry(), false);
             Serde<LedgerTransaction> txs = AvroSerdes.registry(config.registry(), false);
             Serde<LedgerBlock> blockSerde = AvroSerdes.registry(config.registry(), false);
             Serde<RejectedRecord> rejected = AvroSerdes.registry(config.registry(), false);
             Serde<SpecificRecord> any = AvroSerdes.registry(config.registry(), false)) {
            while (!closing) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.value() == null) {
                        continue;
                    }
                    switch (record.topic()) {
                        case Topics.MASKED -> stage(MASKED, masked.deserializer().deserialize(record.topic(),
                                record.value()), now);
                        case Topics.OFFLOADED -> stage(OFFLOADED, masked.deserializer().deserialize(record.topic(),
                                record.value()), now);
                        case Topics.LEDGER_TX -> transaction(txs.deserializer().deserialize(record.topic(),
                                record.value()), record.timestamp(), now);
                        case Topics.LEDGER_BLOCKS -> block(blockSerde.deserializer().deserialize(record.topic(),
                                record.value()), now);
                        case Topics.REJECTED -> rejected(rejected.deserializer().deserialize(record.topic(),
                                record.value()), any);
                        default -> { }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) {
            failure = e;
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void stage(int stage, SignedMaskedRecord record, long now) {
        Integer ordinal = ordinals.get(record.getSubmissionId());
        if (ordinal == null || seenAt[stage][ordinal] != 0) {
            return;
        }
        seenAt[stage][ordinal] = now;
        seen[stage].incrementAndGet();
        if (stage == OFFLOADED && sampleMasked == null && record.getAttachments().isEmpty()) {
            sampleMasked = AvroMapping.toCanonical(record).toBytes();
            sampleGatewaySignature = AvroMapping.bytes(record.getGatewaySignature());
        }
    }

    private void transaction(LedgerTransaction tx, long timestamp, long now) {
        Integer ordinal = ordinals.get(tx.getSubmissionId());
        if (ordinal == null || !delegateKey.equals(tx.getDelegateKey())) {
            return;
        }
        if (seenAt[TX][ordinal] != 0) {
            // Another pipeline's offload stage forwarded this run's masked record again (shared topics).
            duplicates.incrementAndGet();
            return;
        }
        seenAt[TX][ordinal] = now;
        signedAt[ordinal] = timestamp;
        chainOf[ordinal] = tx.getChain();
        sequenceOf[ordinal] = tx.getSequence();
        if (sampleTransaction == null) {
            sampleTransaction = AvroMapping.bytes(tx.getCanonical());
        }
        seen[TX].incrementAndGet();
        markFinished(ordinal);
    }

    private void block(LedgerBlock block, long now) {
        if (!delegateKey.equals(block.getDelegateKey())) {
            return;
        }
        if (sampleBlockHeader == null) {
            sampleBlockHeader = AvroMapping.bytes(block.getHeader());
        }
        synchronized (blocks) {
            blocks.add(new Block(block.getChain(), block.getHeight(), block.getTxCount(), block.getFirstSequence(),
                    block.getLastSequence(), now));
            sealedUpTo.merge(block.getChain(), block.getLastSequence(), Math::max);
        }
        blockCount.incrementAndGet();
    }

    private void rejected(RejectedRecord dead, Serde<SpecificRecord> any) {
        if (dead.getValue() == null) {
            return;
        }
        String id;
        try {
            SpecificRecord value = any.deserializer().deserialize(dead.getSourceTopic(), AvroMapping.bytes(dead.getValue()));
            if (value instanceof Submission s) {
                id = s.getSubmissionId();
            } else if (value instanceof SignedMaskedRecord m) {
                id = m.getSubmissionId();
            } else {
                return;
            }
        } catch (RuntimeException e) {
            return;
        }
        Integer ordinal = ordinals.get(id);
        if (ordinal == null) {
            return;
        }
        if (UNKNOWN_MEMBER.equals(dead.getReason())) {
            // This run's members are enrolled by its own authority, so its stages never say unknown-member:
            // another pipeline on the shared topics read the record and refused it. Not this run's outcome.
            refusedElsewhere.incrementAndGet();
            return;
        }
        synchronized (rejectedReasons) {
            rejectedReasons.merge(dead.getStage() + "/" + dead.getReason(), 1, Integer::sum);
        }
        rejectedCount.incrementAndGet();
        markFinished(ordinal);
    }

    private void markFinished(int ordinal) {
        int phase = phaseOf[ordinal];
        if (finished[phase].incrementAndGet() == phaseSize[phase]) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Waits until every submission of {@code phase} is on ledger.tx or refused; false on timeout. */
    synchronized boolean awaitPhase(int phase, long deadlineMillis, Runnable check) throws InterruptedException {
        while (finished[phase].get() < phaseSize[phase]) {
            if (failure != null) {
                throw new IllegalStateException("the observer failed: " + failure, failure);
            }
            check.run();
            long left = deadlineMillis - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 100));
        }
        return true;
    }

    int finished(int phase) {
        return finished[phase].get();
    }

    int seen(int stage) {
        return seen[stage].get();
    }

    int rejected() {
        return rejectedCount.get();
    }

    /** Refusals of this run's records by other pipelines on the broker (a sign they shared the run). */
    int refusedElsewhere() {
        return refusedElsewhere.get();
    }

    /** Second transactions for one submission (another pipeline's offload stage re-forwarded it). */
    int duplicates() {
        return duplicates.get();
    }

    int blocks() {
        return blockCount.get();
    }

    List<Block> blockList() {
        synchronized (blocks) {
            return List.copyOf(blocks);
        }
    }

    /** The highest sequence sealed in a block, per chain. */
    Map<Long, Long> sealedUpTo() {
        synchronized (blocks) {
            return Map.copyOf(sealedUpTo);
        }
    }

    Map<String, Integer> rejectedReasons() {
        synchronized (rejectedReasons) {
            return new TreeMap<>(rejectedReasons);
        }
    }

    @Override
    public void close() {
        closing = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
