package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.emrsb.app.DemoTrafficAccess;
import org.emrsb.app.SubmissionAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries and proofs end to end on the real stack: an authority enrols a gateway, a doctor, a patient
 * and a delegate; one `ops/emrsb run` instance runs the gateway, offload, governance and delegate roles,
 * a second one (same application id) the delegate role only, each with its query endpoint; the doctor
 * votes the delegate in and submits a record. Then the endpoints answer for the record's transaction,
 * each for the chains the other holds too; `ops/emrsb proof` writes a bundle that `ops/emrsb verify`
 * accepts up to the block; `ops/emrsb fetch --transaction` returns the attachment; unknown ids and an
 * unreachable endpoint are refused with exit 2.
 *
 * <p>The stack is shared: other alliances' tests write governance.epochs too, and a delegate follows
 * the last epoch on the topic, so one of theirs makes this test's delegate leave its group (exit 3).
 * A step against the ledger that fails because of that is run again after the doctor votes anew (an
 * epoch of this alliance is the last again) and the same instances restart.
 */
class ProofIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int ATTEMPTS = 5;
    private static final Pattern SIGNING = Pattern.compile("signing +(ed25519:[0-9a-f]{64})");
    private static final String RECORD = "{\"name\":\"Han Meimei\",\"age\":29,\"idNumber\":\"110101199703070000\","
            + "\"address\":\"Wangfujing street, dongcheng district, Beijing\",\"disease\":\"sprained ankle\"}";
    private static final String UNKNOWN_ID = "00".repeat(32);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Path> keys = new LinkedHashMap<>();
    private String delegateKey;

    @TempDir
    Path dir;

    /** A step against the running ledger. */
    private interface Step<T> {
        T run() throws Exception;
    }

    @Test
    void aSealedTransactionHasAVerifiableProofAndItsAttachmentComesBackByTransactionId() throws Exception {
        String authorityKey = enrolAlliance();
        String applicationId = "it-proof-" + UUID.randomUUID();
        try (Run main = new Run(applicationId, "gateway,offload,governance,delegate", freePort());
             Run second = new Run(applicationId, "delegate", freePort())) {
            List<Run> runs = List.of(main, second);
            for (Run run : runs) {
                run.start();
            }
            vote("--for", delegateKey);
            SubmissionAccess.Offloaded submitted = SubmissionAccess.submitWithAttachment(keys.get("doctor"),
                    keys.get("patient"), keys.get("gateway"), RECORD, TIMEOUT);

            String txid = onLedger(runs, () -> awaitTransaction(main, submitted));
            JsonNode sealed = onLedger(runs, () -> awaitSealedProof(main, txid, authorityKey));
            onLedger(runs, () -> assertEveryInstanceAnswers(runs, submitted, txid, sealed));
            Path attachment = dir.resolve("attachment.txt");
            onLedger(runs, () -> ok(Ops.run(TIMEOUT, Map.of("EMRSB_QUERY_LISTEN", main.listen), "ops/emrsb", "fetch",
                    "--transaction", txid, "--key", keys.get("patient").toString(), "--out", attachment.toString())));
            assertArrayEquals(DemoTrafficAccess.attachment(), Files.readAllBytes(attachment));
            onLedger(runs, () -> assertUnknownIdsAreRefused(runs));
        }
    }

    /** Keys for an authority, a gateway (with its secret), a doctor, a patient and a delegate, all enrolled. */
    private String enrolAlliance() throws Exception {
        Path authority = dir.resolve("authority.key");
        String authorityKey = keygen("authority", authority);
        keys.put("authority", authority);
        for (String role : new String[] {"gateway", "doctor", "patient", "delegate"}) {
            Path file = dir.resolve(role + ".key");
            String key = keygen(role, file);
            delegateKey = role.equals("delegate") ? key : delegateKey;
            keys.put(role, file);
            ok(Ops.run(TIMEOUT, "ops/emrsb", "enroll", "--authority-key", authority.toString(), "--member-key",
                    file.toString(), "--role", role, "--institution", "ProofIT Hospital"));
        }
        ok(Ops.run(TIMEOUT, "ops/emrsb", "secret", "--out", dir.resolve("gateway.secret").toString()));
        return authorityKey;
    }

    /** The transaction of the submission, found through the patient's transactions on the endpoint. */
    private String awaitTransaction(Run run, SubmissionAccess.Offloaded submitted) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            assertTrue(run.process.isAlive(), "the pipeline exited:\n" + run.logTail());
            Answer patient = get(run.endpoint + "/v1/patients/" + submitted.pseudonym() + "/transactions");
            if (patient.status() == 200) {
                for (JsonNode id : patient.body().get("transactions")) {
                    Answer tx = get(run.endpoint + "/v1/transactions/" + id.asText());
                    assertEquals(200, tx.status(), tx.body().toString());
                    if (tx.body().get("submissionId").asText().equals(submitted.submissionId())) {
                        assertEquals(id.asText(), tx.body().get("id").asText());
                        return id.asText();
                    }
                }
            } else {
                assertEquals(503, patient.status(), patient.body().toString());
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no transaction for " + submitted + " within 90 s:\n" + run.logTail());
    }

    /**
     * `ops/emrsb proof` until the block is sealed (exit 0; exit 1 before, with the partial bundle written),
     * then `ops/emrsb verify` up to the block; the sealing block's chain, height and hash as the endpoint
     * gives them for the transaction.
     */
    private JsonNode awaitSealedProof(Run run, String txid, String authorityKey) throws Exception {
        Path file = dir.resolve("proof.json");
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            Ops.Result proof = Ops.run(TIMEOUT, "ops/emrsb", "proof", txid, "--out", file.toString(), "--endpoint",
                    run.endpoint);
            if (proof.exitCode() == 0) {
                assertTrue(proof.stdout().contains("sealed in block")
                        && proof.stdout().contains("not in the bundle yet: anchor, bitcoin"), proof.all());
                break;
            }
            assertEquals(1, proof.exitCode(), proof.all() + "\npipeline:\n" + run.logTail());
            assertTrue(proof.stdout().contains("not in the bundle yet: block, anchor, bitcoin"), proof.all());
            assertFalse(JSON.readTree(file.toFile()).has("block"), Files.readString(file));
            assertTrue(Instant.now().isBefore(deadline), "not sealed within 60 s:\n" + run.logTail());
            Thread.sleep(1000);
        }
        ok(Ops.run(TIMEOUT, "ops/emrsb", "verify", file.toString(), "--require", "block", "--quorum", "0",
                "--authority", authorityKey));
        JsonNode tx = get(run.endpoint + "/v1/transactions/" + txid).body();
        JsonNode block = JSON.readTree(file.toFile()).get("block");
        assertEquals(block.get("chain").asLong(), tx.get("block").get("chain").asLong(), tx.toString());
        assertEquals(block.get("height").asLong(), tx.get("block").get("height").asLong(), tx.toString());
        return tx.get("block");
    }

    /**
     * Each instance holds some of the chains and answers every route all the same, asking the instance
     * that holds the key (two delegate instances split the six chains).
     */
    private Void assertEveryInstanceAnswers(List<Run> runs, SubmissionAccess.Offloaded submitted, String txid,
            JsonNode sealed) throws Exception {
        for (Run run : runs) {
            JsonNode tx = awaitAnswer(run.endpoint + "/v1/transactions/" + txid);
            assertEquals(sealed, tx.get("block"), tx.toString());
            JsonNode proof = awaitAnswer(run.endpoint + "/v1/proofs/" + txid);
            assertTrue(proof.get("sealed").asBoolean(), proof.toString());
            assertEquals("[\"anchor\",\"bitcoin\"]", proof.get("missing").toString());
            JsonNode patient = awaitAnswer(run.endpoint + "/v1/patients/" + submitted.pseudonym() + "/transactions");
            assertTrue(patient.get("transactions").toString().contains(txid), patient.toString());
            JsonNode block = awaitAnswer(run.endpoint + "/v1/blocks/" + sealed.get("chain").asLong() + "/"
                    + sealed.get("height").asLong());
            assertEquals(sealed.get("hash").asText(), block.get("hash").asText(), block.toString());
        }
        return null;
    }

    /** The 200 answer of a route, asking again while it is 503 (an instance rebalancing), for up to 60 s. */
    private JsonNode awaitAnswer(String url) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        Answer answer = get(url);
        while (answer.status() == 503 && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            answer = get(url);
        }
        assertEquals(200, answer.status(), url + ": " + answer.body());
        return answer.body();
    }

    private Void assertUnknownIdsAreRefused(List<Run> runs) throws Exception {
        Path none = dir.resolve("none.json");
        Ops.Result unknown = Ops.run(TIMEOUT, "ops/emrsb", "proof", UNKNOWN_ID, "--out", none.toString(),
                "--endpoint", runs.get(0).endpoint);
        assertEquals(2, unknown.exitCode(), unknown.all());
        assertTrue(unknown.stderr().contains("unknown transaction " + UNKNOWN_ID), unknown.stderr());
        assertFalse(Files.exists(none));

        for (Run run : runs) {
            Answer missing = get(run.endpoint + "/v1/transactions/" + UNKNOWN_ID);
            assertEquals(404, missing.status(), missing.body().toString());
            assertEquals("not-found", missing.body().get("error").asText());
            assertTrue(missing.body().get("message").asText().endsWith("on any chain"), missing.body().toString());
            Answer bad = get(run.endpoint + "/v1/proofs/not-an-id");
            assertEquals(400, bad.status(), bad.body().toString());
        }

        Ops.Result unreachable = Ops.run(TIMEOUT, "ops/emrsb", "proof", UNKNOWN_ID, "--out", none.toString(),
                "--endpoint", "http://127.0.0.1:" + freePort());
        assertEquals(2, unreachable.exitCode(), unreachable.all());
        assertTrue(unreachable.stderr().contains("cannot reach the query endpoint"), unreachable.stderr());
        return null;
    }

    /**
     * Runs a step; if it failed because the delegate is out of its group (another alliance's epoch),
     * votes anew, restarts the instances and runs it again, up to {@link #ATTEMPTS} times.
     */
    private <T> T onLedger(List<Run> runs, Step<T> step) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.run();
            } catch (Exception | AssertionError e) {
                if (attempt == ATTEMPTS || !runs.get(0).delegateOut()) {
                    throw e;
                }
                System.err.println("ProofIT: the delegate is out of its group (another alliance's epoch); voting anew "
                        + "and restarting, attempt " + (attempt + 1) + " of " + ATTEMPTS + " (after " + e + ")");
                vote("--withdraw");
                vote("--for", delegateKey);
                for (Run run : runs) {
                    run.start();
                }
            }
        }
    }

    private void vote(String... choice) throws Exception {
        String[] command = new String[4 + choice.length];
        System.arraycopy(new String[] {"ops/emrsb", "vote", "--key", keys.get("doctor").toString()}, 0, command, 0, 4);
        System.arraycopy(choice, 0, command, 4, choice.length);
        ok(Ops.run(TIMEOUT, command));
    }

    /**
     * An `ops/emrsb run` process under test, an instance of the application: the same roles, state and
     * endpoint on every start.
     */
    private final class Run implements AutoCloseable {
        final String listen;
        final String endpoint;
        private final String applicationId;
        private final String roles;
        private final Path state;
        private Process process;
        private Path log;
        private int starts;

        Run(String applicationId, String roles, int port) {
            this.applicationId = applicationId;
            this.roles = roles;
            this.listen = "127.0.0.1:" + port;
            this.endpoint = "http://" + listen;
            this.state = dir.resolve("state-" + port);
        }

        /** Starts the process (once the previous one exited) and waits until its endpoint listens. */
        void start() throws Exception {
            if (process != null) {
                stop();
            }
            log = dir.resolve("instance-" + state.getFileName() + "-" + ++starts + ".log");
            ProcessBuilder builder = new ProcessBuilder(Ops.REPO.resolve("ops/emrsb").toString(), "run", "--role",
                    roles, "--application-id", applicationId)
                    .directory(Ops.REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("EMRSB_GOVERNANCE_AUTHORITY_KEY", keys.get("authority").toString(),
                    "EMRSB_GATEWAY_KEY_FILE", keys.get("gateway").toString(),
                    "EMRSB_GATEWAY_SECRET_FILE", dir.resolve("gateway.secret").toString(),
                    "EMRSB_DELEGATE_KEY_FILE", keys.get("delegate").toString(),
                    "EMRSB_LEDGER_BLOCK_INTERVAL", "5s",
                    "EMRSB_LEDGER_QUORUM", "0", // a ledger without monitors: ByzantineIT covers the quorum
                    "EMRSB_QUERY_LISTEN", listen,
                    "EMRSB_STREAMS_STATE_DIR", state.toString()));
            process = builder.start();
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (!log().contains("query endpoint on " + endpoint)) {
                assertTrue(process.isAlive(), "the pipeline exited:\n" + logTail());
                assertTrue(Instant.now().isBefore(deadline), "the endpoint did not start:\n" + logTail());
                Thread.sleep(250);
            }
        }

        /**
         * Whether the delegate is out of its group: it left (logged so; the process then exits, waited for
         * here), or it never joined because another alliance's epoch followed this one's election at once.
         */
        boolean delegateOut() throws Exception {
            String text = log();
            if (text.contains("leaving the ledger group")) {
                return process.waitFor(60, TimeUnit.SECONDS);
            }
            return !text.contains("joining the ledger group");
        }

        String log() throws IOException {
            return Files.exists(log) ? Files.readString(log) : "";
        }

        /** The end of the log, for failure messages. */
        String logTail() throws IOException {
            String text = log();
            return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
        }

        private void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null) {
                stop();
            }
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private String keygen(String role, Path file) throws Exception {
        Ops.Result result = ok(Ops.run(TIMEOUT, "ops/emrsb", "keygen", "--role", role, "--out", file.toString()));
        Matcher m = SIGNING.matcher(result.stdout());
        assertTrue(m.find(), result.stdout());
        return m.group(1);
    }

    private static Ops.Result ok(Ops.Result result) {
        assertEquals(0, result.exitCode(), result.all());
        return result;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
