package org.emrsb.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.emrsb.stream.TopicSpec;
import org.emrsb.stream.Topics;

/**
 * Makes the broker's topics match the {@link Topics} registry: creates the missing ones, brings the
 * topic-level configuration of existing ones in line, and refuses to go on when a partition count
 * differs, because changing it moves keys between chains (an operator's decision, see docs/operations.md).
 */
final class TopicProvisioner {

    /** What happened to one topic. */
    record Outcome(String topic, String action, String detail) {
    }

    private final Admin admin;
    private final EmrsbConfig config;

    TopicProvisioner(Admin admin, EmrsbConfig config) {
        this.admin = admin;
        this.config = config;
    }

    List<Outcome> ensure(Topics topics) {
        Set<String> existing = KafkaClients.await(admin.listTopics().names(), "listing topics", config);
        List<Outcome> outcomes = new ArrayList<>();
        List<TopicSpec> missing = topics.all().stream().filter(t -> !existing.contains(t.name())).toList();
        if (!missing.isEmpty()) {
            create(missing, topics.replicationFactor());
            missing.forEach(t -> outcomes.add(new Outcome(t.name(), "created",
                    t.partitions() + " partitions" + (t.restricted() ? ", restricted" : ""))));
        }
        List<TopicSpec> present = topics.all().stream().filter(t -> existing.contains(t.name())).toList();
        if (!present.isEmpty()) {
            checkPartitions(present);
            outcomes.addAll(alignConfigs(present));
        }
        return outcomes;
    }

    private void create(List<TopicSpec> specs, short replicationFactor) {
        List<NewTopic> newTopics = specs.stream()
                .map(t -> new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.configs()))
                .toList();
        KafkaClients.await(admin.createTopics(newTopics).all(), "creating topics "
                + specs.stream().map(TopicSpec::name).toList(), config);
    }

    private void checkPartitions(Collection<TopicSpec> specs) {
        Map<String, TopicDescription> descriptions = KafkaClients.await(
                admin.describeTopics(specs.stream().map(TopicSpec::name).toList()).allTopicNames(),
                "describing topics", config);
        List<String> wrong = new ArrayList<>();
        for (TopicSpec spec : specs) {
            int actual = descriptions.get(spec.name()).partitions().size();
            if (actual != spec.partitions()) {
                wrong.add(spec.name() + " has " + actual + " partitions, the configuration says " + spec.partitions());
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(String.join("; ", wrong)
                    + ". Set topics.partitions to the existing count, or repartition every record topic together"
                    + " (docs/operations.md, 'Scaling partitions').");
        }
    }

    private List<Outcome> alignConfigs(Collection<TopicSpec> specs) {
        List<ConfigResource> resources = specs.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
        Map<ConfigResource, Config> actual = KafkaClients.await(
                admin.describeConfigs(resources).all(), "describing topic configurations", config);
        List<Outcome> outcomes = new ArrayList<>();
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new java.util.HashMap<>();
        for (TopicSpec spec : specs) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
            Config current = actual.get(resource);
            List<AlterConfigOp> ops = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            spec.configs().forEach((key, wanted) -> {
                ConfigEntry entry = current.get(key);
                String have = entry == null ? null : entry.value();
                if (!wanted.equals(have)) {
                    ops.add(new AlterConfigOp(new ConfigEntry(key, wanted), AlterConfigOp.OpType.SET));
                    notes.add(key + " " + have + " -> " + wanted);
                }
            });
            if (ops.isEmpty()) {
                outcomes.add(new Outcome(spec.name(), "ok", spec.partitions() + " partitions"));
            } else {
                changes.put(resource, ops);
                outcomes.add(new Outcome(spec.name(), "updated", String.join(", ", notes)));
            }
        }
        if (!changes.isEmpty()) {
            KafkaClients.await(admin.incrementalAlterConfigs(changes).all(), "updating topic configurations "
                    + changes.keySet().stream().map(ConfigResource::name).collect(Collectors.toList()), config);
        }
        return outcomes;
    }
}
