package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.emrsb.core.masking.MaskingKeys;
import org.emrsb.core.masking.MaskingPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ops/emrsb mask} through {@link Main#run} with stdin, stdout and stderr captured. */
class MaskCommandTest {

    static final String TABLE_1_IN = String.join("\n",
            "{\"name\":\"YangYang\",\"age\":60,\"idNumber\":\"533527195809210238\",\"address\":\"Chaoyang park, chaoyang district, Beijing\",\"disease\":\"flu\"}",
            "{\"name\":\"Sihua Wu\",\"age\":24,\"idNumber\":\"500101199310020723\",\"address\":\"Chongwen road, nanan district, chongqing\",\"disease\":\"stomach trouble\"}",
            "{\"name\":\"Qiang Zhang\",\"age\":43,\"idNumber\":\"620503197512200856\",\"address\":\"Mai ji district, tianshui city, gansu province\",\"disease\":\"headache\"}",
            "");
    static final String TABLE_1_OUT = String.join("\n",
            "{\"name\":\"* Yang\",\"age\":\"[60, 65]\",\"idNumber\":\"533527*****0238\",\"address\":\"chaoyang district, Beijing\",\"disease\":\"flu\"}",
            "{\"name\":\"** Wu\",\"age\":\"[20, 25]\",\"idNumber\":\"500101*****0723\",\"address\":\"nanan district, chongqing\",\"disease\":\"stomach trouble\"}",
            "{\"name\":\"* Zhang\",\"age\":\"[40, 45]\",\"idNumber\":\"620503*****0856\",\"address\":\"tianshui city, gansu province\",\"disease\":\"headache\"}",
            "");
    static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @TempDir
    Path dir;

    private InputStream savedIn;
    private PrintStream savedOut;
    private PrintStream savedErr;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void capture() {
        savedIn = System.in;
        savedOut = System.out;
        savedErr = System.err;
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setIn(savedIn);
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int run(String stdin, String... args) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return Main.run(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void table1ThroughStdinComesOutByteForByte() {
        assertEquals(0, run(TABLE_1_IN, "mask", "--policy", "paper"));
        assertEquals(TABLE_1_OUT, stdout());
        assertArrayEqualsUtf8(TABLE_1_OUT, out.toByteArray());
        assertEquals(String.join("\n",
                "line 1: idNumber: not a valid GB 11643 resident ID: check digit should be 7",
                "line 2: idNumber: not a valid GB 11643 resident ID: check digit should be X",
                "line 3: idNumber: not a valid GB 11643 resident ID: check digit should be 2", ""), stderr());
    }

    @Test
    void theBundledDemoRecordsMaskToTable1() throws Exception {
        String demo;
        try (InputStream in = MaskCommandTest.class.getResourceAsStream("/demo/paper-table1.jsonl")) {
            demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, run(demo, "mask", "--policy", "paper"));
        assertEquals(TABLE_1_OUT, stdout());
    }

    @Test
    void badLinesGoToStderrWithTheirNumbersAndDoNotStopTheOthers() {
        String input = "\n{\"name\":\"王小明\",\"phone\":\"138-1234-5678\"}\n   \nnot json 533527195809210238\n[1,2]\n"
                + "{\"a\":1,\"a\":2}\n{\"age\":\"old\"}\n\"text\"\n{\"a\":1} {\"b\":2}\n{\"name\":\"Xian\"}";
        assertEquals(0, run(input, "mask", "--policy", "paper"));
        assertEquals("{\"name\":\"王**\",\"phone\":\"138****5678\"}\n{\"age\":\"*\"}\n{\"name\":\"Xian\"}\n", stdout());
        String[] lines = stderr().split("\n");
        assertEquals(6, lines.length, stderr());
        assertTrue(lines[0].startsWith("line 4: not JSON"), lines[0]);
        assertEquals("line 5: expected a JSON object, found an array", lines[1]);
        assertEquals("line 6: not JSON at column 11 (duplicate member name)", lines[2]);
        assertEquals("line 7: age: not a number (a string); replaced by *", lines[3]);
        assertEquals("line 8: expected a JSON object, found a string", lines[4]);
        assertTrue(lines[5].startsWith("line 9: not JSON"), lines[5]);
        assertFalse(stderr().contains("533527195809210238"), "bad lines are never echoed");
    }

    @Test
    void readsAFileWithIn() throws Exception {
        Path records = Files.writeString(dir.resolve("records.jsonl"), TABLE_1_IN);
        assertEquals(0, run("", "mask", "--policy", "paper", "--in", records.toString()));
        assertEquals(TABLE_1_OUT, stdout());
        assertEquals(1, run("", "mask", "--policy", "paper", "--in", dir.resolve("missing.jsonl").toString()));
        assertTrue(stderr().contains("cannot read records file"), stderr());
    }

    @Test
    void aKeyedPolicyTakesItsKeysFromTheConfiguredSecretFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("masking.secret"), SECRET + "\n");
        Path config = Files.writeString(dir.resolve("emrsb.properties"), "gateway.secret-file=" + secret + "\n");
        Path policy = Files.writeString(dir.resolve("keyed.yaml"), "id: keyed\nversion: 1\nsubjectField: idNumber\n"
                + "options: {rejectInvalidResidentId: true}\nrules:\n"
                + "  - {field: idNumber, rule: pseudonymise, validate: resident-id}\n"
                + "  - {field: admitted, rule: date-shift, maxDays: 30}\n");
        String input = "{\"idNumber\":\"533527195809210237\",\"admitted\":\"2020-03-01\"}\n"
                + "{\"idNumber\":\"533527195809210238\",\"admitted\":\"2020-03-01\"}\n";
        assertEquals(0, run(input, "mask", "--config", config.toString(), "--policy", policy.toString()));
        String expected = org.emrsb.core.masking.Pseudonyms.of(
                MaskingKeys.derive(org.emrsb.core.crypto.Hex.decode(SECRET, "secret")).pseudonymKey(), "533527195809210237");
        assertTrue(stdout().startsWith("{\"idNumber\":\"" + expected + "\",\"admitted\":\"2020-"), stdout());
        assertEquals(1, stdout().split("\n").length, "the invalid ID is rejected: " + stdout());
        assertEquals("line 2: rejected: idNumber: not a valid GB 11643 resident ID: check digit should be 7\n", stderr());
    }

    @Test
    void theHipaaSafeHarborProfileNeedsNoConfiguration() {
        String input = "{\"medicalRecordNumber\":\"MRN-1\",\"name\":\"Ann Lee\",\"age\":93,\"zip\":\"59330\","
                + "\"birthDate\":\"1931-07-04\",\"photo\":\"AAAA\",\"diagnosis\":\"flu\"}\n";
        assertEquals(0, run(input, "mask", "--policy", "hipaa-safe-harbor"));
        assertEquals("{\"medicalRecordNumber\":\"*\",\"name\":\"*\",\"age\":\"90+\",\"zip\":\"593\","
                + "\"birthDate\":\"*\",\"diagnosis\":\"flu\"}\n", stdout());
        assertEquals("", stderr());
    }

    @Test
    void theGbt37964ProfileTakesItsPseudonymKeyFromTheSecretFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("masking.secret"), SECRET + "\n");
        Path config = Files.writeString(dir.resolve("emrsb.properties"), "gateway.secret-file=" + secret + "\n");
        String input = "{\"name\":\"Sihua Wu\",\"idNumber\":\"500101199310020723\",\"phone\":\"13800138000\"}\n";
        assertEquals(0, run(input, "mask", "--config", config.toString(), "--policy", "gbt-37964"));
        String pseudonym = org.emrsb.core.masking.Pseudonyms.of(
                MaskingKeys.derive(org.emrsb.core.crypto.Hex.decode(SECRET, "secret")).pseudonymKey(), "500101199310020723");
        assertEquals("{\"name\":\"** Wu\",\"idNumber\":\"500101*****0723\",\"phone\":\"138****8000\","
                + "\"patientPseudonym\":\"" + pseudonym + "\"}\n", stdout());

        Path emptyConfig = Files.writeString(dir.resolve("empty.properties"), "");
        out.reset();
        err.reset();
        assertEquals(2, run(input, "mask", "--config", emptyConfig.toString(), "--policy", "gbt-37964"));
        assertEquals("", stdout());
        assertTrue(stderr().contains("gbt-37964.yaml: rule 11 (field 'patientPseudonym', rule 'pseudonymise')"), stderr());
    }

    @Test
    void anUnusablePolicyExits2() throws Exception {
        Path policy = Files.writeString(dir.resolve("keyed.yaml"), "id: keyed\nversion: 1\nsubjectField: idNumber\n"
                + "rules:\n  - {field: idNumber, rule: pseudonymise}\n");
        // no secret configured
        Path emptyConfig = Files.writeString(dir.resolve("empty.properties"), "");
        assertEquals(2, run(TABLE_1_IN, "mask", "--config", emptyConfig.toString(), "--policy", policy.toString()));
        assertEquals("", stdout());
        assertTrue(stderr().contains("rule 1 (field 'idNumber', rule 'pseudonymise')"), stderr());
        assertTrue(stderr().contains("gateway.secret-file"), stderr());
    }

    @Test
    void aBadPolicyFileOrSecretExits2() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "id: b\nversion: 1\nsubjectField: id\nrules:\n"
                + "  - {field: age, rule: generalise, kind: number, width: 0}\n");
        assertEquals(2, run(TABLE_1_IN, "mask", "--policy", bad.toString()));
        assertTrue(stderr().contains(bad + ": rule 1 (field 'age', rule 'generalise'): 'width' must be greater than 0"),
                stderr());
        err.reset();
        assertEquals(2, run(TABLE_1_IN, "mask", "--policy", dir.resolve("none.yaml").toString()));
        assertTrue(stderr().contains("none.yaml"), stderr());
        err.reset();
        Path badSecret = Files.writeString(dir.resolve("bad.secret"), "not hex\n");
        Path config = Files.writeString(dir.resolve("c.properties"), "gateway.secret-file=" + badSecret + "\n");
        assertEquals(2, run(TABLE_1_IN, "mask", "--config", config.toString(), "--policy", bad.toString()));
        assertTrue(stderr().contains("gateway.secret-file"), stderr());
        assertEquals("", stdout());
        // the paper profile needs no keys, so a broken secret does not stop it
        assertEquals(0, run(TABLE_1_IN, "mask", "--config", config.toString(), "--policy", "paper"));
        assertEquals(TABLE_1_OUT, stdout());
    }

    @Test
    void withoutAPolicyItIsAUsageError() {
        assertEquals(2, run("", "mask"));
        assertTrue(stderr().contains("--policy"), stderr());
    }

    @Test
    void theTestableMethodCountsWhatItDid() throws Exception {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        MaskCommand.Summary summary = MaskCommand.run(MaskingPolicy.paper(),
                new BufferedReader(new StringReader(TABLE_1_IN + "\n[]\n{\"name\":\"Sihua Wu\"}\n")), o, new PrintWriter(e));
        assertEquals(new MaskCommand.Summary(4, 1, 3), summary);
        assertEquals(TABLE_1_OUT + "{\"name\":\"** Wu\"}\n", o.toString());
        assertTrue(e.toString().contains("line 5: expected a JSON object, found an array"), e.toString());
    }

    @Test
    void numbersAndNestedValuesOfOtherFieldsAreKeptAsWritten() {
        String line = "{\"weight\":60.50,\"big\":123456789012345678901234567890,\"e\":1E+3,\"nested\":{\"x\":[1,\"é\"]},\"esc\":\"a\\\"b\\u0001\"}\n";
        assertEquals(0, run(line, "mask", "--policy", "paper"));
        assertEquals("{\"weight\":60.50,\"big\":123456789012345678901234567890,\"e\":1E+3,\"nested\":{\"x\":[1,\"é\"]},"
                + "\"esc\":\"a\\\"b\\u0001\"}\n", stdout());
    }

    @Test
    void theConfigurationKeyIsDocumentedAndEmptyByDefault() throws Exception {
        EmrsbConfig defaults = EmrsbConfig.load(null, Map.of(), new Properties());
        assertEquals("", defaults.string("gateway.secret-file"));
        assertEquals(MaskingKeys.none(), defaults.maskingKeys());
        Path secret = Files.writeString(dir.resolve("s"), SECRET);
        EmrsbConfig fromEnv = EmrsbConfig.load(null, Map.of("EMRSB_GATEWAY_SECRET_FILE", secret.toString()), new Properties());
        assertEquals(MaskingKeys.derive(org.emrsb.core.crypto.Hex.decode(SECRET, "s")), fromEnv.maskingKeys());
        EmrsbConfig missing = EmrsbConfig.load(null, Map.of("EMRSB_GATEWAY_SECRET_FILE", dir.resolve("nope").toString()),
                new Properties());
        EmrsbConfig.ConfigException e = assertThrows(EmrsbConfig.ConfigException.class, missing::maskingKeys);
        assertTrue(e.getMessage().contains("gateway.secret-file") && e.getMessage().contains("no such file")
                && e.getMessage().contains("EMRSB_GATEWAY_SECRET_FILE"), e.getMessage());
    }

    private static void assertArrayEqualsUtf8(String expected, byte[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), actual);
    }

    @Test
    void fhirResourcesAndBundlesAreMaskedByTheFhirSection() throws Exception {
        Path secret = Files.writeString(dir.resolve("masking.secret"), SECRET + "\n");
        Path config = Files.writeString(dir.resolve("emrsb.properties"), "gateway.secret-file=" + secret + "\n");
        String input = String.join("\n",
                "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\"Lopez\"}],\"birthDate\":\"1974-12-25\"}",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"hr\"},"
                        + "\"subject\":{\"reference\":\"Patient/p1\"}}",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"hr\"}}",
                "{\"name\":\"flat\"}",
                "");
        assertEquals(0, run(input, "mask", "--config", config.toString(), "--policy", "hipaa-safe-harbor",
                "--format", "fhir"));
        String p = org.emrsb.core.masking.Pseudonyms.of(
                MaskingKeys.derive(org.emrsb.core.crypto.Hex.decode(SECRET, "secret")).pseudonymKey(), "Patient/p1");
        String[] lines = stdout().split("\n");
        assertEquals(2, lines.length, stdout());
        assertTrue(lines[0].contains("\"id\":\"" + p + "\""), lines[0]);
        assertTrue(lines[0].contains("\"birthDate\":\"1974\""), lines[0]);
        assertFalse(lines[0].contains("Lopez"), lines[0]);
        assertTrue(lines[0].contains("\"code\":\"REDACTED\""), lines[0]);
        assertTrue(lines[1].contains("\"reference\":\"Patient/" + p + "\""), lines[1]);
        assertTrue(stderr().contains("line 3: rejected: names no patient"), stderr());
        assertTrue(stderr().contains("line 4: expected a FHIR resource"), stderr());
    }

    @Test
    void fhirNeedsAPolicyWithAFhirSectionAndTheSecret() throws Exception {
        Path emptyConfig = Files.writeString(dir.resolve("empty.properties"), "");
        assertEquals(2, run("", "mask", "--config", emptyConfig.toString(), "--policy", "hipaa-safe-harbor",
                "--format", "fhir"));
        Path secret = Files.writeString(dir.resolve("masking.secret"), SECRET + "\n");
        Path config = Files.writeString(dir.resolve("emrsb.properties"), "gateway.secret-file=" + secret + "\n");
        assertEquals(2, run("", "mask", "--config", config.toString(), "--policy", "paper", "--format", "fhir"));
        assertTrue(stderr().contains("no fhir section"), stderr());
    }
}
