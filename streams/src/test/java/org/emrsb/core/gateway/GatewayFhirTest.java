package org.emrsb.core.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.emrsb.core.format.BodyFormat;
import org.emrsb.core.format.CanonicalJson;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.gateway.GatewayOutcome.Masked;
import org.emrsb.core.gateway.GatewayOutcome.Reasons;
import org.emrsb.core.gateway.GatewayOutcome.Rejected;
import org.emrsb.core.ledger.Admission;
import org.emrsb.core.masking.MaskedContent;
import org.emrsb.core.masking.MaskingPolicy;
import org.emrsb.core.masking.Pseudonyms;
import org.junit.jupiter.api.Test;

/** FHIR R4 bodies through the gateway, and the delegate's and monitors' masked-content check on them. */
class GatewayFhirTest {

    private final GatewayFixture f = new GatewayFixture();
    private final Gateway gateway = f.gateway(hipaa());

    private static MaskingPolicy hipaa() {
        try {
            return MaskingPolicy.named(MaskingPolicy.HIPAA_SAFE_HARBOR, new GatewaySecrets(GatewayFixture.SECRET).maskingKeys());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = MaskingPolicy.class.getResourceAsStream("fhir/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String body(Masked masked) {
        return new String(masked.record().maskedBody(), StandardCharsets.UTF_8);
    }

    private static MaskedRecord withBody(MaskedRecord r, String body) {
        return new MaskedRecord(r.submissionId(), r.maskedAt(), r.format(), body.getBytes(StandardCharsets.UTF_8),
                r.policyId(), r.policyVersion(), r.policyHash(), r.rawCommitment(), r.submitterKey(),
                r.counterpartyKey(), r.gatewayKey(), r.attachments());
    }

    @Test
    void aPatientIsMaskedCanonicallyKeyedByItsPseudonymAndAdmitted() {
        Masked out = assertInstanceOf(Masked.class, gateway.process(f.fhirByDoctor("f-1", resource("patient.json"))));
        String pseudonym = Pseudonyms.of(new GatewaySecrets(GatewayFixture.SECRET).maskingKeys().pseudonymKey(),
                "Patient/pat-123");
        assertEquals(pseudonym, out.pseudonym());
        assertEquals(BodyFormat.FHIR_R4, out.record().format());
        assertEquals("hipaa-safe-harbor", out.record().policyId());
        byte[] bytes = out.record().maskedBody();
        assertEquals(new String(CanonicalJson.canonicalize(CanonicalJson.parse(bytes)), StandardCharsets.UTF_8),
                body(out));
        for (String identifier : List.of("Lopez", "4455667", "123-45-6789", "Glendive", "pat-123")) {
            assertFalse(new String(out.record().toBytes(), StandardCharsets.ISO_8859_1).contains(identifier), identifier);
        }
        assertEquals(Optional.empty(), MaskedContent.leak(out.record()));
        assertEquals(Optional.empty(), Admission.checkContent(out.record(), List.of()));
    }

    @Test
    void theObservationOfThatPatientHasTheSameKey() {
        Masked patient = assertInstanceOf(Masked.class, gateway.process(f.fhirByDoctor("f-2", resource("patient.json"))));
        Masked observation = assertInstanceOf(Masked.class,
                gateway.process(f.fhirByDoctor("f-3", resource("observation.json"))));
        assertEquals(patient.pseudonym(), observation.pseudonym());
        assertTrue(body(observation).contains("\"reference\":\"Patient/" + patient.pseudonym() + "\""));
    }

    @Test
    void aTransactionBundleIsAdmitted() {
        Masked out = assertInstanceOf(Masked.class,
                gateway.process(f.fhirByDoctor("f-4", resource("transaction-bundle.json"))));
        assertEquals(Optional.empty(), Admission.checkContent(out.record(), List.of()));
    }

    @Test
    void aSurvivingIdentifierIsRefusedByAdmissionAndTheMonitors() {
        Masked out = assertInstanceOf(Masked.class, gateway.process(f.fhirByDoctor("f-5", resource("patient.json"))));
        String body = body(out);
        List<String> leaks = List.of(
                body.replace("\"gender\":", "\"name\":[{\"family\":\"Lopez\"}],\"gender\":"),
                body.replace("\"gender\":", "\"telecom\":[{\"system\":\"phone\",\"value\":\"555\"}],\"gender\":"),
                body.replace("\"gender\":", "\"identifier\":[{\"value\":\"4455667\"}],\"gender\":"),
                body.replace("\"birthDate\":\"1974\"", "\"birthDate\":\"1974-12-25\""),
                body.replace("\"postalCode\":\"593\"", "\"postalCode\":\"59330\""),
                body.replace("\"id\":\"" + out.pseudonym() + "\"", "\"id\":\"pat-123\""));
        for (String leaked : leaks) {
            assertFalse(leaked.equals(body), "the mutation applied");
            MaskedRecord record = withBody(out.record(), leaked);
            String leak = MaskedContent.leak(record).orElseThrow(() -> new AssertionError("not found: " + leaked));
            for (String identifier : List.of("Lopez", "555", "4455667", "12-25", "59330", "pat-123")) {
                assertFalse(leak.contains(identifier), leak);
            }
            Admission.Refused refused = Admission.checkContent(record, List.of()).orElseThrow();
            assertEquals(Admission.Reasons.IDENTIFIER_LEAK, refused.reason());
        }
    }

    @Test
    void aFhirBodyWithoutAPatientIsADeadLetterNotACrash() {
        Rejected r = assertInstanceOf(Rejected.class, gateway.process(f.fhirByDoctor("f-6",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}")));
        assertEquals(Reasons.MISSING_SUBJECT, r.reason());
        Rejected notFhir = assertInstanceOf(Rejected.class, gateway.process(f.fhirByDoctor("f-7", "{\"name\":\"x\"}")));
        assertEquals(Reasons.BAD_JSON, notFhir.reason());
        Rejected bundle = assertInstanceOf(Rejected.class, gateway.process(f.fhirByDoctor("f-8",
                "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":5},{}]}")));
        assertEquals(Reasons.MISSING_SUBJECT, bundle.reason());
    }

    @Test
    void aPolicyWithoutFhirRulesRefusesFhirBodies() {
        Rejected r = assertInstanceOf(Rejected.class,
                f.gateway().process(f.fhirByDoctor("f-9", resource("patient.json"))));
        assertEquals(Reasons.UNSUPPORTED_FORMAT, r.reason());
        assertTrue(r.detail().contains("no fhir section"), r.detail());
    }
}
