package org.emrsb.core.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The one format of a 32-byte secret on disk (the gateway secret): 64 lowercase hex characters and a
 * newline, written owner-only and never over an existing file.
 */
public final class SecretFile {

    public static final int SIZE = 32;

    private SecretFile() {
    }

    /**
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it does not hold exactly 64 lowercase hex characters
     */
    public static byte[] read(Path file, String what) throws IOException {
        if (Files.size(file) > 1024) {
            throw new IllegalArgumentException(file + ": not a " + what + " (expected 64 lowercase hex characters)");
        }
        return Hex.decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), SIZE, file + ": " + what);
    }

    /** A new random secret, mode 0600; refuses to overwrite ({@link java.nio.file.FileAlreadyExistsException}). */
    public static void create(Path file, SecureRandom random) throws IOException {
        byte[] secret = new byte[SIZE];
        random.nextBytes(secret);
        Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))), Hex.encode(secret) + "\n", StandardCharsets.US_ASCII);
    }
}
