package org.emrsb.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.emrsb.avro.PrivacyReport;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.format.CanonicalJsonException;
import org.emrsb.core.privacy.ClassTally;
import org.emrsb.core.privacy.KAnonymityReport;
import org.emrsb.core.privacy.QuasiIdentifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The privacy monitor: emr.masked → emr.privacy.report (docs/privacy-report.md). Over tumbling windows of
 * the monitor's wall clock, it counts the records of each equivalence class of the configured
 * quasi-identifiers, per masking policy, and when a window ends publishes one report per policy seen in it
 * (an explicit empty report when it saw none): smallest class, classes below k, share of records in them.
 *
 * <p>Counts across partitions: emr.masked has many partitions, and an equivalence class spans them all.
 * Each record is reduced to its policy id and class key (a SHA-256 of the generalised quasi-identifiers,
 * nothing else) and repartitioned through the explicitly named one-partition topic
 * {@code <application id>-privacy-classes-repartition}, so that one task holds a window's counts whole.
 * Counting per partition and merging partial tallies would need every partition's partial before a
 * report could go out (an idle or lagging partition would hold the report back), and partials of class
 * counts are as large as the counts themselves; one small record per masked record is cheap beside the
 * gateway's signature. The repartition topic and the store's changelog carry masked, hashed values only.
 *
 * <p>State is small: one count per (window, policy, class), deleted once the window is reported. The
 * stage runs under the pipeline's exactly-once processing: a report and the deletion of its counts
 * commit together, so a restart neither loses nor repeats a window's report. An undecodable record or a
 * masked body that is not a JSON object goes to emr.rejected; it is not counted.
 */
public final class PrivacyTopology {

    public static final String SOURCE = "privacy-source";
    public static final String CLASSIFY = "privacy-classify";
    public static final String BRANCH = "privacy-branch-";
    public static final String DEAD_LETTER = "privacy-dead-letter";
    public static final String REJECTED_SINK = "privacy-rejected-sink";
    public static final String CLASS_KEY = "privacy-class-key";
    /** The repartition's name: its topic is {@code <application id>-privacy-classes-repartition}. */
    public static final String REPARTITION = "privacy-classes";
    public static final String COUNT = "privacy-count";
    public static final String REPORT_SINK = "privacy-report-sink";
    private static final String CLOSED = "#closed";
    /** What a masking policy's id may hold (docs/masking.md, policy files). */
    private static final java.util.regex.Pattern POLICY_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Logger LOG = LoggerFactory.getLogger(PrivacyTopology.class);

    /**
     * @param window          the length of the tumbling windows (aligned to the epoch: 10m windows start at
     *                        :00, :10, ... UTC)
     * @param punctuateEvery  how often the wall clock is checked for a window's end
     */
    public record Components(Serde<SignedMaskedRecord> masked, Serde<RejectedRecord> rejected,
            Serde<PrivacyReport> reports, QuasiIdentifiers quasiIdentifiers, int k, Duration window,
            Duration punctuateEvery) {
        public Components {
            if (window.toMillis() < 1) {
                throw new IllegalArgumentException("the window must be at least 1 ms");
            }
            new ClassTally(k); // checks k
        }
    }

    /** What the classifier makes of one masked record: its class, or a dead letter. */
    record Classified(String classKey, byte[] deadKey, RejectedRecord dead) {
    }

    private PrivacyTopology() {
    }

