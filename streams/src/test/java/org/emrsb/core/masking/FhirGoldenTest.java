package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emrsb.core.format.CanonicalJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden records of the FHIR rules per profile with FHIR rules (hipaa-safe-harbor): fhir/NAME.json in,
 * fhir/hipaa-safe-harbor/NAME.json out (canonical JSON, the gateway's bytes), under the keys derived from
 * 32 zero bytes. Regenerate on purpose only: -Demrsb.golden.write=src/test/resources/org/emrsb/core/masking/fhir.
 */
class FhirGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"patient.json", "observation.json", "diagnostic-report.json", "transaction-bundle.json"})
    void hipaaSafeHarbor(String name) throws IOException {
        JsonNode masked = FhirMaskingTest.hipaa().mask(FhirMaskingTest.resource(name)).masked();
        String actual = new String(CanonicalJson.canonicalize(masked), StandardCharsets.UTF_8);
        String write = System.getProperty("emrsb.golden.write");
        if (write != null) {
            Path out = Path.of(write, "hipaa-safe-harbor", name);
            Files.createDirectories(out.getParent());
            Files.writeString(out, actual + "\n");
        }
        try (InputStream in = FhirGoldenTest.class.getResourceAsStream("fhir/hipaa-safe-harbor/" + name)) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip(), actual, name);
        }
    }
}
