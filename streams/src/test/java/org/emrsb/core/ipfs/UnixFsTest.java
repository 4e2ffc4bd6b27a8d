package org.emrsb.core.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.emrsb.core.ipfs.UnixFs.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * UnixFS CIDs against published and observed vectors, and the streaming builder against an independent,
 * recursive transcription of boxo's balanced layout at every chunk and fan-out boundary.
 */
class UnixFsTest {

    private static final int CHUNK = UnixFs.CHUNK_SIZE;
    private static final String LOREM = "Lorem ipsum dolor sit amet, sit enim montes aliquam. Cras non lorem, "
            + "rhoncus condimentum, irure et ante. Pulvinar suscipit odio ante, et tellus a enim, "
            + "wisi ipsum, vel rhoncus eget faucibus varius, luctus turpis nibh vel odio nulla pede.";

    /** Kubo test/cli/add_test.go (ipfs/kubo), profile legacy-cid-v0, and {@code test-cid-v1}: 1 MiB chunks. */
    private static final Params KUBO_TEST_CID_V1 = new Params(1 << 20, 174, 1, true);

    record Vector(String name, Supplier<InputStream> file, Params params, String cid, long size, long dagSize,
            String source) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Supplier<InputStream> bytes(byte[] data) {
        return () -> new ByteArrayInputStream(data);
    }

