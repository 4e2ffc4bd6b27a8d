package org.emrsb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.emrsb.core.format.CanonicalJson;
import org.emrsb.core.masking.FhirMaskResult;
import org.emrsb.core.masking.FhirMasking;
import org.emrsb.core.masking.MaskingKeys;
import org.emrsb.core.masking.MaskingPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The hipaa-safe-harbor profile's FHIR rules on FHIR R4 Patient resources (about 1.6 kB each, with names,
 * identifiers, telecom, addresses with a geolocation extension, a contact, narrative and a general
 * practitioner), in resources per second on one thread (issue 10's target: at least 20,000 per core).
 * {@code mask} is the engine alone on parsed trees; {@code parseMaskCanonical} is the gateway's path:
 * the body's bytes parsed, masked and written as RFC 8785 canonical JSON.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FhirMaskingBench {

    static final int PATIENTS = 64;
    private static final String[] GIVEN = {"Maria", "John", "Wei", "Aisha", "Carlos", "Olga", "Kenji", "Fatima"};
    private static final String[] FAMILY = {"Lopez", "Smith", "Zhang", "Khan", "Garcia", "Ivanova", "Sato", "Okafor"};
    private static final String[] CITY = {"Glendive", "Boston", "Austin", "Denver"};
    private static final String[] ZIP = {"59330", "02139", "73301", "80202"};

    private final ObjectMapper mapper = new ObjectMapper();
    private FhirMasking fhir;
    private byte[][] bodies;
    private ObjectNode[] patients;

    /** One Patient resource, varied by {@code i}. */
    static String patient(int i) {
        String given = GIVEN[i % GIVEN.length];
        String family = FAMILY[(i / GIVEN.length) % FAMILY.length];
        String city = CITY[i % CITY.length];
        String zip = ZIP[i % ZIP.length];
        String id = "pat-" + (100000 + i);
        String birth = (1930 + i % 80) + "-" + String.format("%02d", 1 + i % 12) + "-" + String.format("%02d", 1 + i % 28);
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"meta\":{\"lastUpdated\":\"2026-03-14T08:30:00Z\"},"
                + "\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">" + given
                + " " + family + "</div>\"},"
                + "\"extension\":[{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex\","
                + "\"valueCode\":\"" + (i % 2 == 0 ? "F" : "M") + "\"}],"
                + "\"identifier\":[{\"use\":\"usual\",\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0203\","
                + "\"code\":\"MR\"}]},\"system\":\"urn:oid:1.2.36.146.595.217.0.1\",\"value\":\"" + (4455667 + i) + "\"},"
                + "{\"system\":\"http://hl7.org/fhir/sid/us-ssn\",\"value\":\"" + String.format("%03d-45-%04d", 100 + i % 800, i) + "\"}],"
                + "\"active\":true,\"name\":[{\"use\":\"official\",\"family\":\"" + family + "\",\"given\":[\"" + given
                + "\",\"Elena\"]}],\"telecom\":[{\"system\":\"phone\",\"value\":\"+1 406 555 " + String.format("%04d", i)
                + "\",\"use\":\"home\"},{\"system\":\"email\",\"value\":\"" + given.toLowerCase() + "." + i + "@example.org\"}],"
                + "\"gender\":\"" + (i % 2 == 0 ? "female" : "male") + "\",\"birthDate\":\"" + birth + "\","
                + "\"address\":[{\"use\":\"home\",\"line\":[\"" + (100 + i) + " Erewhon St\"],\"city\":\"" + city
                + "\",\"district\":\"Dawson\",\"state\":\"MT\",\"postalCode\":\"" + zip + "\",\"country\":\"US\","
                + "\"extension\":[{\"url\":\"http://hl7.org/fhir/StructureDefinition/geolocation\",\"extension\":["
                + "{\"url\":\"latitude\",\"valueDecimal\":47.1052},{\"url\":\"longitude\",\"valueDecimal\":-104.7125}]}]}],"
                + "\"maritalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus\",\"code\":\"M\"}]},"
                + "\"contact\":[{\"relationship\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0131\","
                + "\"code\":\"N\"}]}],\"name\":{\"family\":\"" + family + "\",\"given\":[\"Carlos\"]},\"telecom\":[{\"system\":"
                + "\"phone\",\"value\":\"+1 406 555 0199\"}]}],"
                + "\"generalPractitioner\":[{\"reference\":\"Practitioner/pr-9\",\"display\":\"Dr. Adam Careful\"}],"
                + "\"managingOrganization\":{\"reference\":\"Organization/org-1\",\"display\":\"Glendive Medical Center\"}}";
    }

    @Setup
    public void setUp() throws Exception {
        fhir = MaskingPolicy.named(MaskingPolicy.HIPAA_SAFE_HARBOR, MaskingKeys.derive(new byte[32])).fhir();
        bodies = new byte[PATIENTS][];
        patients = new ObjectNode[PATIENTS];
        for (int i = 0; i < PATIENTS; i++) {
            bodies[i] = patient(i).getBytes(StandardCharsets.UTF_8);
            patients[i] = (ObjectNode) mapper.readTree(bodies[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PATIENTS)
    public void mask(Blackhole blackhole) {
        for (ObjectNode patient : patients) {
            FhirMaskResult result = fhir.mask(patient);
            blackhole.consume(result);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PATIENTS)
    public void parseMaskCanonical(Blackhole blackhole) throws Exception {
        for (byte[] body : bodies) {
            FhirMaskResult result = fhir.mask((ObjectNode) mapper.readTree(body));
            blackhole.consume(CanonicalJson.canonicalize(result.masked()));
        }
    }
}
