package org.emrsb.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ops/emrsb secret --out FILE}: a new gateway secret (32 random bytes as hex, mode 0600). */
@Command(name = "secret", description = "Generate a gateway secret file (never overwrites).")
final class SecretCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "FILE") Path out;

    @Override
    public Integer call() throws Exception {
        try {
            org.emrsb.core.crypto.SecretFile.create(out, new java.security.SecureRandom());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException(out + " already exists; secret never overwrites a file");
        }
        System.err.println("wrote " + out + " (keep it with the gateway's key file)");
        return 0;
    }
}
