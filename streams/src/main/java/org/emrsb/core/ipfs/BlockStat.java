package org.emrsb.core.ipfs;

import java.util.Objects;

/**
 * The node's {@code block/stat} answer.
 *
 * @param key  the block's CID (checked to equal the CID asked for, as bytes)
 * @param size the block's length in bytes: for a raw leaf the file's size, for a dag-pb root only the
 *             root node's block (not the file)
 */
public record BlockStat(Cid key, long size) {

    public BlockStat {
        Objects.requireNonNull(key, "key");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
    }
}
