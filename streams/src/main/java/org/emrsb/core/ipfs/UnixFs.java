package org.emrsb.core.ipfs;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.Arrays;
import java.util.Objects;
import org.emrsb.core.format.Sha256;

/**
 * The CID of a file exactly as {@code ipfs add --cid-version=1 --raw-leaves=true --chunker=size-262144
 * --hash=sha2-256} makes it (Kubo and js-ipfs agree): a balanced UnixFS DAG with at most 174 links per
 * node, no inlining, no trickle layout. Computed locally, without a node, in one streaming pass.
 *
 * <p>The rules (docs/ipfs.md, "CID rules"):
 * <ol>
 *   <li>The file is cut into chunks of 262144 bytes; only the last may be shorter. Each chunk is a raw
 *       leaf: CID {@code 0x01 0x55 0x12 0x20 ‖ sha256(chunk)}. A file of 0 to 262144 bytes is a single
 *       raw leaf; the empty file too.</li>
 *   <li>Longer files get dag-pb nodes over the leaves, built like boxo's {@code balanced.Layout}: a
 *       node takes up to 174 children; the tree grows a level when the top node is full and bytes remain.
 *       Nodes are filled left to right; a node exists only when some byte is under it, so the rightmost
 *       nodes may have a single child.</li>
 *   <li>A node's block is canonical dag-pb: the links first (field 2, each {@code Hash} = the child's
 *       binary CID, {@code Name} = "" always present, {@code Tsize} = the child's DAG size), then the
 *       data (field 1): UnixFS {@code Type = File}, {@code filesize} = the sum of the children's file
 *       sizes, one unpacked {@code blocksizes} entry per child, no data. Its CID is CIDv1 dag-pb of
 *       sha256(block); its DAG size (what {@code add} reports as {@code Size}) is the block's length plus
 *       the children's DAG sizes.</li>
 * </ol>
 *
 * <p>Streaming keeps one SHA-256 state for the current leaf and at most 174 link records per level
 * (about 9 KiB per level; 4 levels cover 200 TiB): the file itself is never held in memory.
 */
public final class UnixFs {

    /** Kubo's {@code size-262144} chunker. */
    public static final int CHUNK_SIZE = 262_144;
    /** Kubo's default {@code Import.UnixFSFileMaxLinks}. */
    public static final int MAX_LINKS = 174;

    /** The parameters of a DAG. Only {@link #KUBO_V1} is used by the product; the others are for vectors. */
    record Params(int chunkSize, int maxLinks, int cidVersion, boolean rawLeaves) {
        /** The project's parameters (the add options KuboClient always sends). */
        static final Params KUBO_V1 = new Params(CHUNK_SIZE, MAX_LINKS, 1, true);
        /** Kubo's legacy-cid-v0 profile: CIDv0, dag-pb leaves. */
        static final Params KUBO_V0 = new Params(CHUNK_SIZE, MAX_LINKS, 0, false);

        Params {
            if (chunkSize < 1 || maxLinks < 2) {
                throw new IllegalArgumentException("chunk size >= 1 and max links >= 2 required");
            }
            if (cidVersion != 0 && cidVersion != 1) {
                throw new IllegalArgumentException("CID version 0 or 1");
            }
            if (cidVersion == 0 && rawLeaves) {
                throw new IllegalArgumentException("raw leaves need CIDv1");
            }
        }
    }

    private static final int READ_BUFFER = 16 * 1024;

    private UnixFs() {
    }

