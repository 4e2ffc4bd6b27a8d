package org.emrsb.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What one {@code ops/emrsb} command run through {@link Main#run} returned and printed. Runs swap
 * {@link System#out} and {@link System#err} for the call, so they must not run concurrently.
 *
 * @param exit the exit code
 * @param out  everything printed to standard output, UTF-8
 * @param err  everything printed to standard error, UTF-8
 */
record CommandRun(int exit, String out, String err) {

    /** Runs {@code Main.run(args)}, capturing both streams and restoring them afterwards. */
    static CommandRun run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new CommandRun(exit, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
