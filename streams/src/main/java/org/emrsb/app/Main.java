package org.emrsb.app;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code ops/emrsb} command line. */
@Command(name = "emrsb", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "EMRSB: privacy-preserving, tamper-evident sharing of medical records on Kafka.",
        subcommands = {ConfigCommand.class, TopicsCommand.class, SchemasCommand.class, SetupCommand.class,
                TailCommand.class, DemoCommand.class, KeygenCommand.class, EnrollCommand.class, SecretCommand.class,
                RunCommand.class, VerifyCommand.class, MaskCommand.class, FetchCommand.class, VoteCommand.class,
                DelegatesCommand.class, ViolationsCommand.class, ProofCommand.class, AnchorCommand.class,
                OtsCommand.class, PrivacyReportCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    /** Options every command shares. */
    public static final class Common {
        @Option(names = "--config", paramLabel = "FILE",
                description = "configuration file (default: $EMRSB_CONFIG, else built-in defaults)")
        java.nio.file.Path configFile;

        private EmrsbConfig config;

        EmrsbConfig config() {
            if (config == null) {
                config = EmrsbConfig.load(configFile);
            }
            return config;
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; expected failures print one clear line. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + describe(e));
            if (System.getenv("EMRSB_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage() + ")";
        }
        return message;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"emrsb " + (version == null ? "development build" : version)};
        }
    }
}
