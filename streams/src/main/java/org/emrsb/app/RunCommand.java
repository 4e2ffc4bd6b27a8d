package org.emrsb.app;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.TopologyDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb run --role gateway,offload,...}: runs the pipeline's stages until SIGTERM or a fatal
 * error. Exit 0 on a stop, 1 when an instance failed, 3 when the delegate left its group because its key
 * is no longer ACTIVE (its chains moved to the ACTIVE delegates).
 */
@Command(name = "run", description = "Run pipeline stages (exactly-once) until stopped.")
final class RunCommand implements Callable<Integer> {

    /** Exit code when the delegate left its group because its key is no longer ACTIVE. */
    static final int LEFT_GROUP = 3;

    @Mixin
    Main.Common common;

    @Option(names = "--role", required = true, split = ",", paramLabel = "ROLE",
            description = "stages to run: gateway, offload, governance, delegate (the delegate signs and seals the "
                    + "ledger's chains while its key, delegate.key-file, is ACTIVE), monitor (alone), privacy "
                    + "(alone, as ID-privacy: the k-anonymity report, docs/privacy-report.md), anchor (seals "
                    + "anchors and signs their Bitcoin transactions with anchor.key-file), broadcaster (sends them to "
                    + "bitcoin.rpc and follows them to anchor.confirmations)")
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
                throw new IllegalArgumentException("unknown role '" + role + "'; roles: gateway, offload, governance, "
                        + "delegate, monitor, privacy, anchor, broadcaster");
            }
        }
        if (describe) {
            EnumSet<Pipeline.StageRole> others = EnumSet.copyOf(chosen);
            if (others.remove(Pipeline.StageRole.DELEGATE)) {
                System.out.println("delegate instance:");
                System.out.println(Pipeline.topology(config, EnumSet.of(Pipeline.StageRole.DELEGATE)).describe());
            }
            if (!others.isEmpty()) {
                TopologyDescription description = Pipeline.topology(config, others).describe();
                System.out.println(description);
            }
            return 0;
        }
        String id = applicationId != null ? applicationId : config.string("streams.application-id");
        Pipeline pipeline = Pipeline.start(config, chosen, id);
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "emrsb-shutdown"));
        System.err.println("running " + chosen + " as " + id
                + (chosen.contains(Pipeline.StageRole.PRIVACY) ? Pipeline.PRIVACY_SUFFIX : "") + " against " + config.kafkaBootstrap() + "; Ctrl-C stops");
        boolean failed = pipeline.awaitStop();
        String left = pipeline.delegateLeftBecause();
        pipeline.close();
        if (left != null && !failed) {
            System.err.println("left the delegates' group: " + left);
            return LEFT_GROUP;
        }
        return failed ? 1 : 0;
    }
}
