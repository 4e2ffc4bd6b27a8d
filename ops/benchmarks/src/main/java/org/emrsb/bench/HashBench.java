package org.emrsb.bench;

import java.util.concurrent.TimeUnit;
import org.emrsb.core.format.Sha256;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** SHA-256 through the product's JDK (SUN) digest, per message of 64 B and 1 KiB. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HashBench {

    @Param({"64", "1024"})
    int size;

    byte[] message;

    @Setup
    public void setUp() {
        message = new byte[size];
        new java.util.Random(1).nextBytes(message);
    }

    @Benchmark
    public byte[] sha256() {
        return Sha256.hash(message);
    }
}
