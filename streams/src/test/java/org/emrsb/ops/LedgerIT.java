package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.app.EnrolmentAccess;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.avro.LedgerVerdict;
import org.emrsb.avro.RecordFormat;
import org.emrsb.avro.Submission;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.SecretFile;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.core.ledger.ChainVerifier;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.schemas.RegistrySettings;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The delegate role on the real broker, run as operators run it: one {@code ops/emrsb run --role
 * gateway,offload,governance} process and two {@code ops/emrsb run --role delegate} processes with
 * different delegate keys under one application id, so that they share the chains through their group
 * ({@code ID-delegates}). Each test has its own alliance (a fresh enrolment authority, gateway, doctor,
 * patient and delegates): its governance processor counts only its own votes, its delegates admit only
 * its own gateway's records, its groups start at the current end of the record topics, and its chains
 * are those signed by its delegates' keys (see {@link LedgerRecords} for why verifying them from genesis
 * is sound on a shared cluster).
 *
 * <p>What is checked, on ledger.tx, ledger.blocks and emr.offloaded read with read_committed: every
 * submission signed exactly once (all of them are valid, so "in the ledger or in emr.rejected" means in
 * the ledger here; emr.rejected cannot be attributed to one application on a shared cluster, so it is
 * not counted), each chain signing in the order its records arrived, each signer ACTIVE at the epoch
 * its transaction or block names, and every chain verifying end to end with {@link ChainVerifier}
 * (sequences, heights, previous-hash links, Merkle roots, signatures) across handovers and crashes,
 * sealed up to its last transaction.
 *
 * <p>A third test adds a monitoring authority: one {@code ops/emrsb run --role monitor} process (its own
 * application id, key and state folder) beside one delegate that seals only what a majority of the
 * alliance's monitors accepted. The monitor is killed with SIGKILL while records flow and restarted; on
 * ledger.verdicts (read_committed) every transaction and block of the alliance then has exactly one
 * verdict from it, an accept.
 */
class LedgerIT {

    private static final Duration START = Duration.ofMinutes(2);
    private static final Duration OUTCOME = Duration.ofMinutes(2);
    private static final Duration LEAVE = Duration.ofSeconds(90);
    private static final String STAGES_RUNNING = "pipeline REBALANCING -> RUNNING";
    /** What LedgerTopology logs when an instance takes a chain (its task starts). */
    private static final String HOLDS_A_CHAIN = "holds it at sequence";
    /** RunCommand's exit code when the delegate left its group because its key is no longer ACTIVE. */
    private static final int LEFT_GROUP = 3;

    @TempDir
    Path dir;

    private final String applicationId = "it-ledger-" + UUID.randomUUID();
    /** The monitoring authority's application (third test): its own group and changelogs. */
    private final String monitorApplicationId = applicationId + "-monitor";
    /** The processes' logs stay after the test (target/it-logs/ID), for a failure's diagnosis. */
    private final Path logs = Path.of("target", "it-logs", applicationId).toAbsolutePath();
    private final List<EmrsbProcess> processes = new ArrayList<>();
    private LedgerRecords ledger;

    @BeforeEach
    void openLedgerBeforeAnythingRuns() throws Exception {
        Files.createDirectories(logs);
        ledger = LedgerRecords.openAtEnd();
    }

    @AfterEach
    void stopProcessesAndDropWhatTheyCreated() throws Exception {
        try {
            for (EmrsbProcess process : processes) {
                process.close();
            }
        } finally {
            ledger.close();
            deleteGroupsAndInternalTopics();
        }
    }

    @Test
    void delegatesShareTheChainsAndOneVotedOutHandsItsChainsOver() throws Exception {
        Alliance alliance = Alliance.enrol(dir, 2, 0);
        unlessAnotherGovernanceInterferes(alliance, () -> shareTheChainsAndHandThemOver(alliance));
    }

