package org.emrsb.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer groups and internal topics of the Streams applications an integration test runs on the
 * shared broker: started at the current end of their inputs, and forgotten afterwards.
 */
final class TestApplications {

    private TestApplications() {
    }

    /**
     * Commits {@code group}'s offsets on {@code topics} at their current end, as if the application had
     * been deployed just now: the shared topics hold every earlier run's records, and a new application id
     * would otherwise start from the earliest (streams' auto.offset.reset) and work through all of them.
     */
    static void startAtEnd(String group, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", LedgerRecords.BOOTSTRAP))) {
            admin.alterConsumerGroupOffsets(group, endOffsets(admin, topics)).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> endOffsets(Admin admin, String... topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicDescription topic : admin.describeTopics(List.of(topics)).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
            topic.partitions().forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                .forEach((partition, end) -> ends.put(partition, new OffsetAndMetadata(end.offset())));
        return ends;
    }

    /**
     * Drops the internal topics (changelogs, repartition topics) of {@code applicationId} and the
     * {@code groups}, which no one else uses.
     */
    static void forget(String applicationId, List<String> groups) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", LedgerRecords.BOOTSTRAP))) {
            Set<String> ours = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(applicationId + "-")).collect(Collectors.toSet());
            if (!ours.isEmpty()) {
                admin.deleteTopics(ours).all().get(30, TimeUnit.SECONDS);
            }
            try {
                admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // a group a killed process did not leave expires with the broker's offset retention
            }
        }
    }
}
