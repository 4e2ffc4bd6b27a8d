package org.emrsb.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.emrsb.schemas.ConfluentWireDecoder.WireFormatException;
import org.junit.jupiter.api.Test;

class ConfluentWireDecoderTest {

    @Test
    void readsTheBigEndianSchemaIdAfterTheMagicByte() {
        assertEquals(1, ConfluentWireDecoder.schemaId(new byte[] {0, 0, 0, 0, 1}));
        assertEquals(0x01020304, ConfluentWireDecoder.schemaId(new byte[] {0, 1, 2, 3, 4, 99}));
    }

    @Test
    void refusesPayloadsWithoutTheHeader() {
        WireFormatException shortOne = assertThrows(WireFormatException.class,
                () -> ConfluentWireDecoder.schemaId(new byte[] {0, 0, 0}));
        assertTrue(shortOne.getMessage().contains("shorter than the 5-byte"), shortOne.getMessage());
        WireFormatException magic = assertThrows(WireFormatException.class,
                () -> ConfluentWireDecoder.schemaId(new byte[] {(byte) 0xC3, 1, 0, 0, 0, 0}));
        assertTrue(magic.getMessage().contains("0xc3"), magic.getMessage());
        assertThrows(WireFormatException.class, () -> ConfluentWireDecoder.schemaId(null));
    }

    @Test
    void anUnreachableRegistryIsAClearError() {
        // Port 9 (discard) on loopback: nothing listens there on these machines.
        ConfluentWireDecoder decoder = new ConfluentWireDecoder(RegistrySettings.of("http://127.0.0.1:9"));
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> decoder.decode(new byte[] {0, 0, 0, 0, 7, 2}));
        assertTrue(e.getMessage().contains("cannot reach the schema registry"), e.getMessage());
    }

    @Test
    void registrySettingsNormaliseTheUrlAndRefuseOtherSchemes() {
        RegistrySettings settings = RegistrySettings.of("http://127.0.0.1:18081//");
        assertEquals("http://127.0.0.1:18081/apis/ccompat/v7", settings.confluentApi().toString());
        assertThrows(IllegalArgumentException.class, () -> RegistrySettings.of("ftp://example.invalid"));
    }
}