    private void shareTheChainsAndHandThemOver(Alliance alliance) throws Exception {
        String a = alliance.delegateKey(0);
        String b = alliance.delegateKey(1);
        List<EmrsbProcess> delegates = startStagesAndElectedDelegates(alliance);
        EmrsbProcess delegateA = delegates.get(0);
        EmrsbProcess delegateB = delegates.get(1);

        List<String> shared;
        List<String> whileLeaving;
        List<String> afterLeaving;
        try (Intake intake = new Intake(alliance)) {
            shared = intake.submit(24);
            awaitSigned(shared, alliance);
            assertEquals(Set.of(a, b), signers(shared, alliance), "both ACTIVE delegates sign chains");

            // Records keep flowing while B is voted out: B signs them until it sees the epoch, then they wait
            // in its chains' pending store, which moves with the chains to A when B leaves the group.
            try (Traffic traffic = Traffic.start(intake, Duration.ofMillis(50), 400)) {
                vote(alliance.doctorKeyFile(), a); // replaces the doctor's vote: B has no approval left
                assertEquals(LEFT_GROUP, delegateB.awaitExit(LEAVE), "B leaves the group when voted out:\n"
                        + delegateB.tail());
                whileLeaving = traffic.stop();
            }
            assertTrue(delegateB.log().contains("left the delegates' group"), delegateB.tail());
            afterLeaving = intake.submit(12);
        }
        List<String> all = concat(shared, whileLeaving, afterLeaving);
        awaitSigned(all, alliance);
        awaitSealed(alliance);
        assertSignedExactlyOnce(all, alliance);
        assertEquals(Set.of(a), signers(afterLeaving, alliance), "only the remaining ACTIVE delegate signs");
        assertTrue(delegateA.isAlive(), delegateA.tail());

        Map<Long, GovernanceEpoch> epochs = ledger.epochs(alliance.delegateKeys());
        long votedOut = firstEpochWithout(b, epochs);
        Map<Long, List<LedgerTransaction>> chains = ledger.transactions(alliance.delegateKeys());
        for (List<LedgerTransaction> chain : chains.values()) {
            for (LedgerTransaction tx : chain) {
                if (tx.getDelegateKey().equals(b)) {
                    assertTrue(tx.getEpoch() < votedOut, "B signed " + tx.getSubmissionId() + " at epoch "
                            + tx.getEpoch() + ", at or after the epoch " + votedOut + " that voted it out");
                }
            }
        }
        assertTrue(chains.values().stream().anyMatch(chain -> handedOver(chain, b, a)),
                "some chain B signed was continued by A: " + describe(chains));
        assertEverySignerActive(alliance, epochs);
        assertChainsKeepArrivalOrder(all, alliance);
        assertChainsVerify(alliance);
    }

    @Test
    void aDelegateKilledMidStreamAndRestartedLosesAndDuplicatesNothing() throws Exception {
        Alliance alliance = Alliance.enrol(dir, 2, 0);
        unlessAnotherGovernanceInterferes(alliance, () -> killAndRestartADelegate(alliance));
    }

    private void killAndRestartADelegate(Alliance alliance) throws Exception {
        String a = alliance.delegateKey(0);
        String b = alliance.delegateKey(1);
        List<EmrsbProcess> delegates = startStagesAndElectedDelegates(alliance);
        EmrsbProcess delegateA = delegates.get(0);
        EmrsbProcess delegateB = delegates.get(1);

        List<String> submitted;
        EmrsbProcess restarted;
        try (Intake intake = new Intake(alliance); Traffic traffic = Traffic.start(intake, Duration.ofMillis(150), 400)) {
            ledger.pollUntil(() -> signedBy(traffic.submitted(), b, alliance) >= 3, OUTCOME,
                    () -> "B has not signed 3 of the traffic's records:\n" + delegateB.tail());
            // SIGKILL while records flow: B's open transaction, its uncommitted offsets and its group
            // membership are left behind; the broker aborts or fences what it did not commit.
            delegateB.kill();
            Thread.sleep(2000);
            restarted = startDelegate("delegate-b-restarted", alliance, 1); // same key, same state folder
            Thread.sleep(5000);
            submitted = traffic.stop();
        }
        awaitSigned(submitted, alliance);
        awaitSealed(alliance);
        assertSignedExactlyOnce(submitted, alliance);
        restarted.awaitLog(HOLDS_A_CHAIN, START);
        assertTrue(delegateA.isAlive() && restarted.isAlive(), delegateA.tail() + restarted.tail());
        assertEquals(Set.of(a, b), signers(submitted, alliance));
        assertEverySignerActive(alliance, ledger.epochs(alliance.delegateKeys()));
        assertChainsKeepArrivalOrder(submitted, alliance);
        assertChainsVerify(alliance);
    }

