package org.emrsb.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.avro.AnchorRecord;
import org.emrsb.avro.AnchorStatus;
import org.emrsb.core.bitcoin.BitcoinHeader;
import org.emrsb.core.bitcoin.BitcoinMerkle;
import org.emrsb.core.bitcoin.BitcoinTransaction;
import org.emrsb.core.bitcoin.BitcoindClient;
import org.emrsb.core.bitcoin.BitcoindRpcException;
import org.emrsb.core.bitcoin.BroadcastResult;
import org.emrsb.core.bitcoin.DoubleSha256;
import org.emrsb.core.bitcoin.TransactionStatus;
import org.emrsb.core.crypto.Hex;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anchors' outbox (issue 8, step 3): a plain read_committed consumer of ledger.anchors, outside any
 * stream transaction, that sends every PREPARED anchor transaction to the Bitcoin node, records PENDING,
 * and follows it to CONFIRMED at {@code depth} confirmations, with the Bitcoin block header and the
 * transaction's Merkle branch in the record, which is what a proof needs.
 *
 * <p>Nothing committed is forgotten: on start it reads ledger.anchors from the beginning (no consumer
 * offsets), so its view is the topic's. Sending is idempotent: the node is asked first, and a transaction
 * it already holds (mempool or chain) is not sent again; one it dropped is sent again. Its own records go
 * out through a transactional producer with a fixed transactional id, so a second broadcaster fences the
 * first and a restart between broadcast and confirmation confirms the anchor once. Anchors are sent in
 * sequence order and a refused one holds back the later ones, which spend its change. It follows only the
 * anchors of its own wallet (the anchor key's address), since alliances may share a cluster.
 */
final class AnchorBroadcaster implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnchorBroadcaster.class);

    private final EmrsbConfig config;
    private final BitcoindClient node;
    private final Serde<AnchorRecord> anchors;
    private final int depth;
    private final Duration pollInterval;
    private final String transactionalId;
    private final String wallet;
    private final Duration stuckAfter;
    private final java.util.Set<Long> reportedStuck = new java.util.HashSet<>();
    private final Map<Long, AnchorRecord> latest = new TreeMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Exception failure;

    /**
     * @param depth           confirmations that make an anchor CONFIRMED (6 by default; the demo uses 1)
     * @param transactionalId one per alliance: a second broadcaster with it fences the first
     */
    AnchorBroadcaster(EmrsbConfig config, BitcoindClient node, Serde<AnchorRecord> anchors, String wallet, int depth,
            Duration pollInterval, Duration stuckAfter, String transactionalId) {
        if (depth < 1) {
            throw new IllegalArgumentException("anchor.confirmations must be at least 1, was " + depth);
        }
        this.config = config;
        this.node = node;
        this.anchors = anchors;
        this.depth = depth;
        this.pollInterval = pollInterval;
        this.transactionalId = transactionalId;
        this.wallet = wallet;
        this.stuckAfter = stuckAfter;
    }

    @Override
    public void run() {
        String topic = config.topics().spec(Topics.LEDGER_ANCHORS).name();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(
                KafkaClients.consumer(config, "emrsb-anchor-broadcaster"), new StringDeserializer(),
                new ByteArrayDeserializer());
                KafkaProducer<String, AnchorRecord> writer = new KafkaProducer<>(producerProps(),
                        new StringSerializer(), anchors.serializer())) {
            consumer = reader;
            writer.initTransactions(); // fences an older broadcaster with the same id
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long end = reader.endOffsets(List.of(partition), KafkaClients.CALL_TIMEOUT).get(partition);
            while (reader.position(partition) < end && !closed.get()) {
                read(reader.poll(Duration.ofMillis(200)), topic);
            }
            LOG.info("broadcaster: {} anchors of {} read from {}; following them to {} confirmations on {}", latest.size(),
                    wallet, topic, depth, node.endpoint());
            ready.countDown();
            while (!closed.get()) {
                advanceAll(writer, topic);
                read(reader.poll(pollInterval), topic);
            }
        } catch (WakeupException e) {
            if (!closed.get()) {
                failure = e;
            }
        } catch (RuntimeException e) {
            LOG.error("broadcaster: stopped", e);
            failure = e;
        } finally {
            ready.countDown();
            done.countDown();
        }
    }

    private void read(Iterable<ConsumerRecord<String, byte[]>> records, String topic) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                AnchorRecord anchor = anchors.deserializer().deserialize(topic, record.value());
                if (anchor.getWallet().equals(wallet)) { // another alliance's anchors are not ours to send
                    latest.merge(anchor.getSequence(), anchor, AnchorBroadcaster::further);
                }
            } catch (RuntimeException e) {
                LOG.warn("broadcaster: {}@{} is not an anchor record; skipped: {}", topic, record.offset(), e.getMessage());
            }
        }
    }

    /**
     * Of two records of one anchor, the one further on: statuses only move forward (UNFUNDED, PREPARED,
     * PENDING, CONFIRMED), and a record this broadcaster wrote is read back after it already moved on.
     */
    static AnchorRecord further(AnchorRecord held, AnchorRecord read) {
        if (!held.getHash().equals(read.getHash())) {
            LOG.error("broadcaster: two anchors {} of wallet {} ({} and {}): two anchor stages use one anchor key; "
                    + "following the first", held.getSequence(), held.getWallet(), held.getHash(), read.getHash());
            return held;
        }
        return read.getStatus().ordinal() >= held.getStatus().ordinal() ? read : held;
    }

    /** Moves every unconfirmed anchor on, oldest first; stops at the first the node refuses or cannot answer. */
    private void advanceAll(KafkaProducer<String, AnchorRecord> writer, String topic) {
        for (AnchorRecord anchor : new ArrayList<>(latest.values())) {
            if (anchor.getStatus() == AnchorStatus.CONFIRMED) {
                continue;
            }
            if (anchor.getStatus() == AnchorStatus.UNFUNDED) {
                return; // the later ones are unfunded too: they spend its change
            }
            try {
                if (!advance(anchor, writer, topic)) {
                    return;
                }
            } catch (IOException e) {
                LOG.warn("broadcaster: anchor {}: the node does not answer ({}); trying again in {}", anchor.getSequence(),
                        e.getMessage(), pollInterval);
                return;
            }
        }
    }

    /** One step for one anchor; false when the later anchors must wait. */
    private boolean advance(AnchorRecord anchor, KafkaProducer<String, AnchorRecord> writer, String topic)
            throws IOException {
        TransactionStatus status = node.getTransactionStatus(anchor.getTxid());
        if (status.state() == TransactionStatus.State.UNKNOWN) {
            return send(anchor, writer, topic);
        }
        if (status.state() == TransactionStatus.State.CONFIRMED && status.confirmations() >= depth) {
            write(confirmed(anchor, status), writer, topic);
            return true;
        }
        long confirmations = status.state() == TransactionStatus.State.CONFIRMED ? status.confirmations() : 0;
        if (confirmations == 0 && anchor.getStatus() == AnchorStatus.PENDING) {
            reportIfStuck(anchor);
        }
        if (anchor.getStatus() == AnchorStatus.PREPARED) {
            write(pending(anchor, confirmations, "the node already holds it"), writer, topic);
        }
        return true;
    }

    /**
     * Says once when an anchor has waited in the mempool longer than {@code anchor.stuck-after}: its fee
     * rate is below what miners take now. The remedy is the operator's (docs/anchoring.md): raise
     * anchor.fee-rate and restart the stage; the next anchor spends this one's change and pays for both.
     */
    private void reportIfStuck(AnchorRecord anchor) {
        Duration waited = Duration.between(anchor.getRecordedAt(), Instant.now());
        if (waited.compareTo(stuckAfter) > 0 && reportedStuck.add(anchor.getSequence())) {
            LOG.warn("broadcaster: anchor {} ({}) has waited unconfirmed for {} at fee {} sat: raise anchor.fee-rate and "
                    + "restart the anchor stage; the next anchor spends its change and pays for both (child pays for "
                    + "parent)", anchor.getSequence(), anchor.getTxid(), waited.withNanos(0), anchor.getFee());
        }
    }

    private boolean send(AnchorRecord anchor, KafkaProducer<String, AnchorRecord> writer, String topic)
            throws IOException {
        BitcoinTransaction tx = BitcoinTransaction.parse(AvroMapping.bytes(anchor.getTx()));
        BroadcastResult result;
        try {
            result = node.sendRawTransaction(tx);
        } catch (BitcoindRpcException e) {
            LOG.warn("broadcaster: the node refuses anchor {} ({}): {} {}; later anchors wait", anchor.getSequence(),
                    anchor.getTxid(), e.code(), e.rpcMessage());
            return false;
        }
        boolean again = anchor.getStatus() == AnchorStatus.PENDING;
        LOG.info("broadcaster: anchor {} {} as {} ({})", anchor.getSequence(), again ? "sent again" : "sent",
                result.txid(), result.outcome());
        write(pending(anchor, 0, again ? "sent again: the node had dropped it" : "sent to " + node.endpoint()),
                writer, topic);
        return true;
    }

    private AnchorRecord pending(AnchorRecord anchor, long confirmations, String note) {
        return AnchorRecord.newBuilder(anchor).setStatus(AnchorStatus.PENDING).setConfirmations(confirmations)
                .setRecordedAt(Instant.now()).setNote(note).build();
    }

    /** The CONFIRMED record: the block's header, height and the transaction's Merkle branch. */
    private AnchorRecord confirmed(AnchorRecord anchor, TransactionStatus status) throws IOException {
        JsonNode block = node.call("getblock", status.blockHash(), 1L);
        List<byte[]> txids = new ArrayList<>();
        for (JsonNode txid : block.path("tx")) {
            txids.add(DoubleSha256.reverse(Hex.decode(txid.asText(), 32, "txid")));
        }
        byte[] ours = DoubleSha256.reverse(Hex.decode(anchor.getTxid(), 32, "txid"));
        int index = indexOf(txids, ours);
        if (index < 0) {
            throw new IOException("block " + status.blockHash() + " does not list anchor transaction " + anchor.getTxid());
        }
        BitcoinHeader header = node.getBlockHeader(status.blockHash());
        if (!java.util.Arrays.equals(BitcoinMerkle.root(txids), header.merkleRoot())) {
            throw new IOException("block " + status.blockHash() + ": its transaction list does not lead to its header");
        }
        List<String> branch = BitcoinMerkle.branch(txids, index).stream().map(Hex::encode).toList();
        return AnchorRecord.newBuilder(anchor).setStatus(AnchorStatus.CONFIRMED).setConfirmations(status.confirmations())
                .setBitcoinBlockHash(status.blockHash()).setBitcoinHeight(block.path("height").asLong())
                .setBitcoinHeader(ByteBuffer.wrap(header.toBytes())).setTxIndex((long) index).setBranch(branch)
                .setRecordedAt(Instant.now()).setNote("confirmed at depth " + status.confirmations()).build();
    }

    private static int indexOf(List<byte[]> txids, byte[] txid) {
        for (int i = 0; i < txids.size(); i++) {
            if (java.util.Arrays.equals(txids.get(i), txid)) {
                return i;
            }
        }
        return -1;
    }

    /** Writes one record in its own Kafka transaction, and only then takes it as the anchor's state. */
    private void write(AnchorRecord record, KafkaProducer<String, AnchorRecord> writer, String topic) {
        writer.beginTransaction();
        writer.send(new ProducerRecord<>(topic, 0, org.emrsb.stream.AnchorTopology.key(record), record));
        writer.commitTransaction();
        latest.put(record.getSequence(), record);
        LOG.info("broadcaster: anchor {} {}{} ({})", record.getSequence(), record.getStatus(),
                record.getStatus() == AnchorStatus.CONFIRMED ? " in block " + record.getBitcoinHeight() : "",
                record.getNote());
    }

    private Properties producerProps() {
        Properties props = KafkaClients.producer(config, "emrsb-anchor-broadcaster");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return props;
    }

    /** Waits until it has read ledger.anchors up to its end at start. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) && failure == null;
    }

    /** Why it stopped, or null. */
    Exception failure() {
        return failure;
    }

    @Override
    public void close() {
        closed.set(true);
        KafkaConsumer<String, byte[]> reader = consumer;
        if (reader != null) {
            reader.wakeup();
        }
        try {
            done.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
