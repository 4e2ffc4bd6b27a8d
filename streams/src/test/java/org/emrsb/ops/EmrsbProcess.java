package org.emrsb.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One long-running {@code ops/emrsb} process of an integration test (e.g. {@code run --role delegate}),
 * started with its own environment, its stdout and stderr in {@code NAME.log}. It is stopped (SIGTERM,
 * then SIGKILL after a grace period) or killed outright only through its own pid and its descendants'.
 * {@code ops/emrsb} ends in {@code exec java}, so the pid is the JVM's.
 */
final class EmrsbProcess implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(30);

    private final String name;
    private final Path log;
    private final Process process;

    private EmrsbProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    static EmrsbProcess start(String name, Path logDir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Ops.REPO.resolve("ops/emrsb").toString());
        command.addAll(List.of(args));
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(Ops.REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new EmrsbProcess(name, log, builder.start());
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process wrote so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Waits until the log contains {@code text}; fails at once if the process exits first. */
    void awaitLog(String text, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (log().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before logging '" + text
                        + "':\n" + tail());
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not log '" + text + "' within " + timeout + ":\n" + tail());
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " (pid " + pid() + ") did not exit within " + timeout + ":\n" + tail());
        }
        return process.exitValue();
    }

    /** SIGKILL: the process gets no chance to close anything (no shutdown hook, no commit, no leave-group). */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " (pid " + pid() + ") survived SIGKILL");
        }
    }

    /** SIGTERM (the shutdown hook closes the pipeline), then SIGKILL if it is still running after the grace period. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    /** The last lines of the log, for failure messages. */
    String tail() {
        String all = log();
        return all.length() <= 6000 ? all : "..." + all.substring(all.length() - 6000);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + (process.isAlive() ? "" : ", exited " + process.exitValue()) + ")";
    }
}
