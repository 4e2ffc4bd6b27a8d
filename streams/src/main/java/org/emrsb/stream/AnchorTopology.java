package org.emrsb.stream;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
import org.apache.kafka.streams.state.StoreBuilder;
import org.emrsb.avro.AnchorFunding;
import org.emrsb.avro.AnchorRecord;
import org.emrsb.avro.AnchorStatus;
import org.emrsb.avro.AnchoredBlock;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.core.anchor.AnchorState;
import org.emrsb.core.anchor.AnchorWindow;
import org.emrsb.core.bitcoin.AnchorKey;
import org.emrsb.core.bitcoin.AnchorTransaction;
import org.emrsb.core.bitcoin.AnchorTransactions;
import org.emrsb.core.bitcoin.BitcoinNetwork;
import org.emrsb.core.bitcoin.FeeRate;
import org.emrsb.core.bitcoin.InsufficientFundsException;
import org.emrsb.core.bitcoin.SpendableOutput;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.AnchorHeader;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.schemas.AvroSerdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anchor stage (paper §4.2, step 7): every {@code interval} of wall-clock time (ten minutes by
 * default) the blocks sealed since the last anchor, of all chains, are anchored in Bitcoin.
 *
 * <p>Two sub-topologies. The first copies ledger.blocks (a partition per chain) into the one-partition
 * ledger.anchor-input, so that one task sees every chain. The second, {@value #SEALER}, keeps the open
 * window's blocks in {@link Stores#ANCHOR_WINDOW} and, on a wall-clock punctuation once the aligned
 * window has closed, seals them into an {@link AnchorHeader} (the RFC 6962 root over the block hashes in
 * ascending chain and height order), builds and signs the Bitcoin transaction whose OP_RETURN carries the
 * anchor hash, and writes the anchor as PREPARED to ledger.anchors, all inside its stream transaction. A
 * quiet chain never holds an anchor back, and a window without blocks makes no anchor.
 *
 * <p>The anchor transactions form a chain: each spends the previous one's change (and any coins funded
 * since, read from ledger.anchor-funds), so two anchors never spend the same coins and the transactions
 * are built here, deterministically, not by a wallet. An anchor sealed while the wallet cannot pay is
 * written UNFUNDED and waits, with every later anchor, until a funding arrives. Broadcasting is not done
 * here: the broadcaster reads ledger.anchors outside any stream transaction.
 */
public final class AnchorTopology {

    public static final String BLOCKS_SOURCE = "anchor-blocks-source";
    public static final String INPUT_SINK = "anchor-input-sink";
    public static final String INPUT_SOURCE = "anchor-input-source";
    public static final String FUNDS_SOURCE = "anchor-funds-source";
    public static final String SEALER = "anchor-sealer";
    public static final String ANCHORS_SINK = "anchor-sink";
    public static final String REJECTED_SINK = "anchor-rejected-sink";
    /** The stage name on its dead letters. */
    public static final String STAGE = "anchor";

    private static final Logger LOG = LoggerFactory.getLogger(AnchorTopology.class);
    private static final String STATE_KEY = "state";

    /**
     * @param key      the anchor wallet's key: it signs every anchor transaction, and fundings must pay its
     *                 P2PKH address on {@code network}
     * @param feeRate  what every anchor transaction pays (deterministic: the same on a rebuild)
     * @param interval the anchor window, aligned to the wall clock
     * @param authority when present, only blocks sealed by a delegate this enrolment authority certified are
     *                  anchored (the alliance's own); empty anchors every block on ledger.blocks
     */
    public record Components(Serde<LedgerBlock> blocks, Serde<AnchorFunding> funds, Serde<AnchorRecord> anchors,
            Serde<RejectedRecord> rejected, AnchorKey key, BitcoinNetwork network, FeeRate feeRate,
            Duration interval, Optional<VerifyingKey> authority) {

        public Components {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(feeRate, "feeRate");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the anchor interval must be positive, was " + interval);
            }
        }

        /** The anchor wallet's address. */
        public String address() {
            return key.address(network);
        }

        AnchorTransaction sign(List<SpendableOutput> coins, byte[] anchorHash, long parentFee)
                throws InsufficientFundsException {
            return AnchorTransactions.build(coins, anchorHash, key, feeRate, parentFee);
        }

