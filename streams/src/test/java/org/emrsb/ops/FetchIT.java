package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.emrsb.app.DemoTrafficAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ops/emrsb fetch` as a recipient and as someone who is not one, after the demo offloaded an attachment. */
class FetchIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    Path dir;

    @Test
    void theRecipientsGetTheBytesBackAndNobodyElseDoes() throws Exception {
        Path out = dir.resolve("out");
        Ops.Result demo = Ops.run(TIMEOUT, "ops/demo", "--out", out.toString());
        assertEquals(0, demo.exitCode(), demo.all());
        String first = Files.readAllLines(out.resolve("masked.jsonl"), StandardCharsets.UTF_8).get(0);
        String submission = new ObjectMapper().readTree(first).get("submissionId").asText();
        Path keys = Path.of(System.getenv().getOrDefault("EMRSB_HOME", Ops.REPO.resolve(".emrsb").toString()))
                .resolve("demo-keys");

        for (String recipient : new String[] {"patient", "doctor"}) {
            Path file = dir.resolve(recipient + ".txt");
            Ops.Result fetch = Ops.run(TIMEOUT, "ops/emrsb", "fetch", "--submission", submission,
                    "--key", keys.resolve(recipient + ".key").toString(), "--out", file.toString());
            assertEquals(0, fetch.exitCode(), fetch.all());
            assertArrayEquals(DemoTrafficAccess.attachment(), Files.readAllBytes(file));
        }

        Path stranger = dir.resolve("stranger.key");
        assertEquals(0, Ops.run(TIMEOUT, "ops/emrsb", "keygen", "--role", "doctor", "--out", stranger.toString()).exitCode());
        Path file = dir.resolve("stranger.txt");
        Ops.Result refused = Ops.run(TIMEOUT, "ops/emrsb", "fetch", "--submission", submission,
                "--key", stranger.toString(), "--out", file.toString());
        assertEquals(1, refused.exitCode(), refused.all());
        assertTrue(refused.stderr().contains("is not a recipient"), refused.stderr());
        assertFalse(Files.exists(file));

        Ops.Result unknown = Ops.run(TIMEOUT, "ops/emrsb", "fetch", "--submission", "no-such-submission",
                "--key", stranger.toString(), "--out", file.toString());
        assertEquals(1, unknown.exitCode(), unknown.all());
        assertTrue(unknown.stderr().contains("no offloaded record for submission no-such-submission"), unknown.stderr());
    }
}
