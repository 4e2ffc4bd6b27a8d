package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A masked FHIR resource or Bundle. {@code patientPseudonym} is the pseudonym of the record's patient
 * (the first Patient resource, else the first resource's subject or patient reference to a Patient): the
 * id every reference to that patient now names, and the gateway's record key. Empty when the body
 * names no patient. {@code warnings} are "path: problem" lines that never repeat a value.
 */
public record FhirMaskResult(ObjectNode masked, List<String> warnings, Optional<String> patientPseudonym) {

    public FhirMaskResult {
        Objects.requireNonNull(masked, "masked");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(patientPseudonym, "patientPseudonym");
    }
}
