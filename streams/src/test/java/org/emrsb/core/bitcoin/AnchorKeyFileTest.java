package org.emrsb.core.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.emrsb.core.crypto.KeyFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnchorKeyFileTest {

    private static final String WIF = "cPisAUdLvqqAr6MYtXnrWvgvyUAwuNyuTvZkDGw6miPhZdaiSDNH"; // Core's key_io regtest vector
    private static final AnchorKey KEY = AnchorKey.fromWif(WIF, BitcoinNetwork.REGTEST);

    @TempDir
    Path dir;

    @Test
    void writesOwnerOnlyAndReadsBack() throws Exception {
        AnchorKeyFile file = new AnchorKeyFile(BitcoinNetwork.REGTEST, AnchorKey.generate(new SecureRandom()));
        Path path = dir.resolve("anchor.key");
        file.write(path);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(file, AnchorKeyFile.read(path));
        assertThrows(FileAlreadyExistsException.class, () -> file.write(path));
        assertFalse(file.toString().contains(file.key().toWif(BitcoinNetwork.REGTEST)));
    }

    @Test
    void format() throws Exception {
        String json = new AnchorKeyFile(BitcoinNetwork.REGTEST, KEY).toJson();
        assertTrue(json.contains("\"format\" : \"emrsb-anchor-key/1\""), json);
        assertTrue(json.contains("\"network\" : \"regtest\""), json);
        assertTrue(json.contains("\"wif\" : \"" + WIF + "\""), json);
        assertTrue(json.contains("\"address\" : \"" + KEY.address(BitcoinNetwork.REGTEST) + "\""), json);
        assertTrue(json.endsWith("}\n"));
    }

    @Test
    void errorsNameTheFileAndTheField() throws Exception {
        String address = KEY.address(BitcoinNetwork.REGTEST);
        assertField("wif", "{\"format\":\"emrsb-anchor-key/1\",\"network\":\"mainnet\",\"wif\":\"" + WIF
                + "\",\"address\":\"" + address + "\"}", "mainnet");
        assertField("address", "{\"format\":\"emrsb-anchor-key/1\",\"network\":\"regtest\",\"wif\":\"" + WIF
                + "\",\"address\":\"mfhE6jAUwjUDNZhaX1PAsDTKfneQF2Nshc\"}", address);
        assertField("format", "{\"format\":\"emrsb-key/1\",\"network\":\"regtest\",\"wif\":\"" + WIF
                + "\",\"address\":\"" + address + "\"}", "emrsb-anchor-key/1");
        assertField("network", "{\"format\":\"emrsb-anchor-key/1\",\"network\":\"signet\",\"wif\":\"" + WIF
                + "\",\"address\":\"" + address + "\"}", "signet");
        assertField("extra", "{\"format\":\"emrsb-anchor-key/1\",\"network\":\"regtest\",\"wif\":\"" + WIF
                + "\",\"address\":\"" + address + "\",\"extra\":\"x\"}", "unknown field");
        assertField("address", "{\"format\":\"emrsb-anchor-key/1\",\"network\":\"regtest\",\"wif\":\"" + WIF + "\"}", "missing");
        assertField("wif", "{\"format\":\"emrsb-anchor-key/1\",\"network\":\"regtest\",\"wif\":7,\"address\":\"" + address + "\"}",
                "must be a string");
        assertField(null, "{\"format\":\"emrsb-anchor-key/1\",\"format\":\"emrsb-anchor-key/1\"}", "not valid JSON");
        assertField(null, "not json", "not valid JSON");
    }

    private void assertField(String field, String content, String expected) throws Exception {
        Path path = Files.createTempFile(dir, "bad", ".key");
        Files.writeString(path, content, StandardCharsets.UTF_8);
        KeyFileException e = assertThrows(KeyFileException.class, () -> AnchorKeyFile.read(path));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("anchor key file " + path + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains(WIF), "never the key: " + e.getMessage());
    }
}
