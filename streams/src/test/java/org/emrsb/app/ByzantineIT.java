package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.emrsb.avro.DelegateStatusCode;
import org.emrsb.avro.DelegateStatusRecord;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.avro.LedgerVerdict;
import org.emrsb.avro.RecordFormat;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.ledger.ChainVerifier;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.masking.ResidentIds;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.LedgerTopology;
import org.emrsb.stream.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byzantine simulation on the real broker (monitors issue): 120 delegate candidates, 101 elected by
 * approval votes, three monitoring authorities, three delegate instances sharing the chains, one of them
 * byzantine (a drill: every second transaction it signs carries a corrupted gateway signature). The
 * monitors reject its tampered transactions with evidence, the governance processor evicts it at a new
 * epoch, it leaves the group and its chains move; the tampered submissions are signed again by honest
 * delegates. At the end every submission is in exactly one block the monitors' quorum accepted, and
 * every chain verifies. Everything runs in this JVM, one Streams instance per role and authority.
 */
class ByzantineIT {

    private static final int CANDIDATES = 120;
    private static final int RECORDS = 24;
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final List<Pipeline> pipelines = new ArrayList<>();

    @Test
    void aByzantineDelegateIsEvictedWithEvidenceAndItsSubmissionsAreSignedAgainInCountedBlocks() throws Exception {
        MemberKeys authority = MemberKeys.generate(Role.AUTHORITY, RANDOM);
        MemberKeys gateway = MemberKeys.generate(Role.GATEWAY, RANDOM);
        MemberKeys doctor = MemberKeys.generate(Role.DOCTOR, RANDOM);
        MemberKeys patient = MemberKeys.generate(Role.PATIENT, RANDOM);
        List<MemberKeys> monitors = generate(Role.MONITOR, 3);
        List<MemberKeys> candidates = generate(Role.DELEGATE, CANDIDATES);
        EmrsbConfig base = EmrsbConfig.load(null, System.getenv(), new Properties()).with(Map.of(
                "governance.authority-key", authority.verifyingKey().toString(),
                "gateway.key-file", write(gateway, "gateway.key").toString(),
                "gateway.secret-file", secret().toString(),
                "ledger.block.interval", "2s",
                "ledger.block.max-transactions", "4",
                "query.listen", ""), "ByzantineIT");
        SetupCommand.ensure(base);
        for (MemberKeys member : concat(List.of(gateway, doctor, patient), monitors, candidates)) {
            EnrollCommand.publish(base, member.verifyingKey().toString(), EnrollCommand.sign(
                    EnrollCommand.enrolment(member, "Byzantine " + member.role().id(), 30, authority), authority));
        }
        try {
            pipelines.add(Pipeline.start(base, EnumSet.of(Pipeline.StageRole.GATEWAY, Pipeline.StageRole.OFFLOAD,
                    Pipeline.StageRole.GOVERNANCE), "byz-" + run));
            for (int i = 0; i < monitors.size(); i++) {
                pipelines.add(Pipeline.start(withState(base, "monitor-" + i).with(Map.of("monitor.key-file",
                        write(monitors.get(i), "monitor-" + i + ".key").toString()), "monitor"),
                        EnumSet.of(Pipeline.StageRole.MONITOR), "byz-" + run + "-monitor-" + i));
            }
            pipelines.forEach(this::awaitRunning);
            // 101 of the 120 candidates are approved by the doctor; the patient also approves the three that run.
            VoteCommand.publish(base, doctor, candidates.subList(0, 101).stream().map(k -> k.verifyingKey().bytes()).toList());
            VoteCommand.publish(base, patient, candidates.subList(0, 3).stream().map(k -> k.verifyingKey().bytes()).toList());

            Pipeline byzantine = delegate(base, candidates.get(0), 0, 2);
            delegate(base, candidates.get(1), 1, 0);
            delegate(base, candidates.get(2), 2, 0);
            pipelines.forEach(this::awaitRunning);

            List<String> submitted = submit(base, doctor, patient);
            Ledger ledger = awaitEverySubmissionInACountedBlock(base, submitted,
                    Set.of(candidates.get(0).verifyingKey().toString(), candidates.get(1).verifyingKey().toString(),
                            candidates.get(2).verifyingKey().toString()),
                    monitors.stream().map(m -> m.verifyingKey().toString()).toList());

            assertTrue(byzantine.awaitStop(Duration.ofSeconds(60)), "the byzantine delegate left its group");
            assertTrue(byzantine.delegateLeftBecause().contains("EVICTED"), byzantine.delegateLeftBecause());
            DelegateStatusRecord status = delegateStatus(base, candidates.get(0).verifyingKey().toString());
            assertEquals(DelegateStatusCode.EVICTED, status.getStatus());
            assertTrue(status.getEvidence().startsWith("gateway-signature violation sha256:"), status.getEvidence());
            assertTrue(ledger.voids > 0, "the tampered transactions are void");
            assertTrue(ledger.signers.size() > 1, "several delegates signed: " + ledger.signers);
        } finally {
            for (Pipeline p : pipelines) {
                p.close();
            }
        }
    }

