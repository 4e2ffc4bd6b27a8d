package org.emrsb.core.ipfs;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Deterministic test files: Kubo's ChaCha20 files and the feasibility study's gen(n). */
final class TestData {

    private TestData() {
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Kubo's {@code testutils.DeterministicRandomReaderBytes(size, seed)} (test/cli/testutils/
     * random_deterministic.go): the key stream of golang.org/x/crypto/chacha20 with key = sha256(seed),
     * a 12-byte zero nonce and counter 0, which is the JDK's "ChaCha20" cipher encrypting zeros.
     */
    static InputStream kuboDeterministic(String seed, long size) {
        Cipher cipher;
        try {
            cipher = Cipher.getInstance("ChaCha20");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sha256(seed.getBytes(StandardCharsets.UTF_8)), "ChaCha20"),
                    new ChaCha20ParameterSpec(new byte[12], 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] zeros = new byte[64 * 1024];
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, left), zeros.length);
                try {
                    cipher.update(zeros, 0, n, b, off);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
                left -= n;
                return n;
            }
        };
    }

    /**
     * The feasibility study's files (docs of the IPFS experiment): gen(n) = the first n bytes of
     * sha256("feas" ‖ be64(0)) ‖ sha256("feas" ‖ be64(1)) ‖ …
     */
    static byte[] gen(int n) {
        byte[] out = new byte[n];
        byte[] input = new byte[12];
        System.arraycopy("feas".getBytes(StandardCharsets.US_ASCII), 0, input, 0, 4);
        for (long i = 0, p = 0; p < n; i++, p += 32) {
            ByteBuffer.wrap(input, 4, 8).putLong(i);
            byte[] block = sha256(input);
            System.arraycopy(block, 0, out, (int) p, (int) Math.min(32, n - p));
        }
        return out;
    }

    /** Bytes 0, 1, 2, … (mod 251), a pattern that no chunk boundary lines up with. */
    static byte[] pattern(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (i % 251);
        }
        return out;
    }

    /** A stream of {@code data} that returns reads of pseudo-random sizes (1 byte to 70000 bytes). */
    static InputStream jittery(byte[] data, long seed) {
        java.util.Random random = new java.util.Random(seed);
        return new InputStream() {
            int p;

            @Override
            public int read() {
                return p < data.length ? data[p++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (p == data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, data.length - p), 1 + random.nextInt(random.nextBoolean() ? 16 : 70_000));
                System.arraycopy(data, p, b, off, n);
                p += n;
                return n;
            }
        };
    }
}
