package org.emrsb.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 5869 appendix A test cases 1-3 (HKDF-SHA256), for {@link Hkdf} and for an independent reference
 * HKDF written here on the JDK's HmacSHA256 (which also checks the intermediate PRK).
 *
 * <p>Source of the values: RFC 5869 appendix A.1-A.3, as transcribed in BouncyCastle's
 * bcgit/bc-java core/src/test/java/org/bouncycastle/crypto/test/HKDFGeneratorTest.java (IKM, salt,
 * info, L, OKM) and in casebeer/python-hkdf tests.py (the same values plus the PRKs).
 */
class HkdfTest {

    static Stream<Arguments> rfc5869() {
        return Stream.of(
                Arguments.of("A.1 test case 1",
                        "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
                        "000102030405060708090a0b0c",
                        "f0f1f2f3f4f5f6f7f8f9",
                        42,
                        "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
                        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
                Arguments.of("A.2 test case 2",
                        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                                + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                                + "404142434445464748494a4b4c4d4e4f",
                        "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
                                + "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
                                + "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
                        "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
                                + "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
                                + "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
                        82,
                        "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
                        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                                + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                                + "cc30c58179ec3e87c14c01d5c1f3434f1d87"),
                Arguments.of("A.3 test case 3 (empty salt and info)",
                        "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
                        "",
                        "",
                        42,
                        "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
                        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc5869")
    void rfc5869Vectors(String name, String ikm, String salt, String info, int length, String prk, String okm)
            throws Exception {
        byte[] ikmBytes = Hex.decode(ikm, "ikm");
        byte[] saltBytes = Hex.decode(salt, "salt");
        byte[] infoBytes = Hex.decode(info, "info");

        assertEquals(okm, Hex.encode(Hkdf.sha256(ikmBytes, saltBytes, infoBytes, length)));
        assertEquals(prk, Hex.encode(referenceExtract(saltBytes, ikmBytes)));
        assertEquals(okm, Hex.encode(referenceHkdf(ikmBytes, saltBytes, infoBytes, length)));
    }

    @Test
    void agreesWithTheReferenceOnOtherInputs() throws Exception {
        SplittableRandom random = new SplittableRandom(5869);
        for (int i = 0; i < 50; i++) {
            byte[] ikm = bytes(random, 1 + random.nextInt(80));
            byte[] salt = bytes(random, random.nextInt(100));
            byte[] info = bytes(random, random.nextInt(100));
            int length = 1 + random.nextInt(200);
            assertArrayEquals(referenceHkdf(ikm, salt, info, length), Hkdf.sha256(ikm, salt, info, length));
        }
    }

    @Test
    void refusesImpossibleLengths() {
        byte[] ikm = new byte[32];
        assertThrows(IllegalArgumentException.class, () -> Hkdf.sha256(ikm, new byte[0], new byte[0], 0));
        assertThrows(IllegalArgumentException.class, () -> Hkdf.sha256(ikm, new byte[0], new byte[0], 255 * 32 + 1));
        assertEquals(255 * 32, Hkdf.sha256(ikm, new byte[0], new byte[0], 255 * 32).length);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** RFC 5869 section 2.2 on the JDK's HMAC: an implementation independent of BouncyCastle's. */
    static byte[] referenceExtract(byte[] salt, byte[] ikm) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
        return mac.doFinal(ikm);
    }

    /** RFC 5869 sections 2.2 and 2.3 on the JDK's HMAC. */
    static byte[] referenceHkdf(byte[] ikm, byte[] salt, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(referenceExtract(salt, ikm), "HmacSHA256"));
        ByteArrayOutputStream okm = new ByteArrayOutputStream();
        byte[] t = new byte[0];
        for (int i = 1; okm.size() < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            t = mac.doFinal();
            okm.write(t, 0, t.length);
        }
        byte[] out = new byte[length];
        System.arraycopy(okm.toByteArray(), 0, out, 0, length);
        return out;
    }
}
