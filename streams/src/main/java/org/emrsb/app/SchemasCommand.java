package org.emrsb.app;

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

    static void registerAll(EmrsbConfig config) {
        SchemaRegistrar registrar = new SchemaRegistrar(config.registry());
        TopicSchemas.valueSchemas().forEach((topic, schema) -> {
            String subject = TopicSchemas.valueSubject(topic);
            int id = registrar.register(subject, schema);
            System.out.printf("schema %-26s %s id=%d%n", subject, schema.getFullName(), id);
        });
    }
}
