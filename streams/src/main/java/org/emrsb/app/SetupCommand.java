package org.emrsb.app;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ops/emrsb setup}: topics and schemas, both idempotent. {@code ops/stack up} runs it. */
@Command(name = "setup", description = "Create the topics and register the schemas (idempotent).")
final class SetupCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @Override
    public Integer call() {
        EmrsbConfig config = common.config();
        TopicsCommand.print(ensureTopics(config));
        SchemasCommand.registerAll(config);
        return 0;
    }

    /** Topics and schemas, quietly: for commands that need them before they start. */
    static void ensure(EmrsbConfig config) {
        ensureTopics(config);
        SchemasCommand.register(config);
    }

    private static List<TopicProvisioner.Outcome> ensureTopics(EmrsbConfig config) {
        try (Admin admin = KafkaClients.admin(config)) {
            return new TopicProvisioner(admin, config).ensure(config.topics());
        }
    }
}
