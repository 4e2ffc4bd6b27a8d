package org.emrsb.core.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import org.emrsb.core.ipfs.IpfsException.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client and the local CID computation against the real IPFS node of the local stack (js-ipfs
 * 0.18.1 here; any Kubo RPC node), at EMRSB_IPFS_API or http://127.0.0.1:15001. The stack must be up
 * ({@code ops/stack up}); this test neither starts nor stops it.
 *
 * <p>File contents are deterministic per size, so repeated runs add the same blocks again instead of
 * growing the node's repository (about 94 MB of content, once); one small file is fresh on every run.
 */
class KuboClientIT {

    private static final URI API = URI.create(System.getenv().getOrDefault("EMRSB_IPFS_API", "http://127.0.0.1:15001"));
    private static final int CHUNK = UnixFs.CHUNK_SIZE;

    private static KuboClient client;

    @BeforeAll
    static void connect() {
        client = new KuboClient(API, Duration.ofSeconds(120), Duration.ofSeconds(30));
        try {
            NodeId id = client.id();
            assertFalse(id.id().isEmpty());
            assertFalse(id.agentVersion().isEmpty());
        } catch (IpfsException e) {
            throw new AssertionError("the stack's IPFS node does not answer at " + API + " (ops/stack up): " + e, e);
        }
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    /** Sizes across the chunk size and the 174-link fan-out: one raw leaf, one level, two levels. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 1000, CHUNK - 1, CHUNK, CHUNK + 1, 2 << 20, 174 * CHUNK, 175 * CHUNK + 7})
    void theNodesCidIsTheLocalOne(int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        UnixFs.Builder dag = UnixFs.builder();
        dag.write(data, 0, size);
        CidResult local = dag.finish();
        assertEquals(local, UnixFs.cidOf(new ByteArrayInputStream(data)), "streaming = in memory");

        CidResult added = size < (1 << 20) ? client.add(data) : client.add(new ByteArrayInputStream(data), size);
        assertArrayEquals(local.cid().bytes(), added.cid().bytes(), "binary CIDs");
        assertEquals(local.size(), added.size());
        assertEquals(size <= CHUNK, added.cid().isRaw());

        assertArrayEquals(data, client.cat(added.cid(), size));
        if (size > 0) {
            IpfsException tooLong = assertThrows(IpfsException.class, () -> client.cat(added.cid(), size - 1));
            assertEquals(Kind.PROTOCOL, tooLong.kind());
        }
        client.pinAdd(added.cid());
        BlockStat stat = client.blockStat(added.cid());
        assertEquals(added.cid(), stat.key());
        assertEquals(dag.rootBlockSize(), stat.size(), "root block size");
        if (size <= CHUNK) {
            assertEquals(size, stat.size());
        }
    }

    @Test
    void freshContentRoundTrips() throws Exception {
        byte[] data = new byte[CHUNK + 12_345];
        new SecureRandom().nextBytes(data);
        CidResult added = client.add(new ByteArrayInputStream(data), data.length);
        assertEquals(UnixFs.cidOf(data), added);
        assertArrayEquals(data, client.catVerified(added.cid(), data.length));
        assertEquals(added.cid(), client.blockStat(added.cid()).key());
    }

    @Test
    void anUnknownCidIsNotFound() {
        byte[] digest = new byte[32];
        new SecureRandom().nextBytes(digest);
        Cid unknown = Cid.rawLeaf(digest);
        try (KuboClient quick = new KuboClient(API, Duration.ofSeconds(20), Duration.ofSeconds(1))) {
            for (Call call : new Call[] {() -> quick.blockStat(unknown), () -> quick.cat(unknown, 100),
                    () -> quick.pinAdd(unknown)}) {
                IpfsException e = assertThrows(IpfsException.class, call::run);
                assertEquals(Kind.NOT_FOUND, e.kind(), e.getMessage());
                assertFalse(e.retryable());
            }
        }
    }

    @Test
    void anUnreachablePortIsUnavailableAndRetryable() {
        try (KuboClient nobody = new KuboClient(URI.create("http://127.0.0.1:9"), Duration.ofSeconds(5))) {
            for (Call call : new Call[] {nobody::id, () -> nobody.add(new byte[] {1, 2, 3}),
                    () -> nobody.blockStat(UnixFs.cidOf(new byte[0]).cid())}) {
                IpfsException e = assertThrows(IpfsException.class, call::run);
                assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
                assertTrue(e.retryable());
            }
        }
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }
}