    /** The CID and size of {@code data} as a file. */
    public static CidResult cidOf(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length <= CHUNK_SIZE) {
            return new CidResult(Cid.rawLeaf(Sha256.hash(data)), data.length); // one raw leaf
        }
        Builder builder = new Builder(Params.KUBO_V1);
        builder.write(data, 0, data.length);
        return builder.finish();
    }

    /**
     * The CID and size of the file read from {@code in} until its end, streaming (memory O(depth × 174),
     * whatever the file's size). Does not close {@code in}.
     */
    public static CidResult cidOf(InputStream in) throws IOException {
        return cidOf(in, Params.KUBO_V1).finish();
    }

    static Builder cidOf(InputStream in, Params params) throws IOException {
        Objects.requireNonNull(in, "in");
        Builder builder = new Builder(params);
        byte[] buffer = new byte[READ_BUFFER];
        for (int n; (n = in.read(buffer)) != -1; ) {
            builder.write(buffer, 0, n);
        }
        return builder;
    }

    /** A builder with the project's parameters, for callers that see the bytes go by (e.g. during an upload). */
    public static Builder builder() {
        return new Builder(Params.KUBO_V1);
    }

    /**
     * Incremental CID computation: {@link #write} the file's bytes in order, in any slicing, then
     * {@link #finish()}. Not thread-safe; single use.
     */
    public static final class Builder {

        private final Params params;
        private final MessageDigest sha256 = newSha256();
        /** Bytes of the current chunk so far (hashed directly for raw leaves, buffered for dag-pb leaves). */
        private int chunkFill;
        private final byte[] chunkBuffer;
        private long fileSize;
        private long leaves;
        /** levels[0] holds leaf links, levels[i] links to nodes of height i. */
        private Level[] levels = new Level[4];
        private int height; // number of levels in use
        private final byte[] digestOut = new byte[Cid.DIGEST_LENGTH];
        private byte[] block = new byte[1024];
        private CidResult result;
        private long dagSize;
        private int rootBlockSize;

        Builder(Params params) {
            this.params = params;
            this.chunkBuffer = params.rawLeaves() ? null : new byte[params.chunkSize()];
        }

        /** Adds {@code length} bytes of the file. */
        public void write(byte[] data, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, data.length);
            if (result != null) {
                throw new IllegalStateException("finished");
            }
            int chunk = params.chunkSize();
            while (length > 0) {
                int n = Math.min(length, chunk - chunkFill);
                if (chunkBuffer == null) {
                    sha256.update(data, offset, n);
                } else {
                    System.arraycopy(data, offset, chunkBuffer, chunkFill, n);
                }
                chunkFill += n;
                offset += n;
                length -= n;
                fileSize += n;
                if (chunkFill == chunk) {
                    closeLeaf();
                }
            }
        }

        /** Adds one byte of the file. */
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** Bytes written so far. */
        public long size() {
            return fileSize;
        }

        /** Ends the file: its root CID and size. Idempotent. */
        public CidResult finish() {
            if (result != null) {
                return result;
            }
            if (chunkFill > 0 || leaves == 0) {
                closeLeaf(); // the short last chunk, or the empty file's single empty leaf
            }
            // Collapse every level below the top into a node of the next level, bottom-up.
            for (int i = 0; i < height - 1; i++) {
                if (levels[i].count > 0) {
                    collapse(i);
                }
            }
            Level top = levels[height - 1];
            if (top.count > 1) {
                collapse(height - 1);
                top = levels[height - 1];
            }
            // top now holds exactly one link: the root.
            dagSize = top.tsize[0];
            result = new CidResult(Cid.trusted(Arrays.copyOfRange(top.cids, 0, top.cidLength[0])), fileSize);
            if (rootBlockSize == 0) {
                rootBlockSize = (int) dagSize; // a single leaf: the block is the DAG
            }
            return result;
        }

        /** After {@link #finish()}: the DAG's total size, which the node reports as {@code Size} for the add. */
        public long dagSize() {
            if (result == null) {
                throw new IllegalStateException("not finished");
            }
            return dagSize;
        }

        /** After {@link #finish()}: the root block's length, which {@code block/stat} reports. */
        public int rootBlockSize() {
            if (result == null) {
                throw new IllegalStateException("not finished");
            }
            return rootBlockSize;
        }

        private void closeLeaf() {
            int length = chunkFill;
            chunkFill = 0;
            leaves++;
            if (chunkBuffer == null) {
                digest();
                add(0, Cid.v1Bytes(Cid.RAW, digestOut, 0), length, length);
                return;
            }
            // dag-pb leaf (legacy): PBNode{Data = UnixFS{Type=File, Data=chunk (absent if empty), filesize}}
            int unixFsLength = 2 + (length > 0 ? 1 + varintSize(length) + length : 0) + 1 + varintSize(length);
            int size = 1 + varintSize(unixFsLength) + unixFsLength;
            ensureBlock(size);
            int p = 0;
            block[p++] = 0x0a;
            p = putVarint(block, p, unixFsLength);
            block[p++] = 0x08;
            block[p++] = 0x02;
            if (length > 0) {
                block[p++] = 0x12;
                p = putVarint(block, p, length);
                System.arraycopy(chunkBuffer, 0, block, p, length);
                p += length;
            }
            block[p++] = 0x18;
            p = putVarint(block, p, length);
            sha256.update(block, 0, p);
            digest();
            add(0, nodeCid(), p, length);
        }

        private void digest() {
            try {
                sha256.digest(digestOut, 0, Cid.DIGEST_LENGTH);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
        }

        private byte[] nodeCid() {
            return params.cidVersion() == 0 ? v0Bytes(digestOut) : Cid.v1Bytes(Cid.DAG_PB, digestOut, 0);
        }

        private static byte[] v0Bytes(byte[] digest) {
            byte[] b = new byte[2 + Cid.DIGEST_LENGTH];
            b[0] = Cid.SHA2_256;
            b[1] = Cid.DIGEST_LENGTH;
            System.arraycopy(digest, 0, b, 2, Cid.DIGEST_LENGTH);
            return b;
        }

        /**
         * Appends a link to level {@code i}. A full level is collapsed into a node first (lazily: only
         * once another sibling exists, which is when boxo's balanced layout starts a new node or level).
         */
        private void add(int i, byte[] cid, long tsize, long fsize) {
            if (i == height) {
                if (height == levels.length) {
                    levels = Arrays.copyOf(levels, height * 2);
                }
                levels[height++] = new Level(Math.min(4, params.maxLinks()));
            }
            if (levels[i].count == params.maxLinks()) {
                collapse(i);
            }
            levels[i].add(cid, tsize, fsize);
        }

        /** Turns the links of level {@code i} into one dag-pb node, linked from level i + 1. */
        private void collapse(int i) {
            Level level = levels[i];
            int n = level.count;
            long fileSizeSum = 0;
            long tsizeSum = 0;
            int unixFsLength = 2 + 1 + 0; // Type; filesize tag (value below)
            for (int k = 0; k < n; k++) {
                fileSizeSum += level.fsize[k];
                tsizeSum += level.tsize[k];
                unixFsLength += 1 + varintSize(level.fsize[k]);
            }
            unixFsLength += varintSize(fileSizeSum);
            int max = n * (1 + 2 + 2 + 36 + 2 + 1 + 10) + 1 + 5 + unixFsLength;
            ensureBlock(max);
            int p = 0;
            int cidOffset = 0;
            for (int k = 0; k < n; k++) {
                int cidLength = level.cidLength[k];
                int linkLength = 2 + cidLength + 2 + 1 + varintSize(level.tsize[k]);
                block[p++] = 0x12; // PBNode.Links
                p = putVarint(block, p, linkLength);
                block[p++] = 0x0a; // PBLink.Hash
                block[p++] = (byte) cidLength;
                System.arraycopy(level.cids, cidOffset, block, p, cidLength);
                p += cidLength;
                cidOffset += cidLength;
                block[p++] = 0x12; // PBLink.Name = ""
                block[p++] = 0x00;
                block[p++] = 0x18; // PBLink.Tsize
                p = putVarint(block, p, level.tsize[k]);
            }
            block[p++] = 0x0a; // PBNode.Data
            p = putVarint(block, p, unixFsLength);
            block[p++] = 0x08; // Type = File
            block[p++] = 0x02;
            block[p++] = 0x18; // filesize
            p = putVarint(block, p, fileSizeSum);
            for (int k = 0; k < n; k++) {
                block[p++] = 0x20; // blocksizes, one field per child (not packed)
                p = putVarint(block, p, level.fsize[k]);
            }
            sha256.update(block, 0, p);
            digest();
            level.clear();
            rootBlockSize = p;
            add(i + 1, nodeCid(), p + tsizeSum, fileSizeSum);
        }

        private void ensureBlock(int size) {
            if (block.length < size) {
                block = new byte[Math.max(size, block.length * 2)];
            }
        }
    }

    /** Up to maxLinks link records (arrays grow to that): binary CIDs back to back, DAG sizes, file sizes. */
    private static final class Level {
        byte[] cids;
        int[] cidLength;
        long[] tsize;
        long[] fsize;
        int count;
        int cidBytes;

        Level(int capacity) {
            cids = new byte[capacity * 36];
            cidLength = new int[capacity];
            tsize = new long[capacity];
            fsize = new long[capacity];
        }

        void add(byte[] cid, long t, long f) {
            if (count == cidLength.length) {
                int capacity = count * 4;
                cids = Arrays.copyOf(cids, capacity * 36);
                cidLength = Arrays.copyOf(cidLength, capacity);
                tsize = Arrays.copyOf(tsize, capacity);
                fsize = Arrays.copyOf(fsize, capacity);
            }
            System.arraycopy(cid, 0, cids, cidBytes, cid.length);
            cidLength[count] = cid.length;
            cidBytes += cid.length;
            tsize[count] = t;
            fsize[count] = f;
            count++;
        }

        void clear() {
            count = 0;
            cidBytes = 0;
        }
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    static int putVarint(byte[] b, int p, long v) {
        while ((v & ~0x7fL) != 0) {
            b[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256", "SUN"); // CPU SHA instructions; see core.format.Sha256
        } catch (NoSuchAlgorithmException | NoSuchProviderException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
