package org.emrsb.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VerifyingKeyCacheTest {

    private static byte[] key(int seed) throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        return SigningKey.generate(random).verifyingKey().bytes();
    }

    @Test
    void decodesEachKeyOnceAndEvictsTheLeastRecentlyUsed() throws Exception {
        VerifyingKeyCache cache = new VerifyingKeyCache(2);
        byte[] a = key(1);
        byte[] b = key(2);
        byte[] c = key(3);
        VerifyingKey first = cache.get(a);
        assertSame(first, cache.get(a.clone()));
        assertEquals(VerifyingKey.of(a), first);
        cache.get(b);
        cache.get(a);
        cache.get(c);
        assertSame(first, cache.get(a), "a was used after b, so b was evicted");
        VerifyingKey again = cache.get(b);
        assertNotSame(null, again);
    }

    @Test
    void anInvalidKeyIsRefusedEveryTime() {
        VerifyingKeyCache cache = new VerifyingKeyCache(4);
        byte[] invalid = new byte[32];
        Arrays.fill(invalid, (byte) 0xff);
        assertThrows(IllegalArgumentException.class, () -> cache.get(invalid));
        assertThrows(IllegalArgumentException.class, () -> cache.get(invalid));
        assertThrows(IllegalArgumentException.class, () -> cache.get(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> new VerifyingKeyCache(0));
    }
}
