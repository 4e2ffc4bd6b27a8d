package org.emrsb.app;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.emrsb.stream.TopicSpec;
import org.emrsb.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ops/emrsb topics list|create}. */
@Command(name = "topics", description = "The product's topics.",
        subcommands = {TopicsCommand.ListTopics.class, TopicsCommand.Create.class})
final class TopicsCommand {

    @Command(name = "list", description = "List every topic the product uses, as configured.")
    static final class ListTopics implements Callable<Integer> {
        @Mixin
        Main.Common common;

        @Override
        public Integer call() {
            Topics topics = common.config().topics();
            for (TopicSpec spec : topics.all()) {
                System.out.printf("%-22s partitions=%-3d %-10s %-11s %s%n", spec.name(), spec.partitions(),
                        spec.compacted() ? "compacted" : "log", spec.restricted() ? "RESTRICTED" : "", spec.purpose());
            }
            return 0;
        }
    }

    @Command(name = "create", description = "Create missing topics and align the configuration of existing ones.")
    static final class Create implements Callable<Integer> {
        @Mixin
        Main.Common common;

        @Override
        public Integer call() {
            EmrsbConfig config = common.config();
            try (Admin admin = KafkaClients.admin(config)) {
                print(new TopicProvisioner(admin, config).ensure(config.topics()));
            }
            return 0;
        }
    }

    static void print(List<TopicProvisioner.Outcome> outcomes) {
        outcomes.forEach(o -> System.out.printf("topic %-22s %-8s %s%n", o.topic(), o.action(), o.detail()));
    }
}
