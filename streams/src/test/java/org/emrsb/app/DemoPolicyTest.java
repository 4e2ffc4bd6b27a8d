package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ops/demo --records} with FHIR resources picks a policy that masks FHIR. */
class DemoPolicyTest {

    private static List<RecordsFile.Entry> read(String text) throws Exception {
        return RecordsFile.read(new BufferedReader(new StringReader(text)), "t");
    }

    @Test
    void aFileOfFhirResourcesIsMaskedWithHipaaUnlessTheUserChoseAFile() throws Exception {
        List<RecordsFile.Entry> fhir = RecordsFile.read(
                Files.newBufferedReader(Path.of("../docs/examples/fhir-records.ndjson")), "fhir-records.ndjson");
        assertEquals(4, fhir.size());
        assertEquals("hipaa-safe-harbor", DemoCommand.policyFor(fhir, "paper"));
        assertEquals("hipaa-safe-harbor", DemoCommand.policyFor(fhir, "hipaa-safe-harbor"));
        assertEquals("my-policy.yaml", DemoCommand.policyFor(fhir, "my-policy.yaml"));
        List<RecordsFile.Entry> mixed = read("{\"resourceType\":\"Patient\",\"id\":\"p\"}\n"
                + "{\"name\":\"A B\",\"age\":3,\"idNumber\":\"1\",\"address\":\"x\",\"disease\":\"y\"}\n");
        assertEquals("paper", DemoCommand.policyFor(mixed, "paper"));
    }
}
