package org.emrsb.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.emrsb.stream.TopicSchemas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ops/emrsb schemas register}. */
@Command(name = "schemas", description = "The product's Avro schemas in the schema registry.",
        subcommands = {SchemasCommand.Register.class})
final class SchemasCommand {

    @Command(name = "register", description = "Register every topic's value schema (idempotent; BACKWARD compatibility).")
    static final class Register implements Callable<Integer> {
        @Mixin
        Main.Common common;

        @Override
        public Integer call() {
            registerAll(common.config());
            return 0;
        }
    }

    /** Registers every topic's value schema and prints one line per subject. */
    static void registerAll(EmrsbConfig config) {
        register(config).forEach((topic, id) -> System.out.printf("schema %-26s %s id=%d%n",
                TopicSchemas.valueSubject(topic), TopicSchemas.valueSchemas().get(topic).getFullName(), id));
    }

    /** Registers every topic's value schema under its subject; topic to schema id, in pipeline order. */
    static Map<String, Integer> register(EmrsbConfig config) {
        SchemaRegistrar registrar = new SchemaRegistrar(config.registry());
        Map<String, Integer> ids = new LinkedHashMap<>();
        TopicSchemas.valueSchemas().forEach((topic, schema) -> {
            ids.put(topic, registrar.register(TopicSchemas.valueSubject(topic), schema));
        });
        return ids;
    }
}
