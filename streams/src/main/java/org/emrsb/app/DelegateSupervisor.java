package org.emrsb.app;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.emrsb.avro.DelegateState;
import org.emrsb.avro.EpochRecord;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.stream.EpochsGlobalStore;
import org.emrsb.stream.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a delegate's ledger Streams instance only while the delegate's key is ACTIVE (DPoS, paper §4.3):
 * it waits for the key to be ACTIVE at the current epoch before joining the group, then watches the
 * epochs global store, and once the key is no longer ACTIVE it closes the instance with leave-group so
 * Kafka moves its chains to the remaining delegates at once rather than after a session timeout. It
 * runs on its own thread: a stream thread must never close its own instance. The ledger processor also
 * stops signing by itself at the same epoch, so nothing is signed between the epoch and the leave.
 */
final class DelegateSupervisor implements AutoCloseable {

    /** How often the running instance's status is checked. */
    static final Duration WATCH_EVERY = Duration.ofMillis(500);
    private static final Duration WAIT_REPORT_EVERY = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(DelegateSupervisor.class);

    private final EmrsbConfig config;
    private final VerifyingKey key;
    private final Supplier<KafkaStreams> factory;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaStreams streams;
    private volatile boolean closing;
    private volatile String leftBecause;

    DelegateSupervisor(EmrsbConfig config, VerifyingKey key, Supplier<KafkaStreams> factory) {
        this.config = config;
        this.key = key;
        this.factory = factory;
        this.thread = new Thread(this::supervise, "emrsb-delegate-supervisor");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The ledger instance once started; null while the delegate waits to be ACTIVE. */
    KafkaStreams streams() {
        return streams;
    }

    /** Why the delegate left the group; null while it has not. */
    String leftBecause() {
        return leftBecause;
    }

    /** Waits until the supervisor has finished (left, failed or closed). */
    boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void awaitDone() throws InterruptedException {
        done.await();
    }

    private void supervise() {
        try {
            if (!waitUntilActive()) {
                return;
            }
            streams = factory.get();
            streams.start();
            watch();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the delegate supervisor failed", e);
            leftBecause = "the supervisor failed: " + e.getMessage();
            closeStreams();
        } finally {
            done.countDown();
        }
    }

    /** Polls governance.epochs until the key is ACTIVE in the latest epoch; false if closed meanwhile. */
    private boolean waitUntilActive() throws InterruptedException {
        long nextReport = 0;
        while (!closing) {
            EpochRecord epoch = DelegatesCommand.latest(config);
            String status = statusIn(epoch);
            if ("ACTIVE".equals(status)) {
                LOG.info("delegate {} is ACTIVE at epoch {}: joining the ledger group", key, epoch.getEpoch());
                return true;
            }
            if (System.currentTimeMillis() >= nextReport) {
                LOG.info("delegate {} is {} at {}; waiting for an election before taking chains", key, status,
                        epoch == null ? "no epoch yet" : "epoch " + epoch.getEpoch());
                nextReport = System.currentTimeMillis() + WAIT_REPORT_EVERY.toMillis();
            }
            Thread.sleep(1000);
        }
        return false;
    }

    private String statusIn(EpochRecord epoch) {
        if (epoch == null) {
            return "not a delegate";
        }
        for (DelegateState state : epoch.getDelegates()) {
            if (state.getKey().equals(key.toString())) {
                return state.getStatus().name();
            }
        }
        return "not a candidate";
    }

    /** Watches the epochs global store; leaves the group when the key stops being ACTIVE. */
    private void watch() throws InterruptedException {
        while (!closing) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                    || state == KafkaStreams.State.PENDING_ERROR) {
                leftBecause = "the ledger instance stopped (" + state + ")";
                return;
            }
            Optional<GovernanceEpoch> current = currentEpoch();
            if (current.isPresent() && !current.get().isActive(key.bytes())) {
                String status = current.get().status(key.bytes()).map(Enum::name).orElse("not listed");
                leftBecause = "delegate " + key + " is " + status + " at epoch " + current.get().epoch();
                LOG.warn("{}: leaving the ledger group so its chains move to the ACTIVE delegates", leftBecause);
                streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
                return;
            }
            Thread.sleep(WATCH_EVERY.toMillis());
        }
    }

    private Optional<GovernanceEpoch> currentEpoch() {
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    Stores.GOVERNANCE_EPOCHS, QueryableStoreTypes.keyValueStore()));
            return EpochsGlobalStore.current(store);
        } catch (InvalidStateStoreException e) {
            return Optional.empty(); // not queryable while starting or rebalancing; look again shortly
        }
    }

    /** Closes the instance with leave-group: on a deliberate stop its chains should move at once. */
    private void closeStreams() {
        KafkaStreams running = streams;
        if (running != null) {
            running.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            if (!awaitDone(Duration.ofSeconds(5))) {
                thread.interrupt();
                awaitDone(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeStreams();
    }
}