    private static Supplier<InputStream> text(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Supplier<InputStream> kubo(String seed, long size) {
        return () -> TestData.kuboDeterministic(seed, size);
    }

    static Stream<Vector> vectors() {
        Params v1 = Params.KUBO_V1;
        Params v0 = Params.KUBO_V0;
        return Stream.of(
                // The project's parameters: CIDv1, raw leaves, 256 KiB chunks, 174 links.
                new Vector("empty file", text(""), v1,
                        "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", 0, 0,
                        "js-ipfs 0.18.1 node of the stack (feasibility-ipfs.md); = CIDv1 raw of sha256(\"\")"),
                new Vector("Hello world (no newline)", text("Hello world"), v1,
                        "bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq", 11, 11,
                        "js-ipfs node (feasibility-ipfs.md curl session)"),
                new Vector("hello world, CIDv1 raw", text("hello world"), v1,
                        "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", 11, 11,
                        "Kubo test/cli/add_test.go shortStringCidV1"),
                new Vector("gen(262144): one full chunk, still a raw leaf", bytes(TestData.gen(CHUNK)), v1,
                        "bafkreigkyeoh5uorp6264dgewgsy24j7krvqijzi73yksxwzawtq4xp5re", CHUNK, CHUNK,
                        "js-ipfs node (feasibility-ipfs.md)"),
                new Vector("gen(262145): two leaves", bytes(TestData.gen(CHUNK + 1)), v1,
                        "bafybeiaq5ngxtssvir5bsefxt432ahcs4np2iziji4mvaq4u7l5gblk3ya", CHUNK + 1, 262_249,
                        "js-ipfs node, root block checked byte for byte via block/get (feasibility-ipfs.md)"),
                new Vector("gen(1 MiB): four leaves", bytes(TestData.gen(1 << 20)), v1,
                        "bafybeiajzyiepinb3qltqbs355jindtzkzutadiduvixdbtvncceipubfy", 1 << 20, 1_048_784,
                        "js-ipfs node (feasibility-ipfs.md)"),
                new Vector("gen(174 x 262144 + 1): two levels", bytes(TestData.gen(174 * CHUNK + 1)), v1,
                        "bafybeifvvjyfs3wjzzdkat6e4bfmo7bs2muht3ssupxd4pecm7rypw6zxi", 174L * CHUNK + 1, 45_621_926,
                        "js-ipfs node (feasibility-ipfs.md)"),
                // Kubo's own constants with other parameters: the same tree code, other chunk/link/leaf settings.
                new Vector("Kubo test-cid-v1: 174 MiB, 174 links of 1 MiB", kubo("v1-seed", 174L << 20),
                        KUBO_TEST_CID_V1, "bafybeigwduxcf2aawppv3isnfeshnimkyplvw3hthxjhr2bdeje4tdaicu", 174L << 20, -1,
                        "Kubo test/cli/add_test.go, profile test-cid-v1, \"under UnixFSFileMaxLinks=174\""),
                new Vector("Kubo test-cid-v1: 175 MiB, two levels", kubo("v1-seed", 175L << 20), KUBO_TEST_CID_V1,
                        "bafybeidhd7lo2n2v7lta5yamob3xwhbxcczmmtmhquwhjesi35jntf7mpu", 175L << 20, -1,
                        "Kubo test/cli/add_test.go, profile test-cid-v1, \"above UnixFSFileMaxLinks=174\""),
                new Vector("hello world, CIDv0", text("hello world"), v0,
                        "Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD", 11, -1,
                        "Kubo test/cli/add_test.go shortStringCidV0"),
                new Vector("hello world, CIDv1 without raw leaves", text("hello world"), new Params(CHUNK, 174, 1, false),
                        "bafybeihykld7uyxzogax6vgyvag42y7464eywpf55gxi5qpoisibh3c5wa", 11, -1,
                        "Kubo test/cli/add_test.go shortStringCidV1NoRawLeaves"),
                new Vector("empty file, CIDv0", text(""), v0, "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH", 0, 6,
                        "go-ipfs, as quoted in rust-ipfs unixfs tests (feasibility-ipfs.md)"),
                new Vector("Lorem 237 B, size-1 chunks, CIDv0: 3 levels", text(LOREM), new Params(1, 174, 0, false),
                        "QmRQ6NZNUs4JrCT2y7tmCC1wUhjqYuTssB8VXbbN3rMffg", 237, -1,
                        "rust-ipfs unixfs/src/file/adder.rs test three_layers: \"go-ipfs 0.5 result\""),
                new Vector("Kubo legacy-cid-v0: 44544 KiB = 174 chunks, one level", kubo("v0-seed", 44_544L << 10), v0,
                        "QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2", 44_544L << 10, -1,
                        "Kubo test/cli/add_test.go, profile legacy-cid-v0, \"under UnixFSFileMaxLinks=174\""),
                new Vector("Kubo legacy-cid-v0: 44800 KiB = 175 chunks, two levels", kubo("v0-seed", 44_800L << 10), v0,
                        "QmepeWtdmS1hHXx1oZXsPUv6bMrfRRKfZcoPPU4eEfjnbf", 44_800L << 10, -1,
                        "Kubo test/cli/add_test.go, profile legacy-cid-v0, \"above UnixFSFileMaxLinks=174\""),
                new Vector("Kubo --max-file-links 1024: 256 MiB, one level of 1024", kubo("hello world", 256L << 20),
                        new Params(CHUNK, 1024, 0, false), "QmbBftNHWmjSWKLC49dMVrfnY8pjrJYntiAXirFJ7oJrNk", 256L << 20, -1,
                        "Kubo test/cli/add_test.go, \"command flag --max-file-links overrides ...\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void goldenVector(Vector v) throws IOException {
        UnixFs.Builder dag;
        try (InputStream in = v.file().get()) {
            dag = UnixFs.cidOf(in, v.params());
        }
        CidResult result = dag.finish();
        assertEquals(Cid.parse(v.cid()), result.cid(), v.source());
        assertEquals(v.cid(), result.cid().toString());
        assertEquals(v.size(), result.size());
        if (v.dagSize() >= 0) {
            assertEquals(v.dagSize(), dag.dagSize(), "DAG size, the node's add \"Size\"");
        }
        if (v.params().equals(Params.KUBO_V1)) {
            try (InputStream in = v.file().get()) {
                assertEquals(result, UnixFs.cidOf(in));
            }
        }
    }

    @Test
    void theNodesRootBlockOf262145BytesIsReproducedByteForByte() {
        // feasibility-ipfs.md: the 104-byte root block js-ipfs returned via /block/get for gen(262145)
        String hex = "122c0a2401551220cac11c7ed1d17fb5ee0cc4b1a58d713f546b042728fef0a95ed905a70e5dfd89120018808010"
                + "122a0a2401551220dabd3aff769f07eb2965401eb029974ebba3407afd02b26ddb564ea5f8efae7212001801"
                + "0a0c080218818010208080102001";
        byte[] block = java.util.HexFormat.of().parseHex(hex);
        assertEquals(104, block.length);
        assertEquals(Cid.parse("bafybeiaq5ngxtssvir5bsefxt432ahcs4np2iziji4mvaq4u7l5gblk3ya"),
                Cid.dagPb(TestData.sha256(block)));
        Reference.Node root = new Reference(TestData.gen(CHUNK + 1), Params.KUBO_V1).layout();
        assertArrayEquals(block, root.block());
        UnixFs.Builder b = UnixFs.builder();
        byte[] data = TestData.gen(CHUNK + 1);
        b.write(data, 0, data.length);
        b.finish();
        assertEquals(104, b.rootBlockSize());
        assertEquals(262_249, b.dagSize());
    }

    @Test
    void theEmptyFileIsTheRawCidOfSha256OfNothing() {
        assertEquals(Cid.rawLeaf(TestData.sha256(new byte[0])), UnixFs.cidOf(new byte[0]).cid());
    }

    @Test
    void aFileOfAtMostOneChunkIsTheRawCidOfItsSha256() {
        for (int n : new int[] {1, 1000, CHUNK - 1, CHUNK}) {
            byte[] data = TestData.pattern(n);
            CidResult r = UnixFs.cidOf(data);
            assertEquals(Cid.rawLeaf(TestData.sha256(data)), r.cid(), "size " + n);
            assertTrue(r.cid().isRaw());
            assertEquals(n, r.size());
        }
        CidResult over = UnixFs.cidOf(TestData.pattern(CHUNK + 1));
        assertEquals(Cid.DAG_PB, over.cid().codec());
    }

    /** Sizes around the chunk size and the 174-link fan-out with the project's parameters. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2L * CHUNK, 2L * CHUNK + 1, 174L * CHUNK - 1,
            174L * CHUNK, 174L * CHUNK + 1, 175L * CHUNK, 175L * CHUNK + 7})
    void streamingEqualsInMemoryAndTheReference(long size) throws IOException {
        byte[] data = TestData.pattern((int) size);
        CidResult inMemory = UnixFs.cidOf(data);
        CidResult streamed = UnixFs.cidOf(TestData.jittery(data, size));
        assertEquals(inMemory, streamed);
        Reference.Node reference = new Reference(data, Params.KUBO_V1).layout();
        assertEquals(Cid.fromBytes(reference.cid()), inMemory.cid());
        assertEquals(size, inMemory.size());

        UnixFs.Builder bytewise = UnixFs.builder();
        InputStream in = TestData.jittery(data, ~size);
        byte[] buffer = new byte[100_000];
        for (int n; (n = in.read(buffer)) != -1; ) {
            bytewise.write(buffer, 0, n);
        }
        assertEquals(inMemory, bytewise.finish());
        assertEquals(reference.tsize(), bytewise.dagSize());
        assertEquals(reference.block().length, bytewise.rootBlockSize());
    }

    /**
     * Deep trees cheaply: tiny chunks and fan-outs, every size up to a few levels, and the real fan-out
     * of 174 with 1-byte chunks across the 174 and 174² leaf boundaries (two and three levels).
     */
    static Stream<Arguments> smallParameters() {
        List<Arguments> cases = new ArrayList<>();
        for (Params p : List.of(new Params(1, 2, 1, true), new Params(1, 3, 1, true), new Params(3, 3, 1, true),
                new Params(2, 5, 1, true), new Params(1, 3, 0, false), new Params(4, 4, 1, false))) {
            for (int n = 0; n <= 90; n++) {
                cases.add(Arguments.of(p, n));
            }
        }
        Params fanOut = new Params(1, 174, 1, true);
        for (int n : new int[] {173, 174, 175, 348, 349, 174 * 174 - 1, 174 * 174, 174 * 174 + 1, 2 * 174 * 174 + 5}) {
            cases.add(Arguments.of(fanOut, n));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("smallParameters")
    void builderEqualsTheRecursiveReference(Params p, int size) throws IOException {
        byte[] data = TestData.pattern(size);
        Reference.Node expected = new Reference(data, p).layout();
        UnixFs.Builder whole = new UnixFs.Builder(p);
        whole.write(data, 0, data.length);
        assertEquals(Cid.fromBytes(expected.cid()), whole.finish().cid());
        assertEquals(expected.tsize(), whole.dagSize());
        UnixFs.Builder streamed = UnixFs.cidOf(TestData.jittery(data, size), p);
        assertEquals(whole.finish(), streamed.finish());
    }

    @Test
    void builderIsSingleUseAndFinishIsIdempotent() {
        UnixFs.Builder b = UnixFs.builder();
        b.write(new byte[] {1, 2, 3}, 0, 3);
        b.write(4);
        assertEquals(4, b.size());
        assertThrows(IllegalStateException.class, b::dagSize);
        CidResult r = b.finish();
        assertEquals(r, b.finish());
        assertEquals(UnixFs.cidOf(new byte[] {1, 2, 3, 4}), r);
        assertThrows(IllegalStateException.class, () -> b.write(new byte[1], 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> UnixFs.builder().write(new byte[2], 1, 2));
    }

    @Test
    void aFailingStreamFailsTheComputation() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        IOException e = assertThrows(IOException.class, () -> UnixFs.cidOf(broken));
        assertEquals("disk on fire", e.getMessage());
    }

    /** Optional: Kubo's 1 GiB test-cid-v1-wide vectors (2 GiB of ChaCha20; -Demrsb.ipfs.slowVectors=true). */
    @Test
    @EnabledIfSystemProperty(named = "emrsb.ipfs.slowVectors", matches = "true")
    void kuboWideVectors() throws IOException {
        Params wide = new Params(1 << 20, 1024, 1, true);
        assertEquals(Cid.parse("bafybeiej5w63ir64oxgkr5htqmlerh5k2rqflurn2howimexrlkae64xru"),
                UnixFs.cidOf(TestData.kuboDeterministic("v1-seed-1024", 1024L << 20), wide).finish().cid());
        assertEquals(Cid.parse("bafybeieilp2qx24pe76hxrxe6bpef5meuxto3kj5dd6mhb5kplfeglskdm"),
                UnixFs.cidOf(TestData.kuboDeterministic("v1-seed-1024", 1025L << 20), wide).finish().cid());
    }

    /**
     * boxo's importer/balanced.Layout and fillNodeRec, transcribed recursively and encoded with a generic
     * protobuf writer: a second implementation the streaming builder must agree with.
     */
    static final class Reference {
        record Node(byte[] cid, long tsize, long fileSize, byte[] block) {
        }

        private final byte[] data;
        private final Params p;
        private int offset;

        Reference(byte[] data, Params p) {
            this.data = data;
            this.p = p;
        }

        Node layout() {
            Node root = nextLeaf(); // an empty file is one empty leaf
            for (int depth = 1; !done(); depth++) {
                List<Node> children = new ArrayList<>();
                children.add(root);
                root = fill(children, depth);
            }
            return root;
        }

        private boolean done() {
            return offset >= data.length;
        }

        private Node fill(List<Node> children, int depth) {
            while (children.size() < p.maxLinks() && !done()) {
                children.add(depth == 1 ? nextLeaf() : fill(new ArrayList<>(), depth - 1));
            }
            return node(children);
        }

        private Node nextLeaf() {
            int n = Math.min(p.chunkSize(), data.length - offset);
            byte[] chunk = Arrays.copyOfRange(data, offset, offset + n);
            offset += n;
            if (p.rawLeaves()) {
                return new Node(Cid.rawLeaf(TestData.sha256(chunk)).bytes(), n, n, chunk);
            }
            Pb unixFs = new Pb().varint(1, 2);
            if (n > 0) {
                unixFs.bytes(2, chunk);
            }
            unixFs.varint(3, n);
            byte[] block = new Pb().bytes(1, unixFs.toBytes()).toBytes();
            return new Node(cidOf(block), block.length, n, block);
        }

        private Node node(List<Node> children) {
            Pb node = new Pb();
            Pb unixFs = new Pb().varint(1, 2);
            long fileSize = 0;
            long tsize = 0;
            for (Node child : children) {
                node.bytes(2, new Pb().bytes(1, child.cid()).bytes(2, new byte[0]).varint(3, child.tsize()).toBytes());
                fileSize += child.fileSize();
                tsize += child.tsize();
            }
            unixFs.varint(3, fileSize);
            for (Node child : children) {
                unixFs.varint(4, child.fileSize());
            }
            byte[] block = node.bytes(1, unixFs.toBytes()).toBytes();
            return new Node(cidOf(block), block.length + tsize, fileSize, block);
        }

        private byte[] cidOf(byte[] block) {
            byte[] digest = TestData.sha256(block);
            return (p.cidVersion() == 0 ? Cid.v0(digest) : Cid.dagPb(digest)).bytes();
        }
    }

    /** A minimal protobuf writer: varint and length-delimited fields. */
    static final class Pb {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pb varint(int field, long value) {
            raw(field << 3);
            raw(value);
            return this;
        }

        Pb bytes(int field, byte[] value) {
            raw((field << 3) | 2);
            raw(value.length);
            out.write(value, 0, value.length);
            return this;
        }

        private void raw(long v) {
            while (Long.compareUnsigned(v, 0x80) >= 0) {
                out.write((int) (v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    @Test
    void theJitteryTestStreamDeliversEveryByteExactlyOnce() {
        byte[] data = TestData.pattern(300_000);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (InputStream in = TestData.jittery(data, 7)) {
            in.transferTo(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertArrayEquals(data, copy.toByteArray());
    }
}
