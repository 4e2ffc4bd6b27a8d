package org.emrsb.core.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.ipfs.Cid;
import org.emrsb.core.ipfs.KuboClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The offloader's decisions that need no IPFS node: everything checked before a call, and an
 * unreachable node (a real refused connection on 127.0.0.1:9) as a retry, never a rejection.
 */
class OffloaderTest {

    private final KuboClient unreachable = new KuboClient(URI.create("http://127.0.0.1:9"), Duration.ofSeconds(2));
    private final Offloader offloader = new Offloader(unreachable, 1024);

    @AfterEach
    void close() throws Exception {
        unreachable.close();
    }

    private static Offloader.Attachment inline(byte[] ciphertext) {
        return new Offloader.Attachment(ciphertext, null, Sha256.hash(ciphertext), ciphertext.length);
    }

    @Test
    void ciphertextThatIsNotWhatTheGatewaySignedIsRefusedBeforeAnyUpload() {
        byte[] ciphertext = "ciphertext".getBytes();
        Offloader.Attachment wrongHash = new Offloader.Attachment(ciphertext, null, new byte[32], ciphertext.length);
        var refused = assertInstanceOf(Offloader.Outcome.Refused.class, offloader.offload(List.of(wrongHash)));
        assertEquals(Offloader.CIPHERTEXT_MISMATCH, refused.reason());
        Offloader.Attachment wrongSize = new Offloader.Attachment(ciphertext, null, Sha256.hash(ciphertext), 3);
        assertEquals(Offloader.CIPHERTEXT_MISMATCH,
                ((Offloader.Outcome.Refused) offloader.offload(List.of(wrongSize))).reason());
    }

    @Test
    void anOversizeCiphertextIsRefused() {
        var refused = assertInstanceOf(Offloader.Outcome.Refused.class, offloader.offload(List.of(inline(new byte[1025]))));
        assertEquals(Offloader.OVERSIZE, refused.reason());
    }

    @Test
    void anAttachmentWithNeitherBytesNorCidIsRefused() {
        var refused = assertInstanceOf(Offloader.Outcome.Refused.class,
                offloader.offload(List.of(new Offloader.Attachment(null, null, new byte[32], 0))));
        assertEquals(Offloader.CLAIM_CHECK_MISSING, refused.reason());
    }

    @Test
    void anUnreachableNodeMeansRetryLater() {
        var retry = assertInstanceOf(Offloader.Outcome.Retry.class, offloader.offload(List.of(inline("x".getBytes()))));
        assertTrue(retry.reason().startsWith("attachment 0"), retry.reason());
        Cid claim = Cid.rawLeaf(Sha256.hash("y".getBytes()));
        assertInstanceOf(Offloader.Outcome.Retry.class,
                offloader.offload(List.of(new Offloader.Attachment(null, claim, Sha256.hash("y".getBytes()), 1))));
    }

    @Test
    void aRecordWithoutAttachmentsIsStoredAsIs() {
        var stored = assertInstanceOf(Offloader.Outcome.Stored.class, offloader.offload(List.of()));
        assertTrue(stored.cids().isEmpty());
    }
}
