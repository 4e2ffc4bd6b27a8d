package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.avro.AnchorRecord;
import org.emrsb.avro.AnchorStatus;
import org.emrsb.avro.AnchoredBlock;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.core.bitcoin.AnchorKeyFile;
import org.emrsb.core.bitcoin.BitcoinHeader;
import org.emrsb.core.bitcoin.BitcoinMerkle;
import org.emrsb.core.bitcoin.BitcoinTransaction;
import org.emrsb.core.bitcoin.BitcoindClient;
import org.emrsb.core.bitcoin.BitcoindEndpoint;
import org.emrsb.core.bitcoin.DoubleSha256;
import org.emrsb.core.bitcoin.TransactionStatus;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.AnchorHeader;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.merkle.MerkleTree;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.schemas.RegistrySettings;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.LedgerTopology;
import org.emrsb.stream.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anchor stage and the broadcaster as processes against the real broker, registry and the stack's
 * regtest node, at the default confirmation depth (6), through SIGKILLs of both between prepare,
 * broadcast and confirmation: every anchor is PREPARED once and CONFIRMED once, the anchors chain (each
 * transaction spends the previous one's change), every block is in exactly one anchor, and each
 * CONFIRMED record's header and branch lead from the transaction to a block of the node's best chain.
 */
class AnchorIT {

    private static final Duration START = Duration.ofMinutes(2);
    private static final Duration OUTCOME = Duration.ofMinutes(2);
    private static final String URL = "http://" + env("EMRSB_BITCOIN_RPCUSER", "emrsb") + ":"
            + env("EMRSB_BITCOIN_RPCPASSWORD", "emrsb") + "@127.0.0.1:" + env("EMRSB_BITCOIN_PORT", "18443");
    private static final int DEPTH = 6;

    private final String applicationId = "it-anchor-" + UUID.randomUUID();
    private final List<EmrsbProcess> processes = new ArrayList<>();
    private final BitcoindClient node = new BitcoindClient(BitcoindEndpoint.parse(URL), Duration.ofSeconds(10));
    private final SecureRandom random = new SecureRandom();
    private final Serde<LedgerBlock> blockSerde = AvroSerdes.registry(new RegistrySettings(LedgerRecords.REGISTRY, false), false);
    private final Serde<AnchorRecord> anchorSerde = AvroSerdes.registry(new RegistrySettings(LedgerRecords.REGISTRY, false), false);
    private final Set<String> sentBlocks = new HashSet<>();
    /** Every committed record of this wallet on ledger.anchors, in offset order. */
    private final List<AnchorRecord> records = new ArrayList<>();
    @TempDir
    Path dir;
    private Path logs;
    private Path keyFile;
    private String wallet;
    private KafkaConsumer<byte[], byte[]> reader;
    /** The RPC URL of a node this test started itself, or null for the stack's. */
    private String ownRpc;

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    @BeforeAll
    static void topicsAndSchemas() throws Exception {
        Ops.Result setup = Ops.run(START, "ops/emrsb", "setup");
        assertEquals(0, setup.exitCode(), setup.all());
    }

    @AfterEach
    void stop() throws Exception {
        for (EmrsbProcess process : processes) {
            process.close();
        }
        if (reader != null) {
            reader.close();
        }
        TestApplications.forget(applicationId, List.of(applicationId));
    }

    @Test
    void everyAnchorConfirmsOnceThroughKillsOfTheStageAndTheBroadcaster() throws Exception {
        logs = Files.createDirectories(dir.resolve("logs"));
        newFundedWallet();

        EmrsbProcess stage = startStage("stage");
        EmrsbProcess broadcaster = startBroadcaster("broadcaster");
        stage.awaitLog("pipeline REBALANCING -> RUNNING", START);
        broadcaster.awaitLog("following them to", START);

        // 1. the broadcaster dies as soon as the first anchor is PREPARED (before or after sending it)
        sendBlocks(3);
        awaitRecord(a -> a.getSequence() == 0 && a.getStatus() == AnchorStatus.PREPARED, "anchor 0 PREPARED");
        broadcaster.kill();
        broadcaster = startBroadcaster("broadcaster-2");
        awaitConfirmed(0);

        // 2. the stage dies right after it prepared anchor 1, and a window fills while it is down
        sendBlocks(2);
        awaitRecord(a -> a.getSequence() == 1 && a.getStatus() == AnchorStatus.PREPARED, "anchor 1 PREPARED");
        stage.kill();
        sendBlocks(2);
        stage = startStage("stage-2");
        awaitRecord(a -> a.getSequence() == 2 && a.getStatus() == AnchorStatus.PREPARED, "anchor 2 PREPARED");

        // 3. the broadcaster dies between broadcast (PENDING) and confirmation; blocks are mined while it is down
        awaitRecord(a -> a.getSequence() == 2 && a.getStatus() == AnchorStatus.PENDING, "anchor 2 PENDING");
        broadcaster.kill();
        mine(DEPTH);
        startBroadcaster("broadcaster-3");
        awaitConfirmed(1);
        awaitConfirmed(2);

        assertExactlyOnce();
        assertChainOfTransactions();
        assertEveryBlockInOneAnchor();
        for (long sequence = 0; sequence <= 2; sequence++) {
            assertConfirmedInBestChain(latest(sequence));
        }
    }

    /**
     * A node of its own, without mine-on-send, whose mempool is lost on a restart (as bitcoind's is without
     * mempool.dat): the broadcaster finds the PENDING anchor gone and sends it again, once.
     */
    @Test
    void aTransactionTheNodeDroppedIsSentAgain() throws Exception {
        logs = Files.createDirectories(dir.resolve("logs"));
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> nodeEnv = Map.of("EMRSB_HOME", dir.resolve("node").toString(), "EMRSB_BITCOIN_PORT",
                Integer.toString(port), "EMRSB_BITCOIN_MINE_ON_SEND", "0");
        ownRpc = "http://emrsb:emrsb@127.0.0.1:" + port;
        BitcoindClient own = new BitcoindClient(BitcoindEndpoint.parse(ownRpc), Duration.ofSeconds(10));
        try {
            stack(nodeEnv, "up");
            newFundedWallet();
            own.call("generatetoaddress", 1L, own.call("getnewaddress").textValue()); // the funding, mined

            EmrsbProcess stage = startStage("stage");
            Map<String, String> broadcasterEnv = env();
            broadcasterEnv.put("EMRSB_ANCHOR_POLL_INTERVAL", "300ms");
            broadcasterEnv.put("EMRSB_ANCHOR_CONFIRMATIONS", "1");
            EmrsbProcess broadcaster = started(EmrsbProcess.start("broadcaster", logs, broadcasterEnv, "run", "--role",
                    "broadcaster", "--application-id", applicationId));
            stage.awaitLog("pipeline REBALANCING -> RUNNING", START);
            broadcaster.awaitLog("following them to", START);
            sendBlocks(1);
            awaitRecord(a -> a.getSequence() == 0 && a.getStatus() == AnchorStatus.PENDING, "anchor 0 PENDING");
            assertEquals(TransactionStatus.State.IN_MEMPOOL, own.getTransactionStatus(latest(0).getTxid()).state());

            stack(nodeEnv, "down");
            stack(nodeEnv, "up"); // the mempool is gone
            awaitRecord(a -> a.getSequence() == 0 && a.getStatus() == AnchorStatus.PENDING
                    && a.getNote().contains("sent again"), "anchor 0 sent again");
            assertEquals(TransactionStatus.State.IN_MEMPOOL, own.getTransactionStatus(latest(0).getTxid()).state());
            own.call("generatetoaddress", 1L, own.call("getnewaddress").textValue());
            awaitRecord(a -> a.getSequence() == 0 && a.getStatus() == AnchorStatus.CONFIRMED, "anchor 0 CONFIRMED");
            assertEquals(1, records.stream().filter(a -> a.getStatus() == AnchorStatus.CONFIRMED).count());
            assertEquals(2, records.stream().filter(a -> a.getStatus() == AnchorStatus.PENDING).count(),
                    "sent, then sent again: " + describe());
        } finally {
            for (EmrsbProcess process : processes) {
                process.close();
            }
            processes.clear();
            Ops.run(START, nodeEnv, "ops/stack", "down", "bitcoin"); // whatever failed, the node stops
        }
    }

    /**
     * A new anchor key, funded with 0.01 BTC from the node's wallet (`ops/emrsb anchor fund`); the
     * application's inputs and this test's reader start at the current end.
     */
    private void newFundedWallet() throws Exception {
        keyFile = dir.resolve("anchor.key");
        Ops.Result keygen = Ops.run(START, "ops/emrsb", "anchor", "keygen", "--out", keyFile.toString());
        assertEquals(0, keygen.exitCode(), keygen.all());
        AnchorKeyFile file = AnchorKeyFile.read(keyFile);
        wallet = file.key().address(file.network());
        startInputsAtTheirEnd();
        openReader();
        Ops.Result fund = Ops.run(START, env(), "ops/emrsb", "anchor", "fund", "--amount", "0.01");
        assertEquals(0, fund.exitCode(), fund.all());
    }

    private static void stack(Map<String, String> env, String command) throws Exception {
        Ops.Result result = Ops.run(START, env, "ops/stack", command, "bitcoin");
        assertEquals(0, result.exitCode(), result.all());
    }

    // --- the processes

    private EmrsbProcess startStage(String name) throws Exception {
        Map<String, String> env = env();
        env.put("EMRSB_STREAMS_STATE_DIR", dir.resolve("state").toString());
        env.put("EMRSB_ANCHOR_INTERVAL", "3s");
        return started(EmrsbProcess.start(name, logs, env, "run", "--role", "anchor", "--application-id", applicationId));
    }

    private EmrsbProcess startBroadcaster(String name) throws Exception {
        Map<String, String> env = env();
        env.put("EMRSB_ANCHOR_POLL_INTERVAL", "300ms");
        return started(EmrsbProcess.start(name, logs, env, "run", "--role", "broadcaster", "--application-id",
                applicationId));
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("EMRSB_ANCHOR_KEY_FILE", keyFile.toString());
        env.put("EMRSB_BITCOIN_RPC", ownRpc == null ? URL : ownRpc);
        env.put("EMRSB_QUERY_LISTEN", "");
        return env;
    }

    private EmrsbProcess started(EmrsbProcess process) {
        processes.add(process);
        return process;
    }

    // --- input

    /** Blocks of random content on three chains, as a delegate would seal them; the stage does not judge blocks. */
    private void sendBlocks(int perChain) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LedgerRecords.BOOTSTRAP,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, LedgerBlock> producer = new KafkaProducer<>(props, new StringSerializer(),
                blockSerde.serializer())) {
            for (int chain = 0; chain < 3; chain++) {
                for (int i = 0; i < perChain; i++) {
                    long height = nextHeight.merge((long) chain, 1L, Long::sum);
                    SealedBlock block = block(chain, height);
                    sentBlocks.add(Hex.encode(block.hash()));
                    producer.send(new ProducerRecord<>(Topics.LEDGER_BLOCKS, chain, Integer.toString(chain),
                            LedgerTopology.toAvro(block))).get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private final Map<Long, Long> nextHeight = new TreeMap<>();

    private SealedBlock block(long chain, long height) {
        byte[] previous = new byte[32];
        byte[] root = new byte[32];
        random.nextBytes(previous);
        random.nextBytes(root);
        long now = System.currentTimeMillis();
        BlockHeader header = new BlockHeader(chain, height, previous, now - 1000, now, 1, height, height, root, 1,
                new byte[32]);
        byte[] bytes = header.toBytes();
        return new SealedBlock(header, bytes, Sha256.hash(bytes), new byte[64]);
    }

    /** This application's groups start at the current end of their inputs, as if deployed just now. */
    private void startInputsAtTheirEnd() throws Exception {
        TestApplications.startAtEnd(applicationId, Topics.LEDGER_BLOCKS, Topics.ANCHOR_INPUT);
    }

    // --- output

    private void openReader() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LedgerRecords.BOOTSTRAP);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = List.of(new TopicPartition(Topics.LEDGER_ANCHORS, 0));
        reader.assign(partitions);
        reader.seekToEnd(partitions);
        reader.position(partitions.get(0));
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
            AnchorRecord anchor = anchorSerde.deserializer().deserialize(record.topic(), record.value());
            if (anchor.getWallet().equals(wallet)) {
                records.add(anchor);
            }
        }
    }

    private void awaitRecord(Predicate<AnchorRecord> wanted, String what) throws Exception {
        Instant deadline = Instant.now().plus(OUTCOME);
        while (records.stream().noneMatch(wanted)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no " + what + " within " + OUTCOME + "; records: " + describe() + "\n" + tails());
            }
            poll();
        }
    }

    /** Mines a block now and then (the node mines one per anchor sent) until the anchor is CONFIRMED. */
    private void awaitConfirmed(long sequence) throws Exception {
        Instant deadline = Instant.now().plus(OUTCOME);
        while (records.stream().noneMatch(a -> a.getSequence() == sequence && a.getStatus() == AnchorStatus.CONFIRMED)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("anchor " + sequence + " not CONFIRMED within " + OUTCOME + "; records: "
                        + describe() + "\n" + tails());
            }
            if (records.stream().anyMatch(a -> a.getSequence() == sequence && a.getStatus() == AnchorStatus.PENDING)) {
                mine(1);
            }
            poll();
        }
    }

    private void mine(int blocks) throws Exception {
        node.call("generatetoaddress", (long) blocks, node.call("getnewaddress").textValue());
    }

    // --- checks

    private void assertExactlyOnce() {
        for (long sequence = 0; sequence <= 2; sequence++) {
            final long s = sequence;
            for (AnchorStatus status : List.of(AnchorStatus.PREPARED, AnchorStatus.PENDING, AnchorStatus.CONFIRMED)) {
                long count = records.stream().filter(a -> a.getSequence() == s && a.getStatus() == status).count();
                assertEquals(1, count, "anchor " + s + " " + status + " records: " + describe());
            }
        }
    }

    private void assertChainOfTransactions() {
        byte[] previousHash = null;
        BitcoinTransaction previous = null;
        for (long sequence = 0; sequence <= 2; sequence++) {
            AnchorRecord anchor = latest(sequence);
            AnchorHeader header = AnchorHeader.parse(AvroMapping.bytes(anchor.getHeader()));
            BitcoinTransaction tx = BitcoinTransaction.parse(AvroMapping.bytes(anchor.getTx()));
            assertArrayEquals(BitcoinTransaction.opReturnScript(header.hash()), tx.outputs().get(0).script());
            if (previous != null) {
                assertArrayEquals(previousHash, header.previousAnchorHash());
                assertArrayEquals(previous.txid(), tx.inputs().get(0).previousTxid(), "anchor " + sequence
                        + " spends the previous anchor's change");
                assertEquals(1, tx.inputs().get(0).previousIndex());
            }
            List<byte[]> leaves = anchor.getBlocks().stream().map(b -> Hex.decode(b.getHash(), 32, "hash")).toList();
            assertArrayEquals(MerkleTree.rootOfLeafData(leaves), header.merkleRoot());
            previousHash = header.hash();
            previous = tx;
        }
    }

    private void assertEveryBlockInOneAnchor() {
        List<String> anchored = new ArrayList<>();
        for (long sequence = 0; sequence <= 2; sequence++) {
            latest(sequence).getBlocks().stream().map(AnchoredBlock::getHash).forEach(anchored::add);
        }
        assertEquals(anchored.size(), new HashSet<>(anchored).size(), "a block in two anchors");
        assertTrue(anchored.containsAll(sentBlocks), "every block sent is anchored");
    }

    private void assertConfirmedInBestChain(AnchorRecord anchor) throws Exception {
        byte[] tx = AvroMapping.bytes(anchor.getTx());
        byte[] header = AvroMapping.bytes(anchor.getBitcoinHeader());
        List<byte[]> branch = anchor.getBranch().stream().map(h -> Hex.decode(h, 32, "branch")).toList();
        byte[] root = BitcoinMerkle.rootFromBranch(DoubleSha256.hash(tx), anchor.getTxIndex(), branch);
        assertArrayEquals(BitcoinHeader.parse(header).merkleRoot(), root);
        assertEquals(anchor.getBitcoinBlockHash(), node.getBlockHash(anchor.getBitcoinHeight()));
        assertEquals(anchor.getBitcoinBlockHash(), Hex.encode(DoubleSha256.reverse(DoubleSha256.hash(header))));
        TransactionStatus status = node.getTransactionStatus(anchor.getTxid());
        assertTrue(status.confirmations() >= DEPTH, anchor.getSequence() + ": " + status);
        assertTrue(anchor.getConfirmations() >= DEPTH);
    }

    private AnchorRecord latest(long sequence) {
        AnchorRecord found = null;
        for (AnchorRecord a : records) {
            if (a.getSequence() == sequence) {
                found = a;
            }
        }
        return found;
    }

    private String describe() {
        return records.stream().map(a -> a.getSequence() + ":" + a.getStatus()).collect(Collectors.joining(", "));
    }

    private String tails() {
        return processes.stream().map(p -> "--- " + p.name() + "\n" + p.tail()).collect(Collectors.joining("\n"));
    }
}
