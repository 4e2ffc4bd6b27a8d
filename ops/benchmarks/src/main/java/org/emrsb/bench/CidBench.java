package org.emrsb.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.ipfs.CidResult;
import org.emrsb.core.ipfs.UnixFs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Local CID computation (what the offload stage does for every attachment before it trusts the node's
 * answer), on one thread, for files of 1 KiB (one raw leaf), 1 MiB (4 leaves and a dag-pb root) and
 * 8 MiB (32 leaves). MB/s = ops/s × size / 10^6; the target is at least 300 MB/s.
 *
 * <ul>
 *   <li>{@code inMemory}: {@code UnixFs.cidOf(byte[])}</li>
 *   <li>{@code streamed}: {@code UnixFs.cidOf(InputStream)}, 16 KiB reads, as for an upload</li>
 *   <li>{@code sha256}: one SHA-256 over the same bytes: the bound (a CID hashes every byte once, plus
 *       the dag-pb nodes, about 0.02 % more)</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CidBench {

    @Param({"1024", "1048576", "8388608"})
    int size;

    byte[] data;

    @Setup
    public void setUp() {
        data = new byte[size];
        new java.util.Random(1).nextBytes(data);
    }

    @Benchmark
    public CidResult inMemory() {
        return UnixFs.cidOf(data);
    }

    @Benchmark
    public CidResult streamed() throws IOException {
        return UnixFs.cidOf(new ByteArrayInputStream(data));
    }

    @Benchmark
    public byte[] sha256() {
        return Sha256.hash(data);
    }
}
