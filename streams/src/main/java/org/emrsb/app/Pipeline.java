package org.emrsb.app;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.emrsb.avro.EpochRecord;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.core.ipfs.KuboClient;
import org.emrsb.core.offload.Offloader;
import org.emrsb.stream.GatewayTopology;
import org.emrsb.stream.EpochsGlobalStore;
import org.emrsb.stream.GovernanceTopology;
import org.emrsb.stream.LedgerTopology;
import org.emrsb.stream.MonitorTopology;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.stream.OffloadTopology;
import org.emrsb.stream.AnchorTopology;
import org.emrsb.stream.PrivacyTopology;
import org.emrsb.core.privacy.QuasiIdentifiers;
import org.emrsb.stream.MembersGlobalStore;
import org.emrsb.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streams application: the stages of the roles this process runs, wired with the production serdes
 * and started with exactly-once processing. The gateway, offload and governance roles share one
 * instance (application id {@code ID}); the delegate role runs in its own instance (application id
 * {@code ID-delegates}, the delegates' group) under a {@link DelegateSupervisor}, so that a delegate
 * voted out leaves the delegates' group without stopping the other stages. The privacy monitor runs alone,
 * as {@code ID-privacy}: it reads emr.masked like an analyst and needs no key.
 */
final class Pipeline implements AutoCloseable {

    /** The roles an instance can run. Later stages add theirs. */
    enum StageRole { GATEWAY, OFFLOAD, GOVERNANCE, DELEGATE, MONITOR, PRIVACY, ANCHOR, BROADCASTER }

    /** The suffix of the delegates' application id. */
    static final String DELEGATES_SUFFIX = "-delegates";

    /** The suffix of the privacy monitor's application id: its own group, state and repartition topic. */
    static final String PRIVACY_SUFFIX = "-privacy";

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final KafkaStreams streams;
    private final DelegateSupervisor delegate;
    private final QueryServer query;
    private final AnchorBroadcaster broadcaster;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Pipeline(KafkaStreams streams, DelegateSupervisor delegate, QueryServer query, AnchorBroadcaster broadcaster) {
        this.streams = streams;
        this.delegate = delegate;
        this.query = query;
        this.broadcaster = broadcaster;
    }

    /** The topology of the given roles (exposed for describing and testing); the delegate role alone or none. */
    static Topology topology(EmrsbConfig config, Set<StageRole> roles) {
        if (roles.contains(StageRole.DELEGATE) && roles.size() > 1) {
            throw new IllegalArgumentException("the delegate role runs in its own instance; describe it alone");
        }
        if (roles.contains(StageRole.MONITOR) && roles.size() > 1) {
            throw new IllegalArgumentException("the monitor role runs alone: each monitoring authority is its own "
                    + "application (its own --application-id and monitor.key-file)");
        }
        if (roles.contains(StageRole.PRIVACY)) {
            if (roles.size() > 1) {
                throw new IllegalArgumentException("the privacy role runs alone, as its own application (ID"
                        + PRIVACY_SUFFIX + ")");
            }
            return privacyTopology(config);
        }
        Topics topics = config.topics();
        Topology topology = new Topology();
        // every stage but the anchor stage judges members, so only then is the authority required
        boolean judgesMembers = !EnumSet.of(StageRole.ANCHOR).containsAll(roles);
        VerifyingKey authority = judgesMembers ? GatewaySettings.authority(config) : null;
        if (judgesMembers) {
            MembersGlobalStore.addTo(topology, topics,
                    AvroSerdes.<MemberCertificate>registry(config.registry(), false).deserializer(), authority);
        }
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
            EpochsGlobalStore.addTo(topology, topics,
                    AvroSerdes.<EpochRecord>registry(config.registry(), false).deserializer(), authority);
            GovernanceTopology.build(topology, topics, new GovernanceTopology.Components(
                    AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                    AvroSerdes.registry(config.registry(), false),
                    AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                    authority, config.integer("governance.delegates", 1, 10_000),
                    config.bool("governance.evict-on-missed-blocks")));
        }
        if (roles.contains(StageRole.DELEGATE)) {
            DelegateSettings delegate = DelegateSettings.load(config);
            EpochsGlobalStore.addTo(topology, topics,
                    AvroSerdes.<EpochRecord>registry(config.registry(), false).deserializer(), authority);
            LedgerTopology.build(topology, topics, new LedgerTopology.Components(
                    AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                    AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                    AvroSerdes.registry(config.registry(), false), delegate.keys().signingKey(), delegate.blockInterval(),
                    delegate.blockMaxTransactions(), Duration.ofSeconds(5), delegate.quorum(),
                    delegate.drillTamperEvery()));
        }
        if (roles.contains(StageRole.ANCHOR)) {
            anchorTopology(config, topology, topics);
        }
        if (roles.contains(StageRole.MONITOR)) {
            MemberKeys monitor = GatewaySettings.readKeys(GatewaySettings.requiredPath(config, "monitor.key-file"),
                    "monitor.key-file");
            if (monitor.role() != Role.MONITOR) {
                throw new EmrsbConfig.ConfigException("monitor.key-file holds a " + monitor.role() + " key, not a monitor key");
            }
            EpochsGlobalStore.addTo(topology, topics,
                    AvroSerdes.<EpochRecord>registry(config.registry(), false).deserializer(), authority);
            MonitorTopology.build(topology, topics, new MonitorTopology.Components(
                    AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                    AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                    AvroSerdes.registry(config.registry(), false), monitor.signingKey(),
                    config.duration("monitor.missed-block-after")));
        }
        return topology;
    }

    /** The privacy monitor (docs/privacy-report.md), from privacy.window, privacy.k and privacy.quasi-identifiers. */
    static Topology privacyTopology(EmrsbConfig config) {
        QuasiIdentifiers quasiIdentifiers;
        try {
            quasiIdentifiers = QuasiIdentifiers.parse(config.string("privacy.quasi-identifiers"));
        } catch (IllegalArgumentException e) {
            throw new EmrsbConfig.ConfigException("privacy.quasi-identifiers: " + e.getMessage());
        }
        Duration window = config.duration("privacy.window");
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new EmrsbConfig.ConfigException("privacy.window must be at least 1s, was " + window);
        }
        StreamsBuilder builder = new StreamsBuilder();
        PrivacyTopology.build(builder, config.topics(), new PrivacyTopology.Components(
                AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                AvroSerdes.registry(config.registry(), false), quasiIdentifiers,
                config.integer("privacy.k", 2, 1_000_000), window, Duration.ofSeconds(1)));
        return builder.build();
    }

    private static void anchorTopology(EmrsbConfig config, Topology topology, Topics topics) {
        AnchorSettings anchor = AnchorSettings.load(config);
        AnchorTopology.build(topology, topics, new AnchorTopology.Components(
                AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                AvroSerdes.registry(config.registry(), false), AvroSerdes.registry(config.registry(), false),
                anchor.key(), anchor.network(), anchor.feeRate(), anchor.interval(),
                config.string("governance.authority-key").isEmpty() ? java.util.Optional.empty()
                        : java.util.Optional.of(GatewaySettings.authority(config))));
    }

    /** The IPFS node's client, from ipfs.api and ipfs.timeout. */
    static KuboClient ipfs(EmrsbConfig config) {
        try {
            return new KuboClient(java.net.URI.create(config.ipfsApi()), config.duration("ipfs.timeout"));
        } catch (IllegalArgumentException e) {
            throw new EmrsbConfig.ConfigException("ipfs.api: " + e.getMessage());
        }
    }

    /**
     * Starts the roles' instances. With the delegate role and a {@code query.listen} address, the query
     * endpoint listens first (a port in use fails the start before any instance runs) and answers 503
     * until the ledger instance runs.
     */
    static Pipeline start(EmrsbConfig config, Set<StageRole> roles, String applicationId) {
        EnumSet<StageRole> others = EnumSet.copyOf(roles);
        boolean runsDelegate = others.remove(StageRole.DELEGATE);
        boolean runsBroadcaster = others.remove(StageRole.BROADCASTER);
        AtomicReference<Pipeline> self = new AtomicReference<>(); // read by the endpoint's and Streams' threads
        Topology ledger = runsDelegate ? topology(config, EnumSet.of(StageRole.DELEGATE)) : null; // checks the settings now
        Optional<HostInfo> listen = runsDelegate ? QueryServer.listenAddress(config) : Optional.empty();
        QueryServer query = listen.map(address -> QueryServer.start(address,
                () -> self.get() == null ? null : self.get().ledger(), GatewaySettings.authority(config),
                config.topics().recordPartitions())).orElse(null);
        try {
            KafkaStreams streams = others.isEmpty() ? null
                    : instance(topology(config, others), StreamsSettings.of(config, others.contains(StageRole.PRIVACY)
                            ? applicationId + PRIVACY_SUFFIX : applicationId), "pipeline",
                            () -> self.get().stopped.countDown());
            DelegateSupervisor delegate = null;
            if (runsDelegate) {
                DelegateSettings settings = DelegateSettings.load(config);
                delegate = new DelegateSupervisor(config, settings.keys().verifyingKey(),
                        () -> instance(ledger, ledgerSettings(config, applicationId, listen), "ledger", () -> { }));
            }
            AnchorBroadcaster broadcaster = runsBroadcaster ? AnchorSettings.broadcaster(config, applicationId) : null;
            self.set(new Pipeline(streams, delegate, query, broadcaster));
        } catch (RuntimeException e) {
            if (query != null) {
                query.close();
            }
            throw e;
        }
        self.get().startInstances();
        return self.get();
    }

    private void startInstances() {
        if (streams != null) {
            streams.start();
        }
        if (broadcaster != null) {
            Thread thread = new Thread(() -> {
                broadcaster.run();
                stopped.countDown();
            }, "emrsb-anchor-broadcaster");
            thread.setDaemon(true);
            thread.start();
        }
        if (delegate != null) {
            Thread watcher = new Thread(() -> {
                try {
                    delegate.awaitDone();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped.countDown();
            }, "emrsb-delegate-watcher");
            watcher.setDaemon(true);
            watcher.start();
            delegate.start();
        }
    }

    /** The ledger instance's settings: its own application id, and the query endpoint as its application.server. */
    private static Properties ledgerSettings(EmrsbConfig config, String applicationId, Optional<HostInfo> listen) {
        Properties props = StreamsSettings.of(config, applicationId + DELEGATES_SUFFIX);
        listen.ifPresent(address -> props.put(StreamsConfig.APPLICATION_SERVER_CONFIG,
                QueryServer.applicationServer(address)));
        return props;
    }

    private static KafkaStreams instance(Topology topology, Properties props, String name, Runnable onStop) {
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("a stream thread of the {} failed; shutting it down so it can be restarted clean", name, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("{} {} -> {}", name, before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                onStop.run();
            }
        });
        return streams;
    }

    /**
     * Waits until every instance is RUNNING (global stores restored, tasks assigned); the ledger
     * instance only once its delegate is ACTIVE and has joined.
     */
    void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running(streams) || (delegate != null && (delegate.streams() == null || !running(delegate.streams())))) {
            if (stopped.getCount() == 0) {
                throw new IllegalStateException("the pipeline stopped while starting"
                        + (delegate != null && delegate.leftBecause() != null ? ": " + delegate.leftBecause() : ""));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline is not running after " + timeout.toSeconds() + "s ("
                        + (streams == null ? "" : "stages " + streams.state() + ", ")
                        + (delegate == null ? "" : "ledger " + (delegate.streams() == null
                                ? "waiting for its delegate to be ACTIVE" : delegate.streams().state())) + ")");
            }
            Thread.sleep(100);
        }
        if (broadcaster != null && !broadcaster.awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            throw new IllegalStateException("the anchor broadcaster did not start"
                    + (broadcaster.failure() == null ? " in time" : ": " + broadcaster.failure().getMessage()));
        }
    }

    private static boolean running(KafkaStreams instance) {
        return instance == null || instance.state() == KafkaStreams.State.RUNNING;
    }

    /** The ledger instance, once its delegate has joined; null otherwise. */
    KafkaStreams ledger() {
        return delegate == null ? null : delegate.streams();
    }

    /** Why the delegate left its group (voted out, or its instance stopped); null while it has not. */
    String delegateLeftBecause() {
        return delegate == null ? null : delegate.leftBecause();
    }

    /** Blocks until an instance stops; true when one stopped because of an error. */
    boolean awaitStop() throws InterruptedException {
        stopped.await();
        KafkaStreams ledger = ledger();
        return (streams != null && streams.state() == KafkaStreams.State.ERROR)
                || (ledger != null && ledger.state() == KafkaStreams.State.ERROR)
                || (broadcaster != null && broadcaster.failure() != null);
    }

    @Override
    public void close() {
        if (query != null) {
            query.close();
        }
        if (broadcaster != null) {
            broadcaster.close();
        }
        if (delegate != null) {
            delegate.close();
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
        stopped.countDown();
    }

    boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
