package org.emrsb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.BooleanSupplier;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.crypto.VerifyingKey;

/**
 * A short micro-run of {@link Signatures} in the benchmark's JVM, on the very bytes the pipeline signed
 * and verified: the CPU time of one operation (thread CPU time, so time the thread spent waiting for a
 * core on a busy machine does not count), and its wall-clock rate. Not JMH: one thread, a warm-up, then
 * a fixed time per operation; {@code SignatureBench} (JMH) is the rigorous figure to compare with.
 */
final class SignatureCost {

    /** One operation's cost: CPU microseconds per call, and calls per wall-clock second. */
    record Cost(String name, int messageBytes, double cpuMicros, double wallRate, long calls) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SignatureCost() {
    }

    static Cost verify(String name, VerifyingKey key, byte[] message, byte[] signature, long millis) {
        if (!Signatures.verify(key, message, signature)) {
            throw new IllegalStateException(name + ": the sample signature does not verify");
        }
        return measure(name, message.length, () -> Signatures.verify(key, message, signature), millis);
    }

    static Cost sign(String name, SigningKey key, byte[] message, long millis) {
        return measure(name, message.length, () -> Signatures.sign(key, message)[0] != 0x7f || true, millis);
    }

    private static Cost measure(String name, int size, BooleanSupplier op, long millis) {
        run(op, Math.max(200, millis / 3) * 1_000_000L); // warm-up
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long calls = run(op, millis * 1_000_000L);
        long wall = System.nanoTime() - wall0;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        return new Cost(name, size, cpu / 1e3 / calls, calls / (wall / 1e9), calls);
    }

    private static long run(BooleanSupplier op, long nanos) {
        long end = System.nanoTime() + nanos;
        long calls = 0;
        boolean sink = false;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 64; i++) {
                sink ^= op.getAsBoolean();
            }
            calls += 64;
        }
        if (sink && calls < 0) {
            throw new AssertionError();
        }
        return calls;
    }
}
