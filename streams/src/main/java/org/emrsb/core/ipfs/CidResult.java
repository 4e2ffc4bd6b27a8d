package org.emrsb.core.ipfs;

import java.util.Objects;

/**
 * A file's CID and its size in bytes (the file's bytes, not the size of its DAG).
 *
 * @param cid  the root CID
 * @param size the file's length in bytes
 */
public record CidResult(Cid cid, long size) {

    public CidResult {
        Objects.requireNonNull(cid, "cid");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
    }
}
