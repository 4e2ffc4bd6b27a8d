package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.emrsb.avro.RecordFormat;
import org.junit.jupiter.api.Test;

class RecordsFileTest {

    private static List<RecordsFile.Entry> read(String text) throws IOException {
        return RecordsFile.read(new BufferedReader(new StringReader(text)), "records.jsonl");
    }

    @Test
    void thePapersTableOneParses() throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                RecordsFileTest.class.getResourceAsStream("/demo/paper-table1.jsonl"), StandardCharsets.UTF_8))) {
            List<RecordsFile.Entry> entries = RecordsFile.read(reader, "paper");
            assertEquals(3, entries.size());
            assertTrue(entries.get(0).body().contains("533527195809210238"));
            assertTrue(entries.get(2).body().contains("Qiang Zhang"));
            entries.forEach(e -> assertEquals(RecordFormat.FLAT_JSON, e.format()));
        }
    }

    @Test
    void optionalFieldsCommentsAndBlankLinesAreAccepted() throws IOException {
        List<RecordsFile.Entry> entries = read("# a comment\n\n"
                + "{\"name\":\"A B\",\"age\":1,\"idNumber\":\"x\",\"address\":\"y\",\"disease\":\"z\",\"phone\":\"13800138000\"}\n");
        assertEquals(1, entries.size());
        assertEquals(3, entries.get(0).line());
        assertTrue(entries.get(0).body().contains("13800138000"));
    }

    @Test
    void fhirResourcesAreRecognised() throws IOException {
        List<RecordsFile.Entry> entries = read("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Wu\"}]}");
        assertEquals(RecordFormat.FHIR_R4, entries.get(0).format());
    }

    @Test
    void everyBadLineIsReportedWithItsNumberAndNothingIsAccepted() {
        String text = "{\"name\":\"A\",\"age\":1,\"idNumber\":\"x\",\"address\":\"y\",\"disease\":\"z\"}\n"
                + "not json\n"
                + "[1,2]\n"
                + "{\"name\":\"A\",\"age\":\"sixty\",\"idNumber\":\"x\",\"address\":\"y\"}\n"
                + "{\"name\":\"A\",\"age\":200,\"idNumber\":\"x\",\"address\":\"y\",\"disease\":\"\"}\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(text));
        String message = e.getMessage();
        assertTrue(message.contains("records.jsonl:2: not JSON"), message);
        assertTrue(message.contains("records.jsonl:3: expected a JSON object"), message);
        assertTrue(message.contains("records.jsonl:4: field 'age' must be a whole number"), message);
        assertTrue(message.contains("missing field 'disease'"), message);
        assertTrue(message.contains("records.jsonl:5:"), message);
        assertTrue(message.contains("field 'disease' must be a non-empty string"), message);
        assertTrue(!message.contains("records.jsonl:1:"), message);
    }

    @Test
    void anEmptyFileIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> read("\n# nothing\n"));
    }
}
