package org.emrsb.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.emrsb.core.masking.FhirMaskResult;
import org.emrsb.core.masking.FhirMasking;
import org.emrsb.core.masking.MaskResult;
import org.emrsb.core.masking.MaskingKeys;
import org.emrsb.core.masking.MaskingPolicy;
import org.emrsb.core.masking.PolicyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb mask --policy paper|hipaa-safe-harbor|gbt-37964|FILE [--in FILE] [--format flat|fhir]}: masks
 * JSON objects (with {@code --format fhir}: FHIR R4 resources or Bundles, by the policy's fhir section), one per line (stdin by
 * default), and writes each masked record as one compact JSON line to stdout (UTF-8, non-ASCII as
 * is). Warnings and bad lines go to stderr as {@code line N: reason}, never with the original value; a
 * bad line (not a JSON object, or rejected by the policy) writes nothing to stdout and does not stop
 * the others; blank lines are skipped. Exit 0, or 2 when the policy (or its keys) cannot be used.
 * Keyed policies (gbt-37964, files with keyed rules) take their keys from {@code gateway.secret-file};
 * the keyless built-ins (paper, hipaa-safe-harbor) need no configuration.
 */
@Command(name = "mask", mixinStandardHelpOptions = true, description = {"Mask JSON records, one object per line, with a masking policy.",
    "Masked records go to stdout, warnings and bad lines to stderr as 'line N: reason'.",
    "Exit 0, or 2 when the policy cannot be used."})
final class MaskCommand implements Callable<Integer> {

    /** The exit code when the policy cannot be used. */
    static final int POLICY_UNUSABLE = 2;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    @Mixin
    Main.Common common;

    @Option(names = "--policy", required = true, paramLabel = "NAME|FILE",
            description = "a built-in profile (paper, hipaa-safe-harbor, gbt-37964), or a policy file (YAML or JSON)")
    String policy;

    @Option(names = "--in", paramLabel = "FILE", description = "read records from FILE (default: stdin)")
    Path in;

    @Option(names = "--format", paramLabel = "flat|fhir", defaultValue = "flat",
            description = "flat: JSON records (default); fhir: FHIR R4 resources or Bundles, one per line, masked by the "
                    + "policy's fhir section (needs gateway.secret-file for the patient pseudonyms)")
    String format;

