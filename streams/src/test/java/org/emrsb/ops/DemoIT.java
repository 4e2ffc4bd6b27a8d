package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ops/demo, the project's main job, run as a user runs it. */
class DemoIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    Path dir;

    @Test
    void theDefaultDemoSubmitsThePapersThreeRecordsAndReadsThemBack() throws Exception {
        Path out = dir.resolve("out");
        Ops.Result result = Ops.run(TIMEOUT, "ops/demo", "--out", out.toString());
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("[demo] 3 record(s) from the paper's Table 1"), result.stderr());
        for (String name : List.of("YangYang", "Sihua Wu", "Qiang Zhang")) {
            assertTrue(result.stdout().contains("\"name\":\"" + name + "\""), result.stdout());
        }
        List<String> lines = Files.readAllLines(out.resolve("intake.jsonl"), StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        assertTrue(result.stderr().contains("ops/stack down"), "tells how to stop the stack");
    }

    @Test
    void aRecordsFileIsSubmittedLineByLine() throws Exception {
        Path records = dir.resolve("records.jsonl");
        Files.writeString(records, "{\"name\":\"Li Lei\",\"age\":31,\"idNumber\":\"110101199003070000\","
                + "\"address\":\"Wangfujing street, dongcheng district, Beijing\",\"disease\":\"asthma\",\"phone\":\"13800138000\"}\n");
        Path out = dir.resolve("out");
        Ops.Result result = Ops.run(TIMEOUT, "ops/demo", "--out", out.toString(), "--records", records.toString());
        assertEquals(0, result.exitCode(), result.all());
        String written = Files.readString(out.resolve("intake.jsonl"), StandardCharsets.UTF_8);
        assertTrue(written.contains("Li Lei") && written.contains("13800138000"), written);
    }

    @Test
    void aBadRecordsFileFailsClearlyWithItsLineNumber() throws Exception {
        Path records = dir.resolve("bad.jsonl");
        Files.writeString(records, "{\"name\":\"Li Lei\",\"age\":31}\n");
        Path out = dir.resolve("out");
        Ops.Result result = Ops.run(TIMEOUT, "ops/demo", "--out", out.toString(), "--records", records.toString());
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("bad.jsonl:1: missing field 'address'"), result.stderr());
        assertFalse(Files.exists(out.resolve("intake.jsonl")));
    }
}
