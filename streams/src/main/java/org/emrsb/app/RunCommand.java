package org.emrsb.app;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.TopologyDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops/emrsb run --role gateway}: runs the pipeline's stages until SIGTERM or a fatal error. */
@Command(name = "run", description = "Run pipeline stages (exactly-once) until stopped.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @Option(names = "--role", required = true, split = ",", paramLabel = "ROLE",
            description = "stages to run: gateway, offload, governance")
    List<String> roles;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id (default: streams.application-id)")
    String applicationId;

    @Option(names = "--describe", description = "print the topology and exit")
    boolean describe;

    @Override
    public Integer call() throws Exception {
        EmrsbConfig config = common.config();
        EnumSet<Pipeline.StageRole> chosen = EnumSet.noneOf(Pipeline.StageRole.class);
        for (String role : roles) {
            try {
                chosen.add(Pipeline.StageRole.valueOf(role.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown role '" + role + "'; roles: gateway, offload, governance");
            }
        }
        if (describe) {
            TopologyDescription description = Pipeline.topology(config, chosen).describe();
            System.out.println(description);
            return 0;
        }
        String id = applicationId != null ? applicationId : config.string("streams.application-id");
        Pipeline pipeline = Pipeline.start(config, chosen, id);
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "emrsb-shutdown"));
        System.err.println("running " + chosen + " as " + id + " against " + config.kafkaBootstrap() + "; Ctrl-C stops");
        return pipeline.awaitStop() ? 1 : 0;
    }
}
