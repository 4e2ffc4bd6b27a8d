package org.emrsb.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.emrsb.avro.RecordFormat;

/**
 * Records to submit, one JSON object per line: either the paper's flat shape (name, age, idNumber,
 * address, disease, and optional further fields such as phone) or a FHIR R4 resource (it has a
 * {@code resourceType}). Blank lines and lines starting with {@code #} are skipped. Every problem is
 * reported with its line number; nothing is submitted from a file with a bad line.
 */
final class RecordsFile {

    /** One record and where it came from. */
    record Entry(int line, RecordFormat format, String body) {
    }

    /** The fields every flat record must have, and the JSON type each must be. */
    private static final Map<String, String> FLAT_REQUIRED = Map.of(
            "name", "string", "age", "integer", "idNumber", "string", "address", "string", "disease", "string");

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordsFile() {
    }

    static List<Entry> read(BufferedReader reader, String source) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String text;
        int line = 0;
        while ((text = reader.readLine()) != null) {
            line++;
            String trimmed = text.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                entries.add(parse(line, trimmed));
            } catch (IllegalArgumentException e) {
                problems.add(source + ":" + line + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bad records, nothing submitted:\n  " + String.join("\n  ", problems));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no records");
        }
        return entries;
    }

    private static Entry parse(int line, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("expected a JSON object, found " + node.getNodeType());
        }
        if (object.has("resourceType")) {
            if (!object.get("resourceType").isTextual()) {
                throw new IllegalArgumentException("resourceType must be a string");
            }
            return new Entry(line, RecordFormat.FHIR_R4, object.toString());
        }
        List<String> wrong = new ArrayList<>();
        FLAT_REQUIRED.forEach((field, type) -> {
            JsonNode value = object.get(field);
            if (value == null || value.isNull()) {
                wrong.add("missing field '" + field + "'");
            } else if (type.equals("string") && (!value.isTextual() || value.asText().isBlank())) {
                wrong.add("field '" + field + "' must be a non-empty string");
            } else if (type.equals("integer") && (!value.canConvertToInt() || !value.isIntegralNumber()
                    || value.intValue() < 0 || value.intValue() > 150)) {
                wrong.add("field '" + field + "' must be a whole number from 0 to 150");
            }
        });
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", wrong.stream().sorted().toList()));
        }
        return new Entry(line, RecordFormat.FLAT_JSON, object.toString());
    }
}
