package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.emrsb.avro.PrivacyReport;
import org.emrsb.core.privacy.ClassTally;
import org.emrsb.stream.PrivacyTopology;
import org.junit.jupiter.api.Test;

/** The privacy role's wiring from the configuration, and how privacy-report picks and prints reports. */
class PrivacyReportCommandTest {

    private static final long W = 600_000;

    private static PrivacyReport report(long start, String policy, long... sizes) {
        ClassTally tally = new ClassTally(5);
        for (long size : sizes) {
            tally.add(size);
        }
        return PrivacyTopology.toAvro(tally.report(start, start + W, List.of("age", "gender"), policy), start + W + 1);
    }

    private static EmrsbConfig config(Map<String, String> overrides) {
        return EmrsbConfig.load(null, Map.of(), new Properties()).with(overrides, "test");
    }

    @Test
    void theLatestWindowsReportsInPolicyOrder() {
        List<PrivacyReport> all = List.of(report(0, "paper", 5), report(W, "paper", 1, 6),
                report(W, "hipaa-safe-harbor", 7), report(2 * W, null));
        List<PrivacyReport> latest = PrivacyReportCommand.latest(all, 1);
        assertEquals(1, latest.size());
        assertEquals(0, latest.get(0).getRecords());
        List<PrivacyReport> two = PrivacyReportCommand.latest(all, 2);
        assertEquals(List.of("hipaa-safe-harbor", "paper", "null"),
                two.stream().map(r -> String.valueOf(r.getPolicyId())).toList());
        assertEquals(4, PrivacyReportCommand.latest(all, 10).size());
        assertEquals(List.of(), PrivacyReportCommand.latest(List.of(), 1));
    }

    @Test
    void humanReadableAndJson() {
        String text = PrivacyReportCommand.describe(report(0, "paper", 1, 6, 2));
        assertTrue(text.contains("1970-01-01T00:00:00Z .. 1970-01-01T00:10:00Z"), text);
        assertTrue(text.contains("k=5 on age, gender"), text);
        assertTrue(text.contains("policy paper"), text);
        assertTrue(text.contains("9 record(s) in 3 equivalence class(es); smallest class 1"), text);
        assertTrue(text.contains("2 class(es) below k holding 3 record(s), 33.3 % of the window"), text);
        assertTrue(PrivacyReportCommand.describe(report(0, "paper", 5)).contains("every class has at least 5 records"));
        assertTrue(PrivacyReportCommand.describe(report(0, null)).contains("no masked record in this window"));

        JsonNode json = PrivacyReportCommand.toJson(List.of(report(0, "paper", 1, 6, 2))).get(0);
        assertEquals("paper", json.get("policyId").textValue());
        assertEquals(9, json.get("records").longValue());
        assertEquals(3, json.get("classes").longValue());
        assertEquals(1, json.get("smallestClass").longValue());
        assertEquals(2, json.get("classesBelowK").longValue());
        assertEquals(3, json.get("recordsBelowK").longValue());
        assertEquals(1.0 / 3, json.get("shareBelowK").doubleValue(), 1e-12);
        assertEquals(false, json.get("kAnonymous").booleanValue());
        assertEquals("age", json.get("quasiIdentifiers").get(0).textValue());
        assertEquals(Instant.ofEpochMilli(W + 1).toString(), json.get("reportedAt").textValue());
        assertTrue(PrivacyReportCommand.toJson(List.of(report(0, null))).get(0).get("policyId").isNull());
    }

    @Test
    void thePrivacyRoleRunsAloneWithoutKeysAndNamesItsParts() {
        String described = Pipeline.topology(config(Map.of()), EnumSet.of(Pipeline.StageRole.PRIVACY)).describe().toString();
        assertTrue(described.contains("privacy-classes-repartition"), described);
        assertTrue(described.contains("emr.privacy.report"), described);
        assertThrows(IllegalArgumentException.class, () -> Pipeline.topology(config(Map.of()),
                EnumSet.of(Pipeline.StageRole.PRIVACY, Pipeline.StageRole.GATEWAY)));
    }

    @Test
    void badPrivacySettingsNameTheirKey() {
        for (Map<String, String> bad : List.of(Map.of("privacy.k", "1"), Map.of("privacy.window", "500ms"),
                Map.of("privacy.quasi-identifiers", "age,,gender"), Map.of("privacy.quasi-identifiers", "a[*]"))) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> Pipeline.topology(config(bad), EnumSet.of(Pipeline.StageRole.PRIVACY)), bad.toString());
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
    }
}
