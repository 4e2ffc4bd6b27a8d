package org.emrsb.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.avro.Submission;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.schemas.ConfluentWireDecoder;
import org.emrsb.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb demo}: submits records and prints what each stage of the pipeline made of them.
 * This release has the intake stage: records are published to emr.intake with the production serde and
 * read back as a Confluent-format consumer reads them. Each later stage extends the demo.
 */
@Command(name = "demo", description = "Submit the paper's sample records (or --records FILE) and print the result.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-output",
            description = "where the demo writes its files (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--records", paramLabel = "FILE",
            description = "records to submit, one JSON object per line (default: the paper's Table 1)")
    Path records;

    @Override
    public Integer call() throws IOException {
        EmrsbConfig config = common.config();
        List<RecordsFile.Entry> entries = readRecords();
        progress("%d record(s) from %s", entries.size(), records == null ? "the paper's Table 1" : records);

        progress("setting up topics and schemas on %s and %s", config.kafkaBootstrap(), config.registry().baseUrl());
        try (Admin admin = KafkaClients.admin(config)) {
            new TopicProvisioner(admin, config).ensure(config.topics());
        }
        SchemasCommand.registerAll(config);

        Map<Integer, List<Long>> positions = submit(config, entries);
        List<ConsumerRecord<byte[], byte[]>> readBack =
                TopicReader.readAt(config, Topics.INTAKE, positions, Duration.ofSeconds(30));
        Files.createDirectories(out);
        Path intakeFile = out.resolve("intake.jsonl");
        printIntake(config, readBack, intakeFile);

        progress("intake: done; the masking, offload, ledger and anchoring stages arrive in later releases");
        System.out.println();
        System.out.println("Output written to " + out.toAbsolutePath());
        return 0;
    }

    private List<RecordsFile.Entry> readRecords() throws IOException {
        if (records == null) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    DemoCommand.class.getResourceAsStream("/demo/paper-table1.jsonl"), StandardCharsets.UTF_8))) {
                return RecordsFile.read(reader, "paper-table1.jsonl");
            }
        }
        if (!Files.isReadable(records)) {
            throw new IllegalArgumentException("cannot read records file " + records);
        }
        try (BufferedReader reader = Files.newBufferedReader(records, StandardCharsets.UTF_8)) {
            return RecordsFile.read(reader, records.toString());
        }
    }

    private Map<Integer, List<Long>> submit(EmrsbConfig config, List<RecordsFile.Entry> entries) {
        Map<Integer, List<Long>> positions = new HashMap<>();
        try (Serde<Submission> serde = AvroSerdes.registry(config.registry(), false);
             KafkaProducer<String, Submission> producer = new KafkaProducer<>(
                     KafkaClients.producer(config, "emrsb-demo"), new StringSerializer(), serde.serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (RecordsFile.Entry entry : entries) {
                Submission submission = toSubmission(entry);
                sent.add(producer.send(new ProducerRecord<>(Topics.INTAKE, submission.getSubmissionId(), submission)));
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata meta = await(sent.get(i));
                positions.computeIfAbsent(meta.partition(), p -> new ArrayList<>()).add(meta.offset());
                progress("intake: record %d of %d -> %s-%d@%d", i + 1, sent.size(), meta.topic(), meta.partition(),
                        meta.offset());
            }
        }
        return positions;
    }

    /**
     * The raw submission. Keys and signature are empty in this release: signing arrives with the ledger
     * core, and the gateway (which refuses unsigned submissions) with the masking release.
     */
    private static Submission toSubmission(RecordsFile.Entry entry) {
        return Submission.newBuilder()
                .setSubmissionId(UUID.randomUUID().toString())
                .setSubmittedAt(Instant.now())
                .setFormat(entry.format())
                .setBody(entry.body())
                .setAttachments(List.of())
                .setSubmitterKey(ByteBuffer.allocate(0))
                .setCounterpartyKey(ByteBuffer.allocate(0))
                .setSignature(ByteBuffer.allocate(0))
                .build();
    }

    private void printIntake(EmrsbConfig config, List<ConsumerRecord<byte[], byte[]>> readBack, Path file)
            throws IOException {
        ConfluentWireDecoder decoder = new ConfluentWireDecoder(config.registry());
        System.out.println();
        System.out.println("== emr.intake, as a Confluent-format consumer reads it (RESTRICTED: raw identifiers) ==");
        try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (ConsumerRecord<byte[], byte[]> record : readBack) {
                int schemaId = ConfluentWireDecoder.schemaId(record.value());
                GenericRecord value = decoder.decode(record.value());
                System.out.printf("%s-%d@%d schema id %d: format=%s body=%s%n", record.topic(), record.partition(),
                        record.offset(), schemaId, value.get("format"), value.get("body"));
                writer.println(value);
            }
        }
        progress("intake: %d record(s) read back and decoded by schema id; written to %s", readBack.size(), file);
    }

    private static RecordMetadata await(Future<RecordMetadata> future) {
        try {
            return future.get(KafkaClients.CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing to " + Topics.INTAKE + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("publishing to " + Topics.INTAKE + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void progress(String format, Object... args) {
        System.err.printf("[demo] " + format + "%n", args);
    }
}
