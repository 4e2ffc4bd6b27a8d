package org.emrsb.app;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.core.ipfs.KuboClient;
import org.emrsb.core.offload.Offloader;
import org.emrsb.stream.GatewayTopology;
import org.emrsb.stream.GovernanceTopology;
import org.emrsb.stream.OffloadTopology;
import org.emrsb.stream.MembersGlobalStore;
import org.emrsb.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streams application: one topology holding the stages of the roles this instance runs, wired with
 * the production serdes and started with exactly-once processing.
 */
final class Pipeline implements AutoCloseable {

    /** The roles an instance can run. Later stages add theirs. */
    enum StageRole { GATEWAY, OFFLOAD, GOVERNANCE }

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final KafkaStreams streams;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Pipeline(KafkaStreams streams) {
        this.streams = streams;
    }

    /** The topology of the given roles (exposed for describing and testing). */
    static Topology topology(EmrsbConfig config, Set<StageRole> roles) {
        Topics topics = config.topics();
        VerifyingKey authority = GatewaySettings.authority(config);
        Topology topology = new Topology();
        MembersGlobalStore.addTo(topology, topics,
                AvroSerdes.<MemberCertificate>registry(config.registry(), false).deserializer(), authority);
        if (roles.contains(StageRole.GATEWAY)) {
            GatewaySettings gateway = GatewaySettings.load(config);
            GatewayTopology.build(topology, topics, new GatewayTopology.Components(
                    AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                    AvroSerdes.registry(config.registry(), false), gateway::gateway));
        }
        if (roles.contains(StageRole.OFFLOAD)) {
            OffloadTopology.build(topology, topics, new OffloadTopology.Components(
                    AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                    new Offloader(ipfs(config), Topics.MAX_INLINE_ATTACHMENT_BYTES + 16L),
                    config.duration("offload.retry.initial"), config.duration("offload.retry.max"),
                    config.duration("ipfs.timeout")));
        }
        if (roles.contains(StageRole.GOVERNANCE)) {
            GovernanceTopology.build(topology, topics, new GovernanceTopology.Components(
                    AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                    AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                    authority, config.integer("governance.delegates", 1, 10_000)));
        }
        return topology;
    }

    /** The IPFS node's client, from ipfs.api and ipfs.timeout. */
    static KuboClient ipfs(EmrsbConfig config) {
        try {
            return new KuboClient(java.net.URI.create(config.ipfsApi()), config.duration("ipfs.timeout"));
        } catch (IllegalArgumentException e) {
            throw new EmrsbConfig.ConfigException("ipfs.api: " + e.getMessage());
        }
    }

    static Pipeline start(EmrsbConfig config, Set<StageRole> roles, String applicationId) {
        KafkaStreams streams = new KafkaStreams(topology(config, EnumSet.copyOf(roles)),
                StreamsSettings.of(config, applicationId));
        Pipeline pipeline = new Pipeline(streams);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("a stream thread failed; shutting this instance down so it can be restarted clean", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("pipeline {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                pipeline.stopped.countDown();
            }
        });
        streams.start();
        return pipeline;
    }

    /** Waits until the instance is RUNNING (its global store restored and tasks assigned). */
    void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the pipeline stopped while starting (state " + streams.state() + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline is not running after " + timeout.toSeconds() + "s (state "
                        + streams.state() + ")");
            }
            Thread.sleep(100);
        }
    }

    /** Blocks until the instance stops; true when it stopped because of an error. */
    boolean awaitStop() throws InterruptedException {
        stopped.await();
        return streams.state() == KafkaStreams.State.ERROR;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        stopped.countDown();
    }

    boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