    /** What a run did. */
    record Summary(int masked, int bad, int warnings) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        if (!format.equals("flat") && !format.equals("fhir")) {
            err.println("error: --format is flat or fhir");
            return POLICY_UNUSABLE;
        }
        boolean fhir = format.equals("fhir");
        MaskingPolicy chosen;
        FhirMasking fhirMasking = null;
        try {
            boolean keyless = !fhir && (MaskingPolicy.PAPER.equals(policy) || MaskingPolicy.HIPAA_SAFE_HARBOR.equals(policy));
            MaskingKeys keys = keyless ? MaskingKeys.none() : common.config().maskingKeys();
            chosen = MaskingPolicy.named(policy, keys);
            if (fhir) {
                fhirMasking = chosen.fhir();
            }
        } catch (PolicyException | EmrsbConfig.ConfigException e) {
            err.println("error: the masking policy cannot be used: " + e.getMessage());
            return POLICY_UNUSABLE;
        }
        if (in != null && !Files.isReadable(in)) {
            throw new IllegalArgumentException("cannot read records file " + in);
        }
        try (BufferedReader reader = in == null
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
            Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            if (fhir) {
                runFhir(fhirMasking, reader, out, err);
            } else {
                run(chosen, reader, out, err);
            }
            out.flush();
        }
        err.flush();
        return 0;
    }

    /**
     * Masks every line of {@code in} with {@code policy}: records to {@code out}, warnings and bad lines
     * to {@code err}.
     */
    static Summary run(MaskingPolicy policy, BufferedReader in, Writer out, PrintWriter err) throws IOException {
        return maskLines(in, out, err, record -> {
            MaskResult result = policy.mask(record);
            List<String> warnings = result.warnings().stream()
                    .filter(warning -> !result.rejection().filter(warning::equals).isPresent())
                    .toList();
            return new LineOutcome(result.masked(), warnings, result.rejection().map(reason -> "rejected: " + reason));
        });
    }

    /**
     * Masks every line of {@code in}, a FHIR R4 resource or Bundle each (NDJSON), with a policy's fhir
     * section: masked resources to {@code out}, warnings and bad lines to {@code err}. A line that is not a
     * resource, or names no patient (the gateway refuses those), is a bad line.
     */
    static Summary runFhir(FhirMasking fhir, BufferedReader in, Writer out, PrintWriter err) throws IOException {
        return maskLines(in, out, err, record -> {
            if (!FhirMasking.isResource(record)) {
                return new LineOutcome(null, List.of(),
                        Optional.of("expected a FHIR resource or Bundle (an object with a resourceType)"));
            }
            FhirMaskResult result = fhir.mask(record);
            Optional<String> noPatient = result.patientPseudonym().isPresent() ? Optional.empty()
                    : Optional.of("rejected: names no patient (a Patient with an id or identifier, or a "
                            + "subject or patient reference to one)");
            return new LineOutcome(result.masked(), result.warnings(), noPatient);
        });
    }

    /**
     * What masking one record gave: warnings to report, then either the masked record or why the line is
     * bad (reported as is after its line number).
     */
    private record LineOutcome(ObjectNode masked, List<String> warnings, Optional<String> badLine) {
    }

    /**
     * Runs {@code masker} on every non-blank line of {@code in} that is a JSON object: masked records to
     * {@code out} one per line (flushed whenever no more input is ready, so interactive and piped input
     * is not held back), warnings and bad lines to {@code err}, each prefixed with its line number.
     */
    private static Summary maskLines(BufferedReader in, Writer out, PrintWriter err,
            Function<ObjectNode, LineOutcome> masker) throws IOException {
        int masked = 0;
        int bad = 0;
        int warnings = 0;
        int number = 0;
        String line;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            ObjectNode record;
            try {
                record = parse(line);
            } catch (IllegalArgumentException e) {
                err.println("line " + number + ": " + e.getMessage());
                bad++;
                continue;
            }
            LineOutcome outcome = masker.apply(record);
            for (String warning : outcome.warnings()) {
                err.println("line " + number + ": " + warning);
                warnings++;
            }
            if (outcome.badLine().isPresent()) {
                err.println("line " + number + ": " + outcome.badLine().get());
                bad++;
                continue;
            }
            writeRecord(out, outcome.masked());
            masked++;
            if (!in.ready()) {
                out.flush();
            }
        }
        out.flush();
        err.flush();
        return new Summary(masked, bad, warnings);
    }

    private static void writeRecord(Writer out, ObjectNode record) throws IOException {
        try {
            out.write(JSON.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
    }

    /** One line as a JSON object; the reason, without the line's content, otherwise. */
    static ObjectNode parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("not JSON" + at + " (" + problem(e) + ")");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("expected a JSON object, found " + kind(node));
        }
        return object;
    }

    /** Jackson's message, cut before it quotes the input. */
    private static String problem(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Duplicate field")) {
            return "duplicate member name";
        }
        int quote = message.indexOf('\'');
        int colon = message.indexOf(':');
        int cut = quote < 0 ? colon : colon < 0 ? quote : Math.min(quote, colon);
        String shortened = (cut < 0 ? message : message.substring(0, cut)).strip();
        while (shortened.endsWith("(")) {
            shortened = shortened.substring(0, shortened.length() - 1).strip();
        }
        int newline = shortened.indexOf('\n');
        return newline < 0 ? shortened : shortened.substring(0, newline).strip();
    }

    private static String kind(JsonNode node) {
        switch (node.getNodeType()) {
            case ARRAY:
                return "an array";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case NULL:
                return "null";
            default:
                return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