    @Test
    void aMonitorKilledMidStreamAndRestartedLosesAndDoublesNoVerdict() throws Exception {
        Alliance alliance = Alliance.enrol(dir, 1, 1);
        unlessAnotherGovernanceInterferes(alliance, () -> killAndRestartTheMonitor(alliance));
    }

    private void killAndRestartTheMonitor(Alliance alliance) throws Exception {
        String monitorKey = alliance.monitorKey();
        startMonitorInputsAtTheirEnd();
        EmrsbProcess monitor = startMonitor("monitor", alliance);
        monitor.awaitLog(STAGES_RUNNING, START);
        EmrsbProcess delegate = startStagesAndElectedDelegates(alliance).get(0);

        List<String> submitted;
        EmrsbProcess restarted;
        Instant restartedAt;
        try (Intake intake = new Intake(alliance); Traffic traffic = Traffic.start(intake, Duration.ofMillis(150), 400)) {
            ledger.pollUntil(() -> ledger.verdicts(monitorKey).size() >= 5, OUTCOME,
                    () -> "the monitor has not issued 5 verdicts:\n" + monitor.tail() + "\n" + delegate.tail());
            // SIGKILL while verdicts flow: the monitor's open transaction (verdicts, changelog writes, input
            // offsets) is aborted by the broker; the restart re-judges from the last committed offsets.
            monitor.kill();
            Thread.sleep(2000);
            restartedAt = Instant.now();
            restarted = startMonitor("monitor-restarted", alliance); // same key, application id and state folder
            Thread.sleep(5000);
            submitted = traffic.stop();
        }
        awaitSigned(submitted, alliance);
        awaitSealed(alliance);
        ledger.pollUntil(() -> unjudged(alliance, monitorKey).isEmpty(), OUTCOME,
                () -> "subjects without a verdict: " + unjudged(alliance, monitorKey) + "\n" + processLogs());
        pollFor(Duration.ofSeconds(3)); // a doubled verdict would come with or before the last ones; read a little past them
        restarted.awaitLog(STAGES_RUNNING, START);
        assertTrue(delegate.isAlive() && restarted.isAlive(), delegate.tail() + restarted.tail());
        assertSignedExactlyOnce(submitted, alliance);
        assertOneAcceptPerSubject(alliance, monitorKey, restartedAt);
        assertEverySignerActive(alliance, ledger.epochs(alliance.delegateKeys()));
        assertChainsKeepArrivalOrder(submitted, alliance);
        assertChainsVerify(alliance);
    }

    /**
     * The subjects the monitor must judge: the id of every transaction and the hash of every block signed
     * by the alliance's delegates, with the chain each is on.
     */
    private Map<String, Long> subjects(Alliance alliance) {
        Map<String, Long> subjects = new HashMap<>();
        ledger.transactions(alliance.delegateKeys()).values().forEach(chain -> chain.forEach(tx ->
                subjects.put(LedgerRecords.transactionId(tx), tx.getChain())));
        ledger.blocks(alliance.delegateKeys()).values().forEach(chain -> chain.forEach(block ->
                subjects.put(LedgerRecords.blockHash(block), block.getChain())));
        return subjects;
    }