    public static void build(StreamsBuilder builder, Topics topics, Components components) {
        builder.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.PRIVACY_CLASSES),
                Serdes.String(), Serdes.Long()));
        Map<String, KStream<String, Classified>> branches = builder
                .stream(topics.spec(Topics.MASKED).name(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName(SOURCE))
                .process(() -> new Classifier(components), Named.as(CLASSIFY))
                .split(Named.as(BRANCH))
                .branch((policy, classified) -> classified.dead() != null, Branched.as("rejected"))
                .defaultBranch(Branched.as("counted"));
        branches.get(BRANCH + "rejected")
                .map((policy, classified) -> KeyValue.pair(classified.deadKey(), classified.dead()), Named.as(DEAD_LETTER))
                .to(topics.spec(Topics.REJECTED).name(), Produced.with(Serdes.ByteArray(), components.rejected())
                        .withName(REJECTED_SINK));
        branches.get(BRANCH + "counted")
                .mapValues(Classified::classKey, Named.as(CLASS_KEY))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.String()).withName(REPARTITION)
                        .withNumberOfPartitions(1))
                .process(() -> new Counter(components), Named.as(COUNT), Stores.PRIVACY_CLASSES)
                .to(topics.spec(Topics.PRIVACY_REPORT).name(), Produced.with(Serdes.String(), components.reports())
                        .withName(REPORT_SINK));
    }

    /** Masked record → (policy id, class key), or a dead letter. Keeps no state. */
    static final class Classifier implements Processor<String, byte[], String, Classified> {
        private final Components components;
        private ProcessorContext<String, Classified> context;

        Classifier(Components components) {
            this.components = components;
        }

        @Override
        public void init(ProcessorContext<String, Classified> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            SignedMaskedRecord masked;
            try {
                if (record.value() == null) {
                    throw new IllegalArgumentException("the record has no value");
                }
                masked = components.masked().deserializer().deserialize(Topics.MASKED, record.value());
            } catch (RuntimeException e) {
                reject(record, "bad-avro", "not a SignedMaskedRecord: " + e.getClass().getSimpleName());
                return;
            }
            if (!POLICY_ID.matcher(masked.getPolicyId()).matches()) {
                // A policy id is part of the store's keys (<window>/<policy>/<class>): no '/' may enter it.
                reject(record, "bad-avro", "policyId is not 1-64 of A-Z a-z 0-9 . _ -");
                return;
            }
            String classKey;
            try {
                classKey = components.quasiIdentifiers().classKey(masked.getMaskedBody().getBytes(StandardCharsets.UTF_8));
            } catch (CanonicalJsonException | QuasiIdentifiers.NotAnObjectException e) {
                // The problem only (its kind and position), never the body's text.
                reject(record, "bad-json", e instanceof CanonicalJsonException c ? "maskedBody: " + c.problem()
                        : "maskedBody is not a JSON object");
                return;
            } catch (RuntimeException e) {
                LOG.error("privacy classification failed on {}", where(), e);
                reject(record, "internal-error", e.getClass().getSimpleName());
                return;
            }
            context.forward(new Record<>(masked.getPolicyId(), new Classified(classKey, null, null),
                    record.timestamp(), new RecordHeaders()));
        }

        private String where() {
            return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
        }

        private void reject(Record<String, byte[]> record, String reason, String detail) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            LOG.info("privacy monitor rejected {} ({}): {}", where(), reason, detail);
            byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
            RejectedRecord dead = DeadLetters.letter(context.currentSystemTimeMs(), "privacy", reason, detail,
                    source.topic(), source.partition(), source.offset(), key, record.value());
            context.forward(new Record<>(null, new Classified(null, key, dead), record.timestamp(), new RecordHeaders()));
        }
    }

    /** The one task after the repartition: counts per window, policy and class; reports on the wall clock. */
    static final class Counter implements Processor<String, String, String, PrivacyReport> {
        private final Components components;
        private final long window;
        private ProcessorContext<String, PrivacyReport> context;
        private KeyValueStore<String, Long> counts;

        Counter(Components components) {
            this.components = components;
            this.window = components.window().toMillis();
        }

        @Override
        public void init(ProcessorContext<String, PrivacyReport> context) {
            this.context = context;
            this.counts = context.getStateStore(Stores.PRIVACY_CLASSES);
            context.schedule(components.punctuateEvery(), PunctuationType.WALL_CLOCK_TIME, this::closeWindows);
        }

        @Override
        public void process(Record<String, String> record) {
            String key = windowKey(windowStart(context.currentSystemTimeMs())) + "/" + record.key() + "/" + record.value();
            Long count = counts.get(key);
            counts.put(key, count == null ? 1 : count + 1);
        }

        private long windowStart(long time) {
            return Math.floorDiv(time, window) * window;
        }

        private static String windowKey(long start) {
            return String.format("%019d", start);
        }

        /**
         * Reports every window that ended before {@code now}, in order, one report per policy, and deletes
         * its counts. The window that just ended gets an empty report if it saw nothing, provided the
         * monitor was running when it began (it reported the window before); windows while the monitor was
         * down get none.
         */
        void closeWindows(long now) {
            long current = windowStart(now);
            String open = windowKey(current);
            List<String> done = new ArrayList<>();
            long tallyWindow = -1;
            String tallyPolicy = null;
            ClassTally tally = null;
            boolean lastReported = false;
            try (KeyValueIterator<String, Long> all = counts.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Long> entry = all.next();
                    if (entry.key.startsWith("#")) {
                        continue;
                    }
                    if (entry.key.compareTo(open) >= 0) {
                        break;
                    }
                    int slash = entry.key.indexOf('/', 20);
                    long start = Long.parseLong(entry.key.substring(0, 19));
                    String policy = entry.key.substring(20, slash);
                    if (tally != null && (start != tallyWindow || !policy.equals(tallyPolicy))) {
                        publish(tally, tallyWindow, tallyPolicy, now);
                        tally = null;
                    }
                    if (tally == null) {
                        tally = new ClassTally(components.k());
                        tallyWindow = start;
                        tallyPolicy = policy;
                    }
                    tally.add(entry.value);
                    lastReported |= start == current - window;
                    done.add(entry.key);
                }
            }
            if (tally != null) {
                publish(tally, tallyWindow, tallyPolicy, now);
            }
            done.forEach(counts::delete);
            Long closed = counts.get(CLOSED);
            if (closed != null && closed == current - window && !lastReported) {
                publish(new ClassTally(components.k()), current - window, null, now);
            }
            if (closed == null || closed < current) {
                counts.put(CLOSED, current);
            }
        }

        /** Reports the tally of the window that starts at {@code start}; {@code policy} null for an empty one. */
        private void publish(ClassTally tally, long start, String policy, long now) {
            KAnonymityReport report = tally.report(start, start + window, components.quasiIdentifiers().names(),
                    policy);
            context.forward(new Record<>(policy == null ? "" : policy, toAvro(report, now), now, new RecordHeaders()));
        }
    }

    /** The report as it goes on emr.privacy.report. */
    public static PrivacyReport toAvro(KAnonymityReport report, long reportedAt) {
        return PrivacyReport.newBuilder()
                .setWindowStart(Instant.ofEpochMilli(report.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(report.windowEnd()))
                .setPolicyId(report.policyId()).setK(report.k()).setQuasiIdentifiers(report.quasiIdentifiers())
                .setRecords(report.records()).setClasses(report.classes()).setSmallestClass(report.smallestClass())
                .setClassesBelowK(report.classesBelowK()).setRecordsBelowK(report.recordsBelowK())
                .setShareBelowK(report.shareBelowK()).setReportedAt(Instant.ofEpochMilli(reportedAt))
                .build();
    }
}
