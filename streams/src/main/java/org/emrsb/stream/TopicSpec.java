package org.emrsb.stream;

import java.util.Map;
import java.util.Objects;

/**
 * One topic as the product needs it: its name, partition count and topic-level configuration.
 *
 * @param restricted true for topics that hold identifiers (raw records): only the submitting
 *                   institution's gateway may read them, and they must never be granted to analysts
 * @param purpose    one line for operators ({@code ops/emrsb topics list})
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs, boolean restricted, String purpose) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException(name + ": partitions must be at least 1, was " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    public boolean compacted() {
        return configs.getOrDefault("cleanup.policy", "delete").contains("compact");
    }
}
