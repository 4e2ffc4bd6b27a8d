package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.emrsb.stream.TopicSpec;
import org.emrsb.stream.Topics;
import org.junit.jupiter.api.Test;

/** `ops/emrsb setup` against the real broker and registry: topics exactly as the registry says, idempotently. */
class SetupIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String BOOTSTRAP = System.getenv().getOrDefault("EMRSB_KAFKA_BOOTSTRAP", "127.0.0.1:19092");

    @Test
    void setupCreatesEveryTopicAsSpecifiedAndRepairsConfigurationDrift() throws Exception {
        Ops.Result first = Ops.run(TIMEOUT, "ops/emrsb", "setup");
        assertEquals(0, first.exitCode(), first.all());
        assertTrue(first.stdout().contains("schema emr.intake-value"), first.stdout());

        Topics expected = Topics.defaults();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            Map<String, TopicDescription> described = admin.describeTopics(
                    expected.all().stream().map(TopicSpec::name).toList()).allTopicNames().get();
            for (TopicSpec spec : expected.all()) {
                assertEquals(spec.partitions(), described.get(spec.name()).partitions().size(), spec.name());
                Config config = admin.describeConfigs(List.of(resource(spec.name()))).all().get().get(resource(spec.name()));
                spec.configs().forEach((key, value) -> assertEquals(value, config.get(key).value(), spec.name() + " " + key));
            }

            admin.incrementalAlterConfigs(Map.of(resource(Topics.MASKED), List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET)))).all().get();
            Ops.Result repair = Ops.run(TIMEOUT, "ops/emrsb", "setup");
            assertEquals(0, repair.exitCode(), repair.all());
            assertTrue(repair.stdout().matches("(?s).*topic emr\\.masked +updated +retention\\.ms 1000 -> 604800000.*"),
                    repair.stdout());
            Config repaired = admin.describeConfigs(List.of(resource(Topics.MASKED))).all().get().get(resource(Topics.MASKED));
            assertEquals("604800000", repaired.get("retention.ms").value());
        }

        Ops.Result again = Ops.run(TIMEOUT, "ops/emrsb", "setup");
        assertEquals(0, again.exitCode(), again.all());
        for (TopicSpec spec : expected.all()) {
            assertTrue(again.stdout().matches("(?s).*topic " + spec.name().replace(".", "\\.") + " +ok .*"), again.stdout());
        }
    }

    @Test
    void aPartitionCountThatDisagreesWithTheBrokerIsRefusedWithGuidance() throws Exception {
        Ops.Result result = Ops.run(TIMEOUT, Map.of("EMRSB_TOPICS_PARTITIONS", "7"), "ops/emrsb", "setup");
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("ledger.tx has 6 partitions, the configuration says 7"), result.stderr());
        assertTrue(result.stderr().contains("Scaling partitions"), result.stderr());
    }

    @Test
    void anUnreachableBrokerIsAClearErrorNotAHang() throws Exception {
        Ops.Result result = Ops.run(TIMEOUT, Map.of("EMRSB_KAFKA_BOOTSTRAP", "127.0.0.1:9"), "ops/emrsb", "topics", "create");
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.stderr().lines().anyMatch(l -> l.startsWith("error: ") && l.contains("127.0.0.1:9")), result.stderr());
        assertTrue(result.stderr().contains("127.0.0.1:9"), result.stderr());
    }

    private static ConfigResource resource(String topic) {
        return new ConfigResource(ConfigResource.Type.TOPIC, topic);
    }
}