        /** How often the punctuator looks at the window: a quarter interval, between 100 ms and 1 s. */
        Duration tick() {
            return Duration.ofMillis(Math.max(100, Math.min(1000, interval.toMillis() / 4)));
        }
    }

    static final List<String> STORES = List.of(Stores.ANCHOR_STATE, Stores.ANCHOR_WINDOW, Stores.ANCHOR_UNFUNDED);

    private AnchorTopology() {
    }

    public static void build(Topology topology, Topics topics, Components components) {
        StreamPartitioner<String, byte[]> single = (topic, key, value, n) -> Optional.of(Set.of(0));
        topology.addSource(BLOCKS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.LEDGER_BLOCKS).name());
        topology.addSink(INPUT_SINK, topics.spec(Topics.ANCHOR_INPUT).name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), single, BLOCKS_SOURCE);
        topology.addSource(INPUT_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.ANCHOR_INPUT).name());
        topology.addSource(FUNDS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.ANCHOR_FUNDS).name());
        topology.addProcessor(SEALER, () -> new Sealer(components), INPUT_SOURCE, FUNDS_SOURCE);
        for (String store : STORES) {
            topology.addStateStore(store(store), SEALER);
        }
        topology.addSink(ANCHORS_SINK, topics.spec(Topics.LEDGER_ANCHORS).name(), Serdes.String().serializer(),
                components.anchors().serializer(), SEALER);
        topology.addSink(REJECTED_SINK, topics.spec(Topics.REJECTED).name(), Serdes.ByteArray().serializer(),
                components.rejected().serializer(), SEALER);
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> store(String name) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray());
    }

    /** The covered blocks of an anchor record, in leaf order. */
    public static List<AnchorWindow.Block> blocks(AnchorRecord record) {
        List<AnchorWindow.Block> blocks = new ArrayList<>(record.getBlocks().size());
        for (AnchoredBlock block : record.getBlocks()) {
            blocks.add(new AnchorWindow.Block(block.getChain(), block.getHeight(),
                    Hex.decode(block.getHash(), 32, "anchored block hash")));
        }
        return blocks;
    }

    static final class Sealer implements Processor<String, byte[], Object, Object> {
        private final Components components;
        private final Serde<AnchorRecord> stored = AvroSerdes.singleObject(AnchorRecord.class);
        private ProcessorContext<Object, Object> context;
        private KeyValueStore<String, byte[]> state;
        private KeyValueStore<String, byte[]> window;
        private KeyValueStore<String, byte[]> unfunded;

        Sealer(Components components) {
            this.components = components;
        }

        @Override
        public void init(ProcessorContext<Object, Object> context) {
            this.context = context;
            this.state = context.getStateStore(Stores.ANCHOR_STATE);
            this.window = context.getStateStore(Stores.ANCHOR_WINDOW);
            this.unfunded = context.getStateStore(Stores.ANCHOR_UNFUNDED);
            AnchorState current = load();
            if (!java.util.Arrays.equals(current.wallet(), components.key().hash160())) {
                throw new IllegalStateException("this application's anchor chain belongs to another anchor key (HASH160 "
                        + Hex.encode(current.wallet()) + ") than anchor.key-file's " + components.address()
                        + "; its coins and transactions are that key's. Run a new key under a new application id");
            }
            LOG.info("anchor stage: next anchor {}, {} blocks in the open window, {} waiting for coins, {} sat in {} "
                    + "coins, every {} to {} ({})", current.nextSequence(), current.windowBlocks(), current.unfunded(),
                    current.balance(), current.coins().size(), components.interval(), components.address(),
                    components.network().id());
            context.schedule(components.tick(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            long now = context.currentSystemTimeMs();
            AnchorState current = load();
            sealIfDue(current, now);
            if (source.topic().equals(Topics.ANCHOR_FUNDS)) {
                onFunding(current, record, source, now);
            } else {
                onBlock(current, record, source, now);
            }
            save(current);
        }

        private void punctuate(long now) {
            AnchorState current = load();
            if (sealIfDue(current, now)) {
                save(current);
            }
        }

        private void onBlock(AnchorState current, Record<String, byte[]> record, RecordMetadata source, long now) {
            LedgerBlock avro;
            SealedBlock block;
            try {
                avro = components.blocks().deserializer().deserialize(Topics.LEDGER_BLOCKS, record.value());
                block = LedgerTopology.fromAvro(avro);
            } catch (RuntimeException e) {
                dead(record, source, "bad-block", "not a sealed block: " + e.getMessage());
                return;
            }
            if (!ourAlliance(block, avro)) {
                return;
            }
            long chain = block.header().chain();
            long height = block.header().height();
            String key = windowKey(chain, height, block.hash());
            if (window.get(key) != null) {
                LOG.debug("anchor stage: chain {} height {} is already in the window", chain, height);
                return;
            }
            window.put(key, block.hash());
            current.addToWindow(current.hasWindow() ? current.windowStart()
                    : AnchorWindow.start(now, components.interval()));
        }

        /**
         * Whether the block is this alliance's: with an authority, its delegate certificate must be one the
         * authority issued to the header's delegate key, and the header must carry that key's signature.
         * Alliances sharing a cluster share chain numbers, so another alliance's block is skipped, not
         * refused; the monitors judge the rest of a block.
         */
        private boolean ourAlliance(SealedBlock block, LedgerBlock avro) {
            if (components.authority().isEmpty()) {
                return true;
            }
            try {
                if (avro.getDelegateCertificate() == null) {
                    return false;
                }
                SignedCertificate certificate = SignedCertificate.parse(AvroMapping.bytes(avro.getDelegateCertificate()));
                byte[] delegate = block.header().delegateKey();
                return certificate.issuedBy(components.authority().get())
                        && java.util.Arrays.equals(certificate.certificate().memberKey(), delegate)
                        && org.emrsb.core.crypto.Signatures.verify(VerifyingKey.of(delegate), block.bytes(),
                                block.signature());
            } catch (RuntimeException e) {
                return false;
            }
        }

        private void onFunding(AnchorState current, Record<String, byte[]> record, RecordMetadata source, long now) {
            SpendableOutput coin;
            try {
                AnchorFunding funding = components.funds().deserializer().deserialize(Topics.ANCHOR_FUNDS, record.value());
                if (!funding.getAddress().equals(components.address())) {
                    dead(record, source, "wrong-address", "the funding pays " + funding.getAddress()
                            + ", not this anchor wallet's " + components.address());
                    return;
                }
                coin = SpendableOutput.ofDisplayTxid(funding.getTxid(), funding.getVout(), funding.getValue());
            } catch (RuntimeException e) {
                dead(record, source, "bad-funding", "not an anchor funding: " + e.getMessage());
                return;
            }
            if (!current.addCoin(coin)) {
                LOG.info("anchor stage: funding {} is already held", coin);
                return;
            }
            LOG.info("anchor stage: funded with {}; {} sat in {} coins", coin, current.balance(), current.coins().size());
            payUnfunded(current, now);
        }

        /** Seals the open window if it has closed; true when it did. */
        private boolean sealIfDue(AnchorState current, long now) {
            if (!current.hasWindow() || now < current.windowStart() + components.interval().toMillis()) {
                return false;
            }
            List<AnchorWindow.Block> blocks = new ArrayList<>(current.windowBlocks());
            List<String> keys = new ArrayList<>(current.windowBlocks());
            try (KeyValueIterator<String, byte[]> it = window.all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> entry = it.next();
                    keys.add(entry.key);
                    blocks.add(new AnchorWindow.Block(Long.parseLong(entry.key.substring(0, 10)),
                            Long.parseLong(entry.key.substring(11, 30)), entry.value));
                }
            }
            long start = current.windowStart();
            AnchorHeader header = AnchorWindow.header(current.nextSequence(), current.previousAnchorHash(), start,
                    start + components.interval().toMillis(), blocks);
            byte[] hash = header.hash();
            keys.forEach(window::delete);
            current.sealed(hash);
            AnchorRecord record = record(header, hash, blocks, now);
            if (current.unfunded() > 0) {
                queue(current, record, "waiting behind anchor " + current.firstUnfunded() + ", which has no coins yet");
            } else {
                prepare(current, record, now);
            }
            LOG.info("anchor stage: anchor {} over {} blocks of [{}, {}) is {}", header.sequence(), blocks.size(),
                    Instant.ofEpochMilli(start), Instant.ofEpochMilli(header.intervalEnd()),
                    current.unfunded() > 0 ? "UNFUNDED" : "PREPARED");
            return true;
        }

        /** Builds and signs the anchor's transaction; without the coins for it the anchor queues. */
        private void prepare(AnchorState current, AnchorRecord record, long now) {
            Signing signing = sign(current, record);
            if (signing.transaction() == null) {
                queue(current, record, signing.shortfall());
                return;
            }
            prepared(current, record, signing, now, "built and signed");
        }

        private void queue(AnchorState current, AnchorRecord record, String why) {
            current.queueUnfunded(record.getSequence());
            record.setStatus(AnchorStatus.UNFUNDED);
            record.setNote(why);
            unfunded.put(sequenceKey(record.getSequence()), stored.serializer().serialize(Stores.ANCHOR_UNFUNDED, record));
            if (current.unfunded() == 1) {
                LOG.warn("anchor stage: anchor {} waits for coins: {}", record.getSequence(), why);
            }
            emit(record, context.currentSystemTimeMs());
        }

        /** Prepares the anchors that waited for coins, oldest first, as far as the coins go. */
        private void payUnfunded(AnchorState current, long now) {
            while (current.unfunded() > 0) {
                String key = sequenceKey(current.firstUnfunded());
                AnchorRecord waiting = stored.deserializer().deserialize(Stores.ANCHOR_UNFUNDED, unfunded.get(key));
                Signing signing = sign(current, waiting);
                if (signing.transaction() == null) {
                    LOG.warn("anchor stage: anchor {} still waits: {}", waiting.getSequence(), signing.shortfall());
                    return;
                }
                current.fundedFirst();
                unfunded.delete(key);
                prepared(current, waiting, signing, now, "funded; built and signed");
            }
        }

        /** The anchor's transaction over every coin held, or why the coins do not pay for it. */
        private Signing sign(AnchorState current, AnchorRecord record) {
            if (current.coins().isEmpty()) {
                return new Signing(null, 0, "the anchor wallet " + components.address() + " has no coins: ops/emrsb anchor fund");
            }
            long parentFee = current.parentFee(components.feeRate().satPerKvb());
            try {
                return new Signing(components.sign(current.coins(), Hex.decode(record.getHash(), 32, "anchor hash"),
                        parentFee), parentFee, null);
            } catch (InsufficientFundsException e) {
                return new Signing(null, 0, "the anchor wallet " + components.address() + " needs " + e.missing()
                        + " more satoshi: " + e.getMessage());
            }
        }

        /** The anchor is PREPARED with the signed transaction; the wallet now holds its change only. */
        private void prepared(AnchorState current, AnchorRecord record, Signing signing, long now, String how) {
            AnchorTransaction signed = signing.transaction();
            long parentFee = signing.parentFee();
            int spent = current.coins().size();
            current.spentAllInto(signed.change(), components.feeRate().satPerKvb(), signed.size());
            record.setStatus(AnchorStatus.PREPARED);
            record.setTx(ByteBuffer.wrap(signed.transaction().toBytes()));
            record.setTxid(signed.displayTxid());
            record.setFee(signed.fee());
            record.setRecordedAt(Instant.ofEpochMilli(now));
            record.setNote(how + "; spends " + spent + " coin(s), fee " + signed.fee() + " sat at " + components.feeRate()
                    + (parentFee > 0 ? ", of which " + parentFee + " sat pay for the previous anchor at the raised rate"
                            : ""));
            emit(record, now);
        }

        private AnchorRecord record(AnchorHeader header, byte[] hash, List<AnchorWindow.Block> blocks, long now) {
            List<AnchoredBlock> covered = new ArrayList<>(blocks.size());
            for (AnchorWindow.Block block : blocks) {
                covered.add(new AnchoredBlock(block.chain(), block.height(), Hex.encode(block.hash())));
            }
            return AnchorRecord.newBuilder().setSequence(header.sequence()).setStatus(AnchorStatus.UNFUNDED)
                    .setHash(Hex.encode(hash)).setHeader(ByteBuffer.wrap(header.toBytes()))
                    .setPreviousHash(Hex.encode(header.previousAnchorHash()))
                    .setIntervalStart(Instant.ofEpochMilli(header.intervalStart()))
                    .setIntervalEnd(Instant.ofEpochMilli(header.intervalEnd()))
                    .setMerkleRoot(Hex.encode(header.merkleRoot())).setBlocks(covered)
                    .setNetwork(components.network().id()).setWallet(components.address()).setRecordedAt(Instant.ofEpochMilli(now)).build();
        }

        private void emit(AnchorRecord record, long now) {
            context.forward(new Record<Object, Object>(key(record), record, now,
                    new RecordHeaders()), ANCHORS_SINK);
        }

        private void dead(Record<String, byte[]> record, RecordMetadata source, String reason, String detail) {
            LOG.warn("anchor stage: {}@{}/{} refused ({}): {}", source.topic(), source.partition(), source.offset(),
                    reason, detail);
            DeadLetters.forward(context, REJECTED_SINK, STAGE, reason, detail, source.topic(), source.partition(),
                    source.offset(), record.key() == null ? null : record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    record.value(), record.timestamp());
        }

        private AnchorState load() {
            byte[] bytes = state.get(STATE_KEY);
            return bytes == null ? AnchorState.initial(components.key().hash160()) : AnchorState.fromBytes(bytes);
        }

        private void save(AnchorState current) {
            state.put(STATE_KEY, current.toBytes());
        }
    }

    /** The key of an anchor record: {@code <wallet>/<sequence>}. */
    public static String key(AnchorRecord record) {
        return record.getWallet() + "/" + record.getSequence();
    }

    /**
     * A signed anchor transaction and the share of its fee that pays for its parent, or (transaction null)
     * why the coins do not pay for one.
     */
    private record Signing(AnchorTransaction transaction, long parentFee, String shortfall) {
    }

    /** {@code <chain:10>/<height:19>/<hash hex>}: the store iterates in leaf order. */
    static String windowKey(long chain, long height, byte[] hash) {
        return String.format("%010d/%019d/%s", chain, height, Hex.encode(hash));
    }

    static String sequenceKey(long sequence) {
        return String.format("%019d", sequence);
    }
}