    private Pipeline delegate(EmrsbConfig base, MemberKeys key, int n, int tamperEvery) throws Exception {
        EmrsbConfig config = withState(base, "delegate-" + n).with(Map.of(
                "delegate.key-file", write(key, "delegate-" + n + ".key").toString(),
                "delegate.drill.tamper-every", Integer.toString(tamperEvery)), "delegate " + n);
        Pipeline pipeline = Pipeline.start(config, EnumSet.of(Pipeline.StageRole.DELEGATE), "byz-" + run);
        pipelines.add(pipeline);
        return pipeline;
    }

    private List<String> submit(EmrsbConfig config, MemberKeys doctor, MemberKeys patient) throws Exception {
        List<RecordsFile.Entry> entries = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            String first17 = String.format("11010119%02d0101%03d", 50 + i % 40, i);
            String id = first17 + ResidentIds.checkDigit(first17);
            entries.add(new RecordsFile.Entry(i + 1, RecordFormat.FLAT_JSON, "{\"name\":\"Patient " + i
                    + "\",\"age\":" + (20 + i) + ",\"idNumber\":\"" + id + "\",\"address\":\"haidian district, Beijing\","
                    + "\"disease\":\"flu\"}"));
        }
        List<DemoTraffic.Outcome> outcomes = new DemoTraffic(config, doctor, patient).submitAndCollect(entries, TIMEOUT);
        List<String> ids = new ArrayList<>();
        for (DemoTraffic.Outcome outcome : outcomes) {
            assertTrue(outcome.masked() != null, "masked: " + outcome.rejectedReason() + " " + outcome.rejectedDetail());
            ids.add(outcome.masked().getSubmissionId());
        }
        return ids;
    }

    /** What the chains of this test hold once every submission is in a counted block. */
    record Ledger(int voids, Set<String> signers) {
    }

    /**
     * Reads ledger.tx, ledger.blocks and ledger.verdicts of this alliance until every submission is in a
     * block at least two of the three monitors accepted; then checks that each is in exactly one, and
     * that every chain verifies with the quorum-rejected sequences as its voids.
     */
    private Ledger awaitEverySubmissionInACountedBlock(EmrsbConfig config, List<String> submitted, Set<String> delegates,
            List<String> monitors) throws Exception {
        Map<Long, TreeMap<Long, LedgerTransaction>> txs = new HashMap<>();
        Map<Long, TreeMap<Long, LedgerBlock>> blocks = new HashMap<>();
        Map<String, Set<String>> accepts = new HashMap<>();
        Map<String, Set<String>> rejects = new HashMap<>();
        try (Serde<LedgerTransaction> txSerde = AvroSerdes.registry(config.registry(), false);
             Serde<LedgerBlock> blockSerde = AvroSerdes.registry(config.registry(), false);
             Serde<LedgerVerdict> verdictSerde = AvroSerdes.registry(config.registry(), false);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(config, "byz-reader"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.LEDGER_TX, Topics.LEDGER_BLOCKS, Topics.LEDGER_VERDICTS)) {
                consumer.partitionsFor(topic, KafkaClients.CALL_TIMEOUT)
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    switch (r.topic()) {
                        case Topics.LEDGER_TX -> {
                            LedgerTransaction t = txSerde.deserializer().deserialize(r.topic(), r.value());
                            if (delegates.contains(t.getDelegateKey())) {
                                txs.computeIfAbsent(t.getChain(), c -> new TreeMap<>()).put(t.getSequence(), t);
                            }
                        }
                        case Topics.LEDGER_BLOCKS -> {
                            LedgerBlock b = blockSerde.deserializer().deserialize(r.topic(), r.value());
                            if (delegates.contains(b.getDelegateKey())) {
                                blocks.computeIfAbsent(b.getChain(), c -> new TreeMap<>()).put(b.getHeight(), b);
                            }
                        }
                        default -> {
                            LedgerVerdict v = verdictSerde.deserializer().deserialize(r.topic(), r.value());
                            if (monitors.contains(v.getMonitorKey())) {
                                (v.getDecision().equals("ACCEPT") ? accepts : rejects)
                                        .computeIfAbsent(v.getSubject(), s -> new HashSet<>()).add(v.getMonitorKey());
                            }
                        }
                    }
                }
                Map<String, Integer> counted = countedSubmissions(txs, blocks, accepts, rejects);
                if (submitted.stream().allMatch(counted::containsKey)) {
                    submitted.forEach(s -> assertEquals(1, counted.get(s), s + " is in exactly one counted block"));
                    break;
                }
                assertTrue(Instant.now().isBefore(deadline), "not every submission is in a counted block: "
                        + submitted.stream().filter(s -> !counted.containsKey(s)).toList());
            }
        }
        int voids = 0;
        Set<String> signers = new HashSet<>();
        for (long chain : txs.keySet()) {
            Set<Long> voided = new HashSet<>();
            List<SignedTransaction> kept = new ArrayList<>();
            for (LedgerTransaction t : txs.get(chain).values()) {
                if (rejects.getOrDefault(t.getId(), Set.of()).size() >= 2) {
                    voided.add(t.getSequence());
                } else {
                    kept.add(signed(t));
                    signers.add(t.getDelegateKey());
                }
            }
            voids += voided.size();
            List<SealedBlock> sealed = blocks.getOrDefault(chain, new TreeMap<>()).values().stream()
                    .map(ByzantineIT::sealed).toList();
            ChainVerifier.verify(chain, kept, sealed, voided);
        }
        return new Ledger(voids, signers);
    }

    /** Submission id → how many blocks accepted by two monitors hold a transaction of it. */
    private static Map<String, Integer> countedSubmissions(Map<Long, TreeMap<Long, LedgerTransaction>> txs,
            Map<Long, TreeMap<Long, LedgerBlock>> blocks, Map<String, Set<String>> accepts,
            Map<String, Set<String>> rejects) {
        Map<String, Integer> counted = new HashMap<>();
        for (var chain : blocks.entrySet()) {
            TreeMap<Long, LedgerTransaction> chainTxs = txs.getOrDefault(chain.getKey(), new TreeMap<>());
            for (LedgerBlock b : chain.getValue().values()) {
                if (accepts.getOrDefault(b.getHash(), Set.of()).size() < 2) {
                    continue;
                }
                for (LedgerTransaction t : chainTxs.subMap(b.getFirstSequence(), true, b.getLastSequence(), true).values()) {
                    if (rejects.getOrDefault(t.getId(), Set.of()).size() < 2) {
                        counted.merge(t.getSubmissionId(), 1, Integer::sum);
                    }
                }
            }
        }
        return counted;
    }

    private static SignedTransaction signed(LedgerTransaction t) {
        return LedgerTopology.fromAvro(t);
    }

    private static SealedBlock sealed(LedgerBlock b) {
        return LedgerTopology.fromAvro(b);
    }

    private DelegateStatusRecord delegateStatus(EmrsbConfig config, String key) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        try (Serde<DelegateStatusRecord> serde = AvroSerdes.registry(config.registry(), false);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(config, "byz-status"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.GOVERNANCE_DELEGATES, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            DelegateStatusRecord last = null;
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))) {
                        last = serde.deserializer().deserialize(r.topic(), r.value());
                    }
                }
                if (last != null && last.getStatus() == DelegateStatusCode.EVICTED) {
                    return last;
                }
            }
            return last;
        }
    }

    private void awaitRunning(Pipeline pipeline) {
        try {
            pipeline.awaitRunning(Duration.ofSeconds(120));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private EmrsbConfig withState(EmrsbConfig base, String name) {
        return base.with(Map.of("streams.state-dir", dir.resolve("state-" + name).toString()), "state " + name);
    }

    private Path write(MemberKeys keys, String name) throws Exception {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            keys.write(file);
        }
        return file;
    }

    private Path secret() throws Exception {
        Path file = dir.resolve("gateway.secret");
        org.emrsb.core.crypto.SecretFile.create(file, RANDOM);
        return file;
    }

    private static List<MemberKeys> generate(Role role, int n) {
        List<MemberKeys> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(MemberKeys.generate(role, RANDOM));
        }
        return keys;
    }

    @SafeVarargs
    private static List<MemberKeys> concat(List<MemberKeys>... lists) {
        List<MemberKeys> all = new ArrayList<>();
        for (List<MemberKeys> l : lists) {
            all.addAll(l);
        }
        return all;
    }
}
