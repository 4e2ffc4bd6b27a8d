package org.emrsb.core.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The --bitcoind URL and its credentials. The RPC itself is exercised against a real regtest node by
 * the anchoring work, not against a fake here.
 */
class BitcoindEndpointTest {

    @Test
    void credentialsComeOutOfTheUrl() {
        BitcoindEndpoint e = BitcoindEndpoint.parse("http://emrsb:s3cret@127.0.0.1:18443");
        assertEquals(URI.create("http://127.0.0.1:18443/"), e.uri());
        assertEquals("emrsb", e.user());
        assertEquals("s3cret", e.password());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("emrsb:s3cret".getBytes(StandardCharsets.UTF_8)),
                e.authorization());
    }

    @Test
    void percentEncodingAndColonsInThePassword() {
        BitcoindEndpoint e = BitcoindEndpoint.parse("https://us%40er:pa:ss%2Fw%40rd@node.example:8332/wallet/anchor");
        assertEquals("us@er", e.user());
        assertEquals("pa:ss/w@rd", e.password());
        assertEquals(URI.create("https://node.example:8332/wallet/anchor"), e.uri());
        BitcoindEndpoint empty = BitcoindEndpoint.parse("http://user:@[::1]:18443");
        assertEquals("", empty.password());
        assertEquals(URI.create("http://[::1]:18443/"), empty.uri());
    }

    @Test
    void thePasswordNeverShows() {
        BitcoindEndpoint e = BitcoindEndpoint.parse("http://emrsb:s3cret@127.0.0.1:18443");
        assertFalse(e.toString().contains("s3cret"), e.toString());
        assertTrue(e.toString().contains("emrsb"), e.toString());
        assertFalse(new BitcoindClient(e, Duration.ofSeconds(1)).endpoint().toString().contains("s3cret"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> BitcoindEndpoint.parse("ftp://emrsb:s3cret@127.0.0.1:18443"));
        assertFalse(bad.getMessage().contains("s3cret"), bad.getMessage());
    }

    @Test
    void malformedUrlsAreRefused() {
        for (String url : new String[] {"", "127.0.0.1:18443", "ftp://u:p@host", "http://host:18443",
                "http://user@host:18443", "http://:p@host", "http://u:p@host/?x=1", "http://u:p@host/#f",
                "http://u:p@ho st"}) {
            assertThrows(IllegalArgumentException.class, () -> BitcoindEndpoint.parse(url), url);
        }
    }
}
