package org.emrsb.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.emrsb.core.crypto.AttachmentCipher;
import org.emrsb.core.crypto.AttachmentSecret;
import org.emrsb.core.crypto.EncryptedAttachment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** What a recipient does after fetching: AES-256-GCM decryption with authentication, by plaintext size. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecryptBench {

    private static final String SUBMISSION = "bench-submission";

    @Param({"1024", "1048576", "8388608"})
    int size;

    private EncryptedAttachment encrypted;

    @Setup
    public void setUp() {
        byte[] key = new byte[32];
        new Random(13).nextBytes(key);
        byte[] plaintext = new byte[size];
        new Random(14).nextBytes(plaintext);
        encrypted = AttachmentCipher.encrypt(AttachmentSecret.of(key), SUBMISSION, plaintext);
    }

    @Benchmark
    public byte[] decrypt() {
        return AttachmentCipher.decrypt(encrypted.contentKey(), encrypted.nonce(), SUBMISSION, encrypted.ciphertext());
    }
}