    private Set<String> unjudged(Alliance alliance, String monitorKey) {
        Set<String> judged = ledger.verdicts(monitorKey).stream().map(LedgerVerdict::getSubject).collect(Collectors.toSet());
        return subjects(alliance).keySet().stream().filter(subject -> !judged.contains(subject))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * On ledger.verdicts (read_committed), the monitor issued exactly one verdict on each transaction and
     * block of the alliance, of the right kind and chain, an accept, and none on anything else (it skips
     * other alliances' records); some before the crash and some after the restart.
     */
    private void assertOneAcceptPerSubject(Alliance alliance, String monitorKey, Instant restartedAt) {
        Map<String, Long> subjects = subjects(alliance);
        Set<String> transactionIds = ledger.transactions(alliance.delegateKeys()).values().stream().flatMap(List::stream)
                .map(LedgerRecords::transactionId).collect(Collectors.toSet());
        List<LedgerVerdict> verdicts = ledger.verdicts(monitorKey);
        Map<String, Long> counts = verdicts.stream().collect(Collectors.groupingBy(LedgerVerdict::getSubject,
                Collectors.counting()));
        Map<String, Long> notOnce = new HashMap<>();
        subjects.keySet().forEach(subject -> {
            long n = counts.getOrDefault(subject, 0L);
            if (n != 1) {
                notOnce.put(subject, n);
            }
        });
        assertEquals(Map.of(), notOnce, "every transaction and block has exactly one verdict from the monitor"
                + " (subject -> verdicts)");
        Set<String> foreign = new TreeSet<>(counts.keySet());
        foreign.removeAll(subjects.keySet());
        assertEquals(Set.of(), foreign, "the monitor judged only its alliance's transactions and blocks");
        for (LedgerVerdict verdict : verdicts) {
            String what = verdict.getKind() + " " + verdict.getSubject();
            assertEquals("ACCEPT", verdict.getDecision(), what + " rejected by check " + verdict.getCheck());
            assertEquals(transactionIds.contains(verdict.getSubject()) ? "transaction" : "block", verdict.getKind(), what);
            assertEquals(subjects.get(verdict.getSubject()), verdict.getChain(), what + " names another chain");
        }
        assertTrue(transactionIds.size() < subjects.size(), "the monitor judged blocks too");
        assertTrue(verdicts.stream().anyMatch(v -> v.getIssuedAt().isBefore(restartedAt))
                && verdicts.stream().anyMatch(v -> v.getIssuedAt().isAfter(restartedAt)),
                "verdicts were issued both before the crash and after the restart (" + restartedAt + ")");
    }

    /** Keeps reading the ledger for {@code time}. */
    private void pollFor(Duration time) {
        Instant until = Instant.now().plus(time);
        while (Instant.now().isBefore(until)) {
            ledger.poll();
        }
    }

    /** A test's scenario. */
    private interface Scenario {
        void run() throws Exception;
    }

    /**
     * Runs {@code scenario}, aborting the test instead of failing it when another test's governance
     * processor voted this test's delegates out meanwhile (see {@link LedgerRecords#abortOnForeignEpochs}).
     * Run alone, as in the suite, that never happens.
     */
    private void unlessAnotherGovernanceInterferes(Alliance alliance, Scenario scenario) throws Exception {
        ledger.abortOnForeignEpochs(alliance.delegateKeys());
        try {
            scenario.run();
        } catch (TestAbortedException aborted) {
            throw aborted;
        } catch (Exception | AssertionError failure) {
            ledger.poll();
            ledger.abortIfGovernanceInterfered(failure);
            throw failure;
        }
    }

    // --- processes

    /**
     * Starts the stages and one delegate instance per delegate key, has the doctor vote for every
     * delegate (governance.delegates is their number, so all are ACTIVE) and waits until each instance
     * holds chains. The vote comes once this test's governance processor runs, so that its epoch is the
     * last on the shared topic.
     */
    private List<EmrsbProcess> startStagesAndElectedDelegates(Alliance alliance) throws Exception {
        startRecordInputsAtTheirEnd();
        EmrsbProcess stages = startStages(alliance);
        List<EmrsbProcess> delegates = new ArrayList<>();
        for (int i = 0; i < alliance.delegates().size(); i++) {
            delegates.add(startDelegate("delegate-" + (char) ('a' + i), alliance, i));
        }
        stages.awaitLog(STAGES_RUNNING, START);
        vote(alliance.doctorKeyFile(), alliance.delegates().stream().map(d -> d.verifyingKey().toString())
                .toArray(String[]::new));
        for (EmrsbProcess delegate : delegates) {
            delegate.awaitLog(HOLDS_A_CHAIN, START);
        }
        return delegates;
    }

    private EmrsbProcess startStages(Alliance alliance) throws Exception {
        Map<String, String> env = commonEnv(alliance, "stages");
        env.put("EMRSB_GATEWAY_KEY_FILE", alliance.gatewayKeyFile().toString());
        env.put("EMRSB_GATEWAY_SECRET_FILE", alliance.gatewaySecretFile().toString());
        env.put("EMRSB_GOVERNANCE_DELEGATES", Integer.toString(alliance.delegates().size()));
        return started(EmrsbProcess.start("stages", logs, env, "run", "--role", "gateway,offload,governance",
                "--application-id", applicationId));
    }

    /** A delegate instance; a restart of the same {@code index} reuses its key and its state folder. */
    private EmrsbProcess startDelegate(String name, Alliance alliance, int index) throws Exception {
        Map<String, String> env = commonEnv(alliance, "delegate-" + index);
        env.put("EMRSB_DELEGATE_KEY_FILE", alliance.delegateKeyFile(index).toString());
        env.put("EMRSB_LEDGER_BLOCK_INTERVAL", "2s");
        env.put("EMRSB_LEDGER_BLOCK_MAX_TRANSACTIONS", "5");
        // Without monitors, a ledger signs into blocks at once (ByzantineIT covers a quorum of several);
        // with the alliance's monitor, blocks hold only what a majority of its monitors (it) accepted.
        env.put("EMRSB_LEDGER_QUORUM", alliance.monitors().isEmpty() ? "0" : "majority");
        return started(EmrsbProcess.start(name, logs, env, "run", "--role", "delegate", "--application-id",
                applicationId));
    }

    /**
     * The alliance's monitoring authority under its own application id; a restart reuses its key and its
     * state folder.
     */
    private EmrsbProcess startMonitor(String name, Alliance alliance) throws Exception {
        Map<String, String> env = commonEnv(alliance, "monitor");
        env.put("EMRSB_MONITOR_KEY_FILE", alliance.monitorKeyFile().toString());
        return started(EmrsbProcess.start(name, logs, env, "run", "--role", "monitor", "--application-id",
                monitorApplicationId));
    }

    private Map<String, String> commonEnv(Alliance alliance, String stateFolder) {
        Map<String, String> env = new HashMap<>();
        env.put("EMRSB_GOVERNANCE_AUTHORITY_KEY", alliance.authority().verifyingKey().toString());
        env.put("EMRSB_STREAMS_STATE_DIR", dir.resolve("state").resolve(stateFolder).toString());
        env.put("EMRSB_QUERY_LISTEN", ""); // no HTTP endpoint: several instances run on this machine
        return env;
    }

    private EmrsbProcess started(EmrsbProcess process) {
        processes.add(process);
        return process;
    }

    private static void vote(Path voterKeyFile, String... candidates) throws Exception {
        Ops.Result vote = Ops.run(START, "ops/emrsb", "vote", "--key", voterKeyFile.toString(), "--for",
                String.join(",", candidates));
        assertEquals(0, vote.exitCode(), vote.all());
    }

    /**
     * This test's groups start on the record topics at their current end (TestApplications.startAtEnd): a
     * new application id would otherwise work through every earlier run's records (refusing them: they
     * are not its alliance's) before this test's own.
     */
    private void startRecordInputsAtTheirEnd() throws Exception {
        TestApplications.startAtEnd(applicationId, Topics.INTAKE, Topics.MASKED);
        TestApplications.startAtEnd(applicationId + "-delegates", Topics.OFFLOADED, Topics.LEDGER_VERDICTS);
    }

    /** The same for the monitor's group on ledger.tx and ledger.blocks (once, before its first start). */
    private void startMonitorInputsAtTheirEnd() throws Exception {
        TestApplications.startAtEnd(monitorApplicationId, Topics.LEDGER_TX, Topics.LEDGER_BLOCKS);
    }

    /** Drops the groups and internal topics (changelogs) of this test's application ids, which no one else uses. */
    private void deleteGroupsAndInternalTopics() throws Exception {
        TestApplications.forget(applicationId, List.of(applicationId, applicationId + "-delegates", monitorApplicationId));
    }

    // --- waiting and checking

    private void awaitSigned(List<String> submissionIds, Alliance alliance) {
        ledger.pollUntil(() -> unsigned(submissionIds, alliance).isEmpty(), OUTCOME,
                () -> "unsigned submissions: " + unsigned(submissionIds, alliance) + "\n" + processLogs());
    }

    private void assertSignedExactlyOnce(List<String> submissionIds, Alliance alliance) {
        Map<String, Integer> notOnce = ledger.signedCounts(submissionIds, alliance.delegateKeys()).entrySet().stream()
                .filter(e -> e.getValue() != 1).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Map.of(), notOnce, "every submission is signed exactly once");
    }

    private void awaitSealed(Alliance alliance) {
        ledger.pollUntil(() -> ledger.allSealed(alliance.delegateKeys()), OUTCOME,
                () -> "chains not sealed up to their last transaction: " + describe(ledger.transactions(alliance.delegateKeys())));
    }

    private List<String> unsigned(List<String> submissionIds, Alliance alliance) {
        return ledger.signedCounts(submissionIds, alliance.delegateKeys()).entrySet().stream()
                .filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
    }

    private Set<String> signers(Collection<String> submissionIds, Alliance alliance) {
        Set<String> ids = Set.copyOf(submissionIds);
        return ledger.transactions(alliance.delegateKeys()).values().stream().flatMap(List::stream)
                .filter(tx -> ids.contains(tx.getSubmissionId())).map(LedgerTransaction::getDelegateKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private long signedBy(Collection<String> submissionIds, String delegateKey, Alliance alliance) {
        Set<String> ids = Set.copyOf(submissionIds);
        return ledger.transactions(alliance.delegateKeys()).values().stream().flatMap(List::stream)
                .filter(tx -> ids.contains(tx.getSubmissionId()) && tx.getDelegateKey().equals(delegateKey)).count();
    }

    /** Every transaction and block is signed by a key that is ACTIVE at the epoch it names. */
    private void assertEverySignerActive(Alliance alliance, Map<Long, GovernanceEpoch> epochs) {
        for (List<LedgerTransaction> chain : ledger.transactions(alliance.delegateKeys()).values()) {
            for (LedgerTransaction tx : chain) {
                assertActive(epochs, tx.getEpoch(), tx.getDelegateKey(), "transaction " + tx.getChain() + "/" + tx.getSequence());
            }
        }
        for (List<LedgerBlock> chain : ledger.blocks(alliance.delegateKeys()).values()) {
            for (LedgerBlock block : chain) {
                assertActive(epochs, block.getEpoch(), block.getDelegateKey(), "block " + block.getChain() + "/" + block.getHeight());
            }
        }
    }

    private static void assertActive(Map<Long, GovernanceEpoch> epochs, long number, String key, String what) {
        GovernanceEpoch epoch = epochs.get(number);
        assertNotNull(epoch, what + " names epoch " + number + ", which this test's governance did not make: " + epochs.keySet());
        assertTrue(epoch.isActive(VerifyingKey.parse(key).bytes()), what + " is signed by " + key
                + ", not ACTIVE at epoch " + number);
    }

    /**
     * Each chain signs its records in the order they arrived on its partition of emr.offloaded: across a
     * handover (records that waited for an ACTIVE owner come first) and across a crash (re-processed,
     * not reordered).
     */
    private void assertChainsKeepArrivalOrder(Collection<String> submissionIds, Alliance alliance) {
        ledger.pollUntil(() -> ledger.allOffloaded(submissionIds), OUTCOME, () -> "not all submissions seen on "
                + Topics.OFFLOADED);
        Set<String> ids = Set.copyOf(submissionIds);
        ledger.transactions(alliance.delegateKeys()).forEach((chain, txs) -> assertEquals(
                ledger.offloadedOrder(chain, ids),
                txs.stream().map(LedgerTransaction::getSubmissionId).filter(ids::contains).toList(),
                "chain " + chain + " signs in arrival order"));
    }

    /** Every chain of the alliance's delegates verifies from genesis and is sealed to its last transaction. */
    private void assertChainsVerify(Alliance alliance) throws Exception {
        Map<Long, List<LedgerTransaction>> chains = ledger.transactions(alliance.delegateKeys());
        Map<Long, List<LedgerBlock>> blocks = ledger.blocks(alliance.delegateKeys());
        assertTrue(chains.size() > 1, "the records spread over several chains: " + chains.keySet());
        assertEquals(chains.keySet(), blocks.keySet(), "every chain has blocks");
        for (Map.Entry<Long, List<LedgerTransaction>> chain : chains.entrySet()) {
            ChainVerifier.Summary summary = LedgerRecords.verify(chain.getKey(), chain.getValue(), blocks.get(chain.getKey()));
            assertEquals(chain.getValue().size(), summary.nextSequence(), "chain " + chain.getKey() + " has no gap");
            assertEquals(blocks.get(chain.getKey()).size(), summary.blocks());
        }
    }

    /** The number of the first epoch at which {@code key}, ACTIVE before, is no longer ACTIVE. */
    private static long firstEpochWithout(String key, Map<Long, GovernanceEpoch> epochs) {
        byte[] bytes = VerifyingKey.parse(key).bytes();
        boolean wasActive = false;
        for (GovernanceEpoch epoch : epochs.values()) {
            if (epoch.isActive(bytes)) {
                wasActive = true;
            } else if (wasActive) {
                return epoch.epoch();
            }
        }
        throw new AssertionError(key + " was never voted out in epochs " + epochs.keySet());
    }

    /** Whether a transaction signed by {@code from} is followed on its chain by one signed by {@code to}. */
    private static boolean handedOver(List<LedgerTransaction> chain, String from, String to) {
        boolean seenFrom = false;
        for (LedgerTransaction tx : chain) {
            seenFrom |= tx.getDelegateKey().equals(from);
            if (seenFrom && tx.getDelegateKey().equals(to)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Map<Long, List<LedgerTransaction>> chains) {
        StringBuilder out = new StringBuilder();
        chains.forEach((chain, txs) -> out.append("\n  chain ").append(chain).append(": ").append(txs.stream()
                .map(tx -> tx.getSequence() + "@" + tx.getEpoch() + ":" + tx.getDelegateKey().substring(8, 14))
                .collect(Collectors.joining(" "))));
        return out.toString();
    }

    private String processLogs() {
        return processes.stream().map(p -> "--- " + p + "\n" + p.tail()).collect(Collectors.joining("\n"));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    // --- the test's alliance and its traffic

    /**
     * One test's alliance, enrolled on governance.members: its own enrolment authority, a hospital's
     * gateway (key and secret), a doctor and a patient, delegate institutions and, optionally, a
     * monitoring authority, with their key files.
     */
    private record Alliance(Path dir, MemberKeys authority, MemberKeys gateway, MemberKeys doctor, MemberKeys patient,
            List<MemberKeys> delegates, List<MemberKeys> monitors) {

        /** @param monitorCount 0 (a ledger without monitors) or 1 */
        static Alliance enrol(Path dir, int delegateCount, int monitorCount) throws Exception {
            if (monitorCount > 1) {
                throw new IllegalArgumentException("one monitor at most: its key file is monitor.key");
            }
            SecureRandom random = new SecureRandom();
            List<MemberKeys> delegates = new ArrayList<>();
            for (int i = 0; i < delegateCount; i++) {
                delegates.add(MemberKeys.generate(Role.DELEGATE, random));
            }
            List<MemberKeys> monitors = new ArrayList<>();
            for (int i = 0; i < monitorCount; i++) {
                monitors.add(MemberKeys.generate(Role.MONITOR, random));
            }
            Alliance alliance = new Alliance(dir, MemberKeys.generate(Role.AUTHORITY, random),
                    MemberKeys.generate(Role.GATEWAY, random), MemberKeys.generate(Role.DOCTOR, random),
                    MemberKeys.generate(Role.PATIENT, random), List.copyOf(delegates), List.copyOf(monitors));
            alliance.gateway.write(alliance.gatewayKeyFile());
            SecretFile.create(alliance.gatewaySecretFile(), random);
            alliance.doctor.write(alliance.doctorKeyFile());
            for (int i = 0; i < delegateCount; i++) {
                delegates.get(i).write(alliance.delegateKeyFile(i));
            }
            for (MemberKeys member : List.of(alliance.gateway, alliance.doctor, alliance.patient)) {
                EnrolmentAccess.enrol(member, "LedgerIT Hospital", alliance.authority);
            }
            for (int i = 0; i < delegateCount; i++) {
                EnrolmentAccess.enrol(delegates.get(i), "LedgerIT Board Hospital " + i, alliance.authority);
            }
            for (MemberKeys monitor : monitors) {
                monitor.write(alliance.monitorKeyFile());
                EnrolmentAccess.enrol(monitor, "LedgerIT Health Commission", alliance.authority);
            }
            return alliance;
        }

        Path gatewayKeyFile() {
            return dir.resolve("gateway.key");
        }

        Path gatewaySecretFile() {
            return dir.resolve("gateway.secret");
        }

        Path doctorKeyFile() {
            return dir.resolve("doctor.key");
        }

        Path delegateKeyFile(int index) {
            return dir.resolve("delegate-" + index + ".key");
        }

        Path monitorKeyFile() {
            return dir.resolve("monitor.key");
        }

        String monitorKey() {
            return monitors.get(0).verifyingKey().toString();
        }

        String delegateKey(int index) {
            return delegates.get(index).verifyingKey().toString();
        }

        Set<String> delegateKeys() {
            return delegates.stream().map(d -> d.verifyingKey().toString()).collect(Collectors.toUnmodifiableSet());
        }
    }

    /** The doctor's signed submissions to emr.intake, each about a different patient so they spread over the chains. */
    private static final class Intake implements AutoCloseable {
        private final Alliance alliance;
        private final SecureRandom random = new SecureRandom();
        private final Serde<Submission> serde = AvroSerdes.registry(new RegistrySettings(LedgerRecords.REGISTRY, true), false);
        private final KafkaProducer<String, Submission> producer;

        Intake(Alliance alliance) {
            this.alliance = alliance;
            this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LedgerRecords.BOOTSTRAP,
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                    new StringSerializer(), serde.serializer());
        }

        /** Submits one record and returns its submission id once the broker has it. */
        String submit() throws Exception {
            String idNumber = String.format("1101011980%08d", random.nextInt(100_000_000));
            String body = "{\"name\":\"Ledger Testpatient\",\"age\":44,\"idNumber\":\"" + idNumber
                    + "\",\"address\":\"Gulou street 7, dongcheng district, Beijing\",\"disease\":\"asthma\"}";
            Submission submission = Submission.newBuilder().setSubmissionId(UUID.randomUUID().toString())
                    .setSubmittedAt(Instant.now()).setFormat(RecordFormat.FLAT_JSON).setBody(body)
                    .setAttachments(List.of())
                    .setSubmitterKey(ByteBuffer.wrap(alliance.doctor().verifyingKey().bytes()))
                    .setCounterpartyKey(ByteBuffer.wrap(alliance.patient().verifyingKey().bytes()))
                    .setSignature(ByteBuffer.allocate(0)).build();
            byte[] signature = Signatures.sign(alliance.doctor().signingKey(), AvroMapping.toRaw(submission).body().toBytes());
            submission.setSignature(ByteBuffer.wrap(signature));
            producer.send(new ProducerRecord<>(Topics.INTAKE, submission.getSubmissionId(), submission))
                    .get(30, TimeUnit.SECONDS);
            return submission.getSubmissionId();
        }

        List<String> submit(int count) throws Exception {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(submit());
            }
            return ids;
        }

        @Override
        public void close() {
            producer.close();
            serde.close();
        }
    }

    /** Submissions at a steady pace from a background thread until stopped (or {@code max} were sent). */
    private static final class Traffic implements AutoCloseable {
        private final List<String> submitted = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean stopping;
        private volatile Exception failure;

        private Traffic(Intake intake, Duration every, int max) {
            thread = new Thread(() -> {
                try {
                    while (!stopping && submitted.size() < max) {
                        submitted.add(intake.submit());
                        Thread.sleep(every.toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    failure = e;
                }
            }, "ledger-it-traffic");
        }

        static Traffic start(Intake intake, Duration every, int max) {
            Traffic traffic = new Traffic(intake, every, max);
            traffic.thread.start();
            return traffic;
        }

        List<String> submitted() {
            synchronized (submitted) {
                return List.copyOf(submitted);
            }
        }

        /** Stops the traffic and returns every submission id it sent. */
        List<String> stop() throws Exception {
            stopping = true;
            thread.join(Duration.ofSeconds(60).toMillis());
            if (failure != null) {
                throw failure;
            }
            return submitted();
        }

        @Override
        public void close() throws Exception {
            stopping = true;
            thread.join(Duration.ofSeconds(60).toMillis());
        }
    }
}
