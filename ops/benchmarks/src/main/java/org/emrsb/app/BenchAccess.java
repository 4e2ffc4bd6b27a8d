package org.emrsb.app;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.emrsb.avro.EpochRecord;

/**
 * The end-to-end benchmark's door into the application's package-private wiring: it starts the
 * stages exactly as {@code ops/emrsb run} does ({@link Pipeline#start}), with the product's client
 * settings. It lives in the benchmarks module (same package, other jar) so the application keeps its
 * wiring package-private; nothing in the product or its tests uses it.
 */
public final class BenchAccess {

    private BenchAccess() {
    }

    /** Topics and schemas, as every command that needs them ensures them (idempotent). */
    public static void ensureTopicsAndSchemas(EmrsbConfig config) {
        SetupCommand.ensure(config);
    }

    /** The product's idempotent acks=all producer settings. */
    public static Properties producer(EmrsbConfig config, String clientId) {
        return KafkaClients.producer(config, clientId);
    }

    /** The product's read_committed consumer settings. */
    public static Properties consumer(EmrsbConfig config, String clientId) {
        return KafkaClients.consumer(config, clientId);
    }

    public static Admin admin(EmrsbConfig config) {
        return KafkaClients.admin(config);
    }

    /** The last epoch on governance.epochs (the current one), or null before the first. */
    public static EpochRecord latestEpoch(EmrsbConfig config) {
        return DelegatesCommand.latest(config);
    }

    /** The suffix Pipeline gives the delegate instance's application id. */
    public static String delegatesSuffix() {
        return Pipeline.DELEGATES_SUFFIX;
    }

    /**
     * Starts the named roles ({@code gateway}, {@code offload}, {@code governance}, {@code delegate}) as
     * {@code ops/emrsb run --role ... --application-id applicationId} would; the delegate role runs in its
     * own instance, {@code applicationId + delegatesSuffix()}, once its key is ACTIVE.
     */
    public static Instance start(EmrsbConfig config, Set<String> roles, String applicationId) {
        EnumSet<Pipeline.StageRole> chosen = EnumSet.noneOf(Pipeline.StageRole.class);
        for (String role : roles) {
            chosen.add(Pipeline.StageRole.valueOf(role.toUpperCase(Locale.ROOT)));
        }
        return new Instance(Pipeline.start(config, chosen, applicationId));
    }

    /** A started pipeline. */
    public static final class Instance implements AutoCloseable {
        private final Pipeline pipeline;

        private Instance(Pipeline pipeline) {
            this.pipeline = pipeline;
        }

        /** Waits until every instance is RUNNING (a delegate only once ACTIVE); throws if it stopped. */
        public void awaitRunning(Duration timeout) throws InterruptedException {
            pipeline.awaitRunning(timeout);
        }

        /** Whether an instance of this pipeline stopped (error, or its delegate left the group). */
        public boolean stopped() throws InterruptedException {
            return pipeline.awaitStop(Duration.ZERO);
        }

        /** Why the delegate left its group, or null. */
        public String delegateLeftBecause() {
            return pipeline.delegateLeftBecause();
        }

        @Override
        public void close() {
            pipeline.close();
        }
    }
}
