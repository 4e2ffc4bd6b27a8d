package org.emrsb.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.avro.AnchorFunding;
import org.emrsb.avro.AnchorRecord;
import org.emrsb.core.bitcoin.AnchorKey;
import org.emrsb.core.bitcoin.AnchorKeyFile;
import org.emrsb.core.bitcoin.BitcoinNetwork;
import org.emrsb.core.bitcoin.BitcoinTransaction;
import org.emrsb.core.bitcoin.BitcoindClient;
import org.emrsb.core.crypto.Hex;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.Topics;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops/emrsb anchor keygen|address|fund|status}: the anchor wallet and the anchors' progress. */
@Command(name = "anchor", mixinStandardHelpOptions = true,
        description = "The anchor wallet (keygen, address, fund) and the anchors' way into Bitcoin (status).",
        subcommands = {AnchorCommand.Keygen.class, AnchorCommand.Address.class, AnchorCommand.Fund.class,
                AnchorCommand.Status.class})
final class AnchorCommand {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Write a new anchor key file (emrsb-anchor-key/1, owner-only); it must not exist.")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "FILE") Path out;

        @Option(names = "--network", defaultValue = "regtest", description = "regtest, testnet or mainnet (default ${DEFAULT-VALUE})")
        String network;

        @Override
        public Integer call() throws IOException {
            BitcoinNetwork chosen = BitcoinNetwork.fromId(network);
            AnchorKeyFile file = new AnchorKeyFile(chosen, AnchorKey.generate(new SecureRandom()));
            file.write(out);
            System.out.println(out + ": anchor key for " + chosen.id() + ", address " + file.key().address(chosen));
            return 0;
        }
    }

    @Command(name = "address", mixinStandardHelpOptions = true, description = "Print the anchor wallet's address (anchor.key-file).")
    static final class Address implements Callable<Integer> {
        @Mixin Main.Common common;

        @Override
        public Integer call() {
            AnchorKeyFile file = AnchorSettings.keyFile(common.config());
            System.out.println(file.key().address(file.network()));
            return 0;
        }
    }

    /** Either pay from the node's wallet or register a payment made elsewhere. */
    static final class Source {
        @Option(names = "--amount", paramLabel = "BTC", description = "pay this much from bitcoin.rpc's wallet")
        BigDecimal amount;

        @Option(names = "--txid", paramLabel = "TXID", description = "register the outputs of this transaction that pay the address")
        String txid;
    }

    @Command(name = "fund", mixinStandardHelpOptions = true, description = {
            "Give the anchor stage coins: --amount pays from the node's wallet (the local regtest node's, or a "
                    + "bitcoind's), --txid registers a payment to the anchor address made elsewhere.",
            "Each output paying the address goes to ledger.anchor-funds; the next anchor spends it."})
    static final class Fund implements Callable<Integer> {
        @Mixin Main.Common common;

        @ArgGroup(exclusive = true, multiplicity = "1") Source source;

        @Override
        public Integer call() throws Exception {
            EmrsbConfig config = common.config();
            List<AnchorFunding> fundings = source.amount != null ? payFromNode(config, source.amount)
                    : register(config, source.txid);
            for (AnchorFunding f : fundings) {
                System.out.println("funded " + f.getAddress() + " with " + f.getValue() + " sat: " + f.getTxid() + ":" + f.getVout());
            }
            return 0;
        }

        /** Pays {@code amount} BTC from bitcoin.rpc's wallet to the anchor address and registers the output. */
        static List<AnchorFunding> payFromNode(EmrsbConfig config, BigDecimal amount) throws Exception {
            AnchorKeyFile file = AnchorSettings.keyFile(config);
            BitcoinTransaction tx = pay(AnchorSettings.node(config), file.key().address(file.network()), amount);
            return publish(config, fundings(tx, file));
        }

        /** Registers the outputs of transaction {@code txid} (display order) that pay the anchor address. */
        static List<AnchorFunding> register(EmrsbConfig config, String txid) throws Exception {
            AnchorKeyFile file = AnchorSettings.keyFile(config);
            BitcoinTransaction tx = BitcoinTransaction.parse(Hex.decode(
                    AnchorSettings.node(config).call("getrawtransaction", txid, false).textValue(), "raw transaction"));
            List<AnchorFunding> fundings = fundings(tx, file);
            if (fundings.isEmpty()) {
                throw new IllegalArgumentException("transaction " + txid + " pays nothing to " + file.key().address(file.network()));
            }
            return publish(config, fundings);
        }

        private static BitcoinTransaction pay(BitcoindClient node, String address, BigDecimal amount) throws IOException {
            ArrayNode outputs = JSON.createArrayNode();
            outputs.addObject().put(address, amount);
            String raw = node.call("createrawtransaction", JSON.createArrayNode(), outputs).textValue();
            String funded = node.call("fundrawtransaction", raw).get("hex").textValue();
            JsonNode signed = node.call("signrawtransactionwithwallet", funded);
            if (!signed.path("complete").asBoolean()) {
                throw new IOException("the node's wallet could not sign the payment: " + signed.path("errors"));
            }
            BitcoinTransaction tx = BitcoinTransaction.parse(Hex.decode(signed.get("hex").textValue(), "signed payment"));
            node.sendRawTransaction(tx);
            return tx;
        }

        private static List<AnchorFunding> fundings(BitcoinTransaction tx, AnchorKeyFile file) {
            List<AnchorFunding> found = new ArrayList<>();
            byte[] ours = file.key().p2pkhScript();
            for (int vout = 0; vout < tx.outputs().size(); vout++) {
                BitcoinTransaction.Output out = tx.outputs().get(vout);
                if (MessageDigest.isEqual(out.script(), ours)) {
                    found.add(new AnchorFunding(tx.displayTxid(), (long) vout, out.value(),
                            file.key().address(file.network()), Instant.now()));
                }
            }
            return found;
        }

        private static List<AnchorFunding> publish(EmrsbConfig config, List<AnchorFunding> fundings) throws Exception {
            try (Serde<AnchorFunding> serde = AvroSerdes.registry(config.registry(), false);
                 KafkaProducer<String, AnchorFunding> producer = new KafkaProducer<>(
                         KafkaClients.producer(config, "emrsb-anchor-fund"), new StringSerializer(), serde.serializer())) {
                for (AnchorFunding f : fundings) {
                    producer.send(new ProducerRecord<>(config.topics().spec(Topics.ANCHOR_FUNDS).name(),
                            f.getTxid() + ":" + f.getVout(), f)).get(KafkaClients.CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            }
            return fundings;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Each anchor's latest state on ledger.anchors.")
    static final class Status implements Callable<Integer> {
        @Mixin Main.Common common;

        @Option(names = "--last", defaultValue = "20", description = "how many of the newest anchors (default ${DEFAULT-VALUE})")
        int last;

        @Override
        public Integer call() {
            EmrsbConfig config = common.config();
            AnchorKeyFile file = AnchorSettings.keyFile(config);
            String wallet = file.key().address(file.network());
            List<AnchorRecord> ours = latest(config).values().stream().filter(a -> a.getWallet().equals(wallet))
                    .sorted(java.util.Comparator.comparingLong(AnchorRecord::getSequence)).toList();
            if (ours.isEmpty()) {
                System.out.println("no anchors of " + wallet + " yet");
                return 0;
            }
            System.out.println("anchors of " + wallet + " (" + file.network().id() + "):");
            ours.stream().skip(Math.max(0, ours.size() - last)).forEach(a -> System.out.println(line(a)));
            return 0;
        }

        static String line(AnchorRecord a) {
            String where = switch (a.getStatus()) {
                case CONFIRMED -> "in Bitcoin block " + a.getBitcoinHeight() + " (" + confirmations(a) + ")";
                case PENDING -> confirmations(a);
                default -> "";
            };
            return String.format("anchor %d %-9s %d blocks [%s, %s) %s %s %s", a.getSequence(), a.getStatus(),
                    a.getBlocks().size(), a.getIntervalStart(), a.getIntervalEnd(),
                    a.getTxid() == null ? "-" : a.getTxid(), where, a.getNote() == null ? "" : "- " + a.getNote()).strip();
        }
    }

    private static String confirmations(AnchorRecord a) {
        return a.getConfirmations() + (a.getConfirmations() == 1 ? " confirmation" : " confirmations");
    }

    /** The latest record of each anchor on ledger.anchors, by {@code <wallet>/<sequence>}, of every wallet. */
    static Map<String, AnchorRecord> latest(EmrsbConfig config) {
        Map<String, AnchorRecord> latest = new TreeMap<>();
        String topic = config.topics().spec(Topics.LEDGER_ANCHORS).name();
        try (Serde<AnchorRecord> serde = AvroSerdes.registry(config.registry(), false)) {
            for (ConsumerRecord<byte[], byte[]> record : TopicReader.readFromStart(config, topic, Integer.MAX_VALUE,
                    Duration.ofSeconds(60))) {
                AnchorRecord anchor = serde.deserializer().deserialize(topic, record.value());
                latest.put(org.emrsb.stream.AnchorTopology.key(anchor), anchor);
            }
        }
        return latest;
    }
}
