package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One rule's transformation of a field's value. Implementations are immutable and thread-safe. */
interface FieldRule {

    /** The rule's name as written in policy files ({@code rule:}). */
    String type();

    /** Writes the rule's parameters, defaults included, after {@code field} and {@code rule}. */
    void describe(ObjectNode out);

    /**
     * The masked value of one present value at {@code where} (a path such as {@code contacts[1].phone}).
     * Never throws for a bad value: it warns through {@code context} and returns a mask instead, never
     * the original.
     */
    JsonNode apply(JsonNode value, MaskContext context, String where);

    /**
     * Whether {@code value} could be what this rule wrote: false only when it certainly is not (the
     * monitors' masked-content check of FHIR bodies must have no false positives). Rules whose output
     * cannot be told from their input say true.
     */
    default boolean mayBeOutput(JsonNode value) {
        return true;
    }
}
