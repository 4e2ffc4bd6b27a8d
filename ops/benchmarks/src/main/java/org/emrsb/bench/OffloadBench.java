package org.emrsb.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.emrsb.core.crypto.AttachmentCipher;
import org.emrsb.core.crypto.AttachmentSecret;
import org.emrsb.core.crypto.EncryptedAttachment;
import org.emrsb.core.ipfs.KuboClient;
import org.emrsb.core.offload.Offloader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Attachments against the local IPFS node of ops/stack (EMRSB_IPFS_API): {@code offload} is what the
 * offload stage does per attachment (check the signed hash, compute the CID, add, compare, pin), on fresh
 * ciphertext every time so the node never deduplicates. Sizes are plaintext; ops/s × size = bytes/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OffloadBench {

    @Param({"1024", "1048576", "8388608"})
    int size;

    private KuboClient client;
    private Offloader offloader;
    private AttachmentSecret secret;
    private byte[] plaintext;
    private EncryptedAttachment encrypted;
    private long counter;

    @Setup(Level.Trial)
    public void start() {
        client = new KuboClient(URI.create(System.getenv().getOrDefault("EMRSB_IPFS_API", "http://127.0.0.1:15001")),
                Duration.ofSeconds(30));
        offloader = new Offloader(client, 9L * 1024 * 1024);
        byte[] key = new byte[32];
        new Random(11).nextBytes(key);
        secret = AttachmentSecret.of(key);
        plaintext = new byte[size];
        new Random(12).nextBytes(plaintext);
    }

    /** Fresh ciphertext (a new submission id) before each call, outside the measurement. */
    @Setup(Level.Invocation)
    public void freshCiphertext() {
        encrypted = AttachmentCipher.encrypt(secret, "bench-" + System.nanoTime() + "-" + counter++, plaintext);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
    }

    @Benchmark
    public Object offload() {
        Offloader.Outcome outcome = offloader.offload(List.of(new Offloader.Attachment(encrypted.ciphertext(), null,
                encrypted.ciphertextSha256(), encrypted.ciphertextSize())));
        if (!(outcome instanceof Offloader.Outcome.Stored)) {
            throw new IllegalStateException("offload failed: " + outcome);
        }
        return outcome;
    }
}
