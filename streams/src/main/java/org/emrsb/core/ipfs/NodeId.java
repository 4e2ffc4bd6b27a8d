package org.emrsb.core.ipfs;

import java.util.Objects;

/**
 * The node's {@code id} answer.
 *
 * @param id           the node's peer id
 * @param agentVersion e.g. {@code "kubo/0.43.1/"} or {@code "js-ipfs/0.18.1"}
 */
public record NodeId(String id, String agentVersion) {

    public NodeId {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agentVersion, "agentVersion");
    }
}
