package org.emrsb.app;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb keygen --role ROLE --out FILE}: a member's Ed25519 signing key and X25519 encryption
 * key in one owner-only key file (format emrsb-key/1, docs/ledger-format.md). Never overwrites a file.
 */
@Command(name = "keygen", description = "Generate a member's signing and encryption keys into a key file.")
final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--role", required = true, paramLabel = "ROLE",
            description = "patient, doctor, gateway, delegate, monitor or authority")
    String role;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the key file to create (mode 0600)")
    Path out;

    @Override
    public Integer call() throws Exception {
        MemberKeys keys = MemberKeys.generate(Role.fromId(role), new SecureRandom());
        try {
            keys.write(out);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException(out + " already exists; keygen never overwrites a key file");
        }
        System.out.println("role      " + keys.role());
        System.out.println("signing   " + keys.verifyingKey());
        System.out.println("encrypt   " + keys.encryptionPublicKey());
        System.err.println("wrote " + out + " (private keys; keep it safe)");
        return 0;
    }
}
