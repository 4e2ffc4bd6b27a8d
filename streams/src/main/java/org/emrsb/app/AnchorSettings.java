package org.emrsb.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.emrsb.avro.AnchorRecord;
import org.emrsb.core.bitcoin.AnchorKey;
import org.emrsb.core.bitcoin.AnchorKeyFile;
import org.emrsb.core.bitcoin.BitcoinNetwork;
import org.emrsb.core.bitcoin.BitcoindClient;
import org.emrsb.core.bitcoin.BitcoindEndpoint;
import org.emrsb.core.bitcoin.FeeRate;
import org.emrsb.schemas.AvroSerdes;

/**
 * The anchor stage's and broadcaster's settings: anchor.key-file, anchor.network (which must be the key
 * file's), anchor.fee-rate (sat/vB), anchor.interval; bitcoin.rpc, bitcoin.timeout,
 * anchor.confirmations, anchor.poll-interval. The broadcaster also reads anchor.key-file, for the
 * wallet whose anchors it follows. Every problem is a {@link EmrsbConfig.ConfigException}
 * naming its key, before anything runs.
 */
record AnchorSettings(AnchorKey key, BitcoinNetwork network, FeeRate feeRate, Duration interval) {

    /** The suffix of the broadcaster's transactional id, after the application id. */
    static final String BROADCASTER_SUFFIX = "-anchor-broadcaster";

    static AnchorSettings load(EmrsbConfig config) {
        BitcoinNetwork network = network(config);
        AnchorKeyFile file = keyFile(config);
        if (file.network() != network) {
            throw new EmrsbConfig.ConfigException("anchor.key-file holds a " + file.network().id()
                    + " key, but anchor.network is " + network.id());
        }
        Duration interval = config.duration("anchor.interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new EmrsbConfig.ConfigException("anchor.interval must be positive, was " + interval);
        }
        return new AnchorSettings(file.key(), network, FeeRate.ofSatPerVbyte(config.integer("anchor.fee-rate", 1, 10_000)),
                interval);
    }

    static BitcoinNetwork network(EmrsbConfig config) {
        try {
            return BitcoinNetwork.fromId(config.string("anchor.network"));
        } catch (IllegalArgumentException e) {
            throw new EmrsbConfig.ConfigException("anchor.network: " + e.getMessage());
        }
    }

    static AnchorKeyFile keyFile(EmrsbConfig config) {
        Path path = GatewaySettings.requiredPath(config, "anchor.key-file");
        try {
            return AnchorKeyFile.read(path);
        } catch (IOException e) {
            throw new EmrsbConfig.ConfigException("anchor.key-file: cannot use " + path + ": " + e.getMessage());
        }
    }

    /** The client of bitcoin.rpc (credentials in the URL), with bitcoin.timeout on every call. */
    static BitcoindClient node(EmrsbConfig config) {
        try {
            return new BitcoindClient(BitcoindEndpoint.parse(config.string("bitcoin.rpc")), config.duration("bitcoin.timeout"));
        } catch (IllegalArgumentException e) {
            throw new EmrsbConfig.ConfigException("bitcoin.rpc: " + e.getMessage());
        }
    }

    /** The broadcaster of the alliance whose application id is {@code applicationId}. */
    static AnchorBroadcaster broadcaster(EmrsbConfig config, String applicationId) {
        AnchorKeyFile file = keyFile(config);
        return new AnchorBroadcaster(config, node(config), AvroSerdes.<AnchorRecord>registry(config.registry(), false),
                file.key().address(file.network()),
                config.integer("anchor.confirmations", 1, 1000), config.duration("anchor.poll-interval"),
                config.duration("anchor.stuck-after"),
                applicationId + BROADCASTER_SUFFIX);
    }
}
