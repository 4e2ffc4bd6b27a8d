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
 * Golden records of the FHIR rules per profile with FHIR rules (hipaa-safe-harbor, gbt-37964): fhir/NAME.json
 * in, fhir/PROFILE/NAME.json out (canonical JSON, the gateway's bytes), under the keys derived from
 * 32 zero bytes. Regenerate on purpose only: -Demrsb.golden.write=src/test/resources/org/emrsb/core/masking/fhir.
 */
class FhirGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"patient.json", "observation.json", "diagnostic-report.json", "transaction-bundle.json",
        "patient-cn.json"})
    void hipaaSafeHarbor(String name) throws Exception {
        golden(MaskingPolicy.HIPAA_SAFE_HARBOR, name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"patient.json", "observation.json", "transaction-bundle.json", "patient-cn.json"})
    void gbt37964(String name) throws Exception {
        golden(MaskingPolicy.GBT_37964, name);
    }

    private static void golden(String profile, String name) throws Exception {
        FhirMasking fhir = MaskingPolicy.named(profile, FhirMaskingTest.KEYS).fhir();
        JsonNode masked = fhir.mask(FhirMaskingTest.resource(name)).masked();
        String actual = new String(CanonicalJson.canonicalize(masked), StandardCharsets.UTF_8);
        String write = System.getProperty("emrsb.golden.write");
        if (write != null) {
            Path out = Path.of(write, profile, name);
            Files.createDirectories(out.getParent());
            Files.writeString(out, actual + "\n");
        }
        FhirMaskingTest.parse(masked, org.hl7.fhir.r4.model.Resource.class);
        assertEquals(java.util.Optional.empty(), MaskingPolicy.named(profile, FhirMaskingTest.KEYS).fhirLeak(
                (com.fasterxml.jackson.databind.node.ObjectNode) masked), name);
        try (InputStream in = FhirGoldenTest.class.getResourceAsStream("fhir/" + profile + "/" + name)) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip(), actual, name);
        }
    }
}
