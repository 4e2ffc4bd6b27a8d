package org.emrsb.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ops/emrsb config}: the effective configuration and where each value came from. */
@Command(name = "config", description = "Print the effective configuration and each value's source.")
final class ConfigCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @Override
    public Integer call() {
        EmrsbConfig config = common.config();
        config.topics(); // validates every value before printing
        config.registry();
        config.settings().forEach((key, setting) ->
                System.out.printf("%-30s %-32s (%s)%n", key, setting.value(), setting.source()));
        return 0;
    }
}
