package org.emrsb.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the project's own ops/ scripts from integration tests, bounded by a timeout. */
final class Ops {

    /** What a finished script printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    static final Path REPO = Path.of(System.getProperty("emrsb.repo.root", "..")).toAbsolutePath().normalize();

    private Ops() {
    }

    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, Map.of(), command);
    }

    static Result run(Duration timeout, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(command));
        argv.set(0, REPO.resolve(command[0]).toString());
        Path out = Files.createTempFile("ops-out", ".txt");
        Path err = Files.createTempFile("ops-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).directory(REPO.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "; stderr so far:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
