package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance end to end on the real broker: an authority enrols a delegate candidate and a doctor, the
 * governance processor runs as `ops/emrsb run --role governance`, the doctor votes with `ops/emrsb vote`,
 * and `ops/emrsb delegates` shows the candidate ACTIVE in a new epoch.
 */
class GovernanceIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern SIGNING = Pattern.compile("signing +(ed25519:[0-9a-f]{64})");

    @TempDir
    Path dir;

    private String keygen(String role, Path file) throws Exception {
        Ops.Result result = Ops.run(TIMEOUT, "ops/emrsb", "keygen", "--role", role, "--out", file.toString());
        assertEquals(0, result.exitCode(), result.all());
        Matcher m = SIGNING.matcher(result.stdout());
        assertTrue(m.find(), result.stdout());
        return m.group(1);
    }

    @Test
    void aVoteMakesAnEnrolledCandidateActive() throws Exception {
        Path authority = dir.resolve("authority.key");
        Path delegate = dir.resolve("delegate.key");
        Path doctor = dir.resolve("doctor.key");
        keygen("authority", authority);
        String delegateKey = keygen("delegate", delegate);
        keygen("doctor", doctor);
        for (String[] member : List.of(new String[] {delegate.toString(), "delegate"}, new String[] {doctor.toString(), "doctor"})) {
            Ops.Result enrolled = Ops.run(TIMEOUT, "ops/emrsb", "enroll", "--authority-key", authority.toString(),
                    "--member-key", member[0], "--role", member[1], "--institution", "IT Hospital");
            assertEquals(0, enrolled.exitCode(), enrolled.all());
        }

        List<String> command = new ArrayList<>(List.of(Ops.REPO.resolve("ops/emrsb").toString(), "run", "--role",
                "governance", "--application-id", "it-governance-" + UUID.randomUUID()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Ops.REPO.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("governance.log").toFile());
        builder.environment().putAll(Map.of("EMRSB_GOVERNANCE_AUTHORITY_KEY", authority.toString(),
                "EMRSB_STREAMS_STATE_DIR", dir.resolve("state").toString()));
        Process governance = builder.start();
        try {
            waitForLog(governance, "REBALANCING -> RUNNING");
            Ops.Result vote = Ops.run(TIMEOUT, "ops/emrsb", "vote", "--key", doctor.toString(), "--for", delegateKey);
            assertEquals(0, vote.exitCode(), vote.all());
            String listing = "";
            Instant deadline = Instant.now().plusSeconds(60);
            while (!listing.contains(delegateKey + " ") && Instant.now().isBefore(deadline)) {
                Thread.sleep(1000);
                listing = Ops.run(TIMEOUT, "ops/emrsb", "delegates").stdout();
            }
            assertTrue(listing.matches("(?s).*" + delegateKey + " +ACTIVE +approvals=1.*"), listing);
            assertTrue(listing.startsWith("epoch "), listing);
        } finally {
            governance.destroy();
            if (!governance.waitFor(60, TimeUnit.SECONDS)) {
                governance.destroyForcibly();
            }
        }
    }

    private void waitForLog(Process process, String line) throws Exception {
        Path log = dir.resolve("governance.log");
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            assertTrue(process.isAlive(), "the governance processor exited:\n" + Files.readString(log));
            Thread.sleep(250);
        }
        throw new AssertionError("the governance processor did not start:\n" + Files.readString(log));
    }
}
