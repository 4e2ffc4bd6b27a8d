package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A masked record: the same keys in the same order as the input, masked values as JSON strings,
 * every field without a rule unchanged. {@code warnings} are "path: problem" lines that never
 * repeat the original value; {@code rejection} is present only when a policy option turns a
 * warning into a rejection (the masked record is still given, for diagnostics).
 */
public record MaskResult(ObjectNode masked, List<String> warnings, Optional<String> rejection) {

    public MaskResult {
        Objects.requireNonNull(masked, "masked");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(rejection, "rejection");
    }

    /** Whether the policy rejects the record. */
    public boolean rejected() {
        return rejection.isPresent();
    }
}
