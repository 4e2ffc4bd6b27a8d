package org.emrsb.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.crypto.VerifyingKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Ed25519 (BouncyCastle through the product's Signatures) on a 600-byte record, one thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SignatureBench {

    SigningKey key;
    VerifyingKey verifyingKey;
    byte[] message = new byte[600];
    byte[] signature;

    @Setup
    public void setUp() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(4);
        key = SigningKey.generate(random);
        verifyingKey = key.verifyingKey();
        random.nextBytes(message);
        signature = Signatures.sign(key, message);
    }

    @Benchmark
    public byte[] sign() {
        return Signatures.sign(key, message);
    }

    @Benchmark
    public boolean verify() {
        return Signatures.verify(verifyingKey, message, signature);
    }
}
