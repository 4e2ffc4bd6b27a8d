package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emrsb.core.crypto.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskingKeysTest {

    @TempDir
    Path dir;

    @Test
    void deriveMatchesAnIndependentHkdf() {
        MaskingKeys keys = RuleGoldenTest.KEYS;
        assertEquals("9e5e92c54b1ff259dba5c4bc5c9aca52e1862009202450015bb365135f825eab", Hex.encode(keys.pseudonymKey()));
        assertEquals("ad1433ffa3f53a99f76448cdfdae83b4d0b2f549474e09647add8db1a2eea4fa", Hex.encode(keys.dateShiftKey()));
        assertEquals(keys, MaskingKeys.derive(RuleGoldenTest.SECRET.clone()));
    }

    @Test
    void theSecretFileHolds64LowercaseHexCharacters() throws IOException {
        Path file = Files.writeString(dir.resolve("masking.secret"), Hex.encode(RuleGoldenTest.SECRET) + "\n");
        assertEquals(RuleGoldenTest.KEYS, MaskingKeys.fromSecretFile(file));
        for (String bad : new String[] {"", "00", Hex.encode(RuleGoldenTest.SECRET).toUpperCase(),
            Hex.encode(RuleGoldenTest.SECRET) + "00", "zz" + Hex.encode(RuleGoldenTest.SECRET).substring(2)}) {
            Path badFile = Files.writeString(dir.resolve("bad.secret"), bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaskingKeys.fromSecretFile(badFile));
            assertTrue(e.getMessage().contains("bad.secret"), e.getMessage());
            assertFalse(e.getMessage().contains(Hex.encode(RuleGoldenTest.SECRET).substring(4, 20)), "never echoes the secret");
        }
        assertThrows(IOException.class, () -> MaskingKeys.fromSecretFile(dir.resolve("missing")));
    }

    @Test
    void keysAreCopiedCheckedAndNeverPrinted() {
        byte[] k = new byte[32];
        MaskingKeys keys = new MaskingKeys(k, k);
        k[0] = 1;
        assertEquals(0, keys.pseudonymKey()[0]);
        keys.pseudonymKey()[0] = 2;
        assertEquals(0, keys.pseudonymKey()[0]);
        assertThrows(IllegalArgumentException.class, () -> new MaskingKeys(new byte[31], null));
        assertThrows(IllegalArgumentException.class, () -> MaskingKeys.derive(new byte[16]));
        assertEquals("MaskingKeys[pseudonymKey=present, dateShiftKey=present]", keys.toString());
        MaskingKeys none = MaskingKeys.none();
        assertFalse(none.hasPseudonymKey());
        assertFalse(none.hasDateShiftKey());
        assertNull(none.pseudonymKey());
        assertEquals("MaskingKeys[pseudonymKey=absent, dateShiftKey=absent]", none.toString());
        assertNotEquals(keys, none);
        assertArrayEquals(new byte[32], keys.dateShiftKey());
    }

    @Test
    void pseudonymsNeedAKey() {
        assertThrows(IllegalArgumentException.class, () -> Pseudonyms.of(new byte[0], "x"));
        assertThrows(IllegalArgumentException.class, () -> Pseudonyms.of(null, "x"));
        // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?")
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                Pseudonyms.of("Jefe".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "what do ya want for nothing?"));
    }
}
