package org.emrsb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.emrsb.app.BenchAccess;
import org.emrsb.app.EmrsbConfig;
import org.emrsb.stream.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end throughput of the pipeline on the real broker: records per second from the first intake
 * record to the last transaction on ledger.tx, through the gateway, offload, delegate and block stages
 * running in this JVM exactly as {@code ops/emrsb run --role gateway,offload,governance,delegate} runs
 * them (exactly-once, the product's serdes and settings), with the CPU each record costs beside the part
 * of it that is Ed25519.
 *
 * <p>A run: a new alliance (authority, gateway, delegate, doctors, patients) is enrolled; the stages
 * start under new application ids (consumer groups positioned at the topics' current ends, state in a
 * temporary folder); the doctors vote the delegate onto the board through the run's own governance
 * processor; a warm-up batch goes through; then the measured batch, signed beforehand, is produced to
 * emr.intake (as fast as possible, or at {@code --rate}) while an observer reads emr.masked,
 * emr.offloaded, ledger.tx and ledger.blocks (read_committed). Afterwards the run's internal topics and
 * consumer groups are deleted. {@code ops/bench pipeline} runs it; docs/benchmarks.md explains the
 * figures. Not a test: nothing asserts on time.
 */
@Command(name = "ops/bench pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Records per second through gateway, offload, delegate and block on the running stack.")
public final class PipelineThroughput implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "20000", description = "measured submissions (default ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--warmup", defaultValue = "10000",
            description = "warm-up submissions first, so the JIT compilers are mostly done (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--attachments", defaultValue = "0.01",
            description = "fraction of submissions with an attachment, offloaded to IPFS (default ${DEFAULT-VALUE})")
    double attachmentFraction;

    @Option(names = "--attachment-bytes", defaultValue = "1024", description = "attachment size (default ${DEFAULT-VALUE})")
    int attachmentBytes;

    @Option(names = "--rate", defaultValue = "0",
            description = "submissions per second into emr.intake; 0 = all at once, a backlog (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--layout", defaultValue = "combined",
            description = "combined: gateway+offload+governance in one instance, the delegate in its own (as ops/emrsb"
                    + " run --role gateway,offload,governance,delegate); split: one instance per stage (default ${DEFAULT-VALUE})")
    String layout;

    @Option(names = "--commit-interval", defaultValue = "100ms", description = "streams.commit-interval (default ${DEFAULT-VALUE})")
    String commitInterval;

    @Option(names = "--block-interval", defaultValue = "5s",
            description = "ledger.block.interval: only the last, partial blocks wait for it (default ${DEFAULT-VALUE})")
    String blockInterval;

    @Option(names = "--block-size", defaultValue = "1000", description = "ledger.block.max-transactions (default ${DEFAULT-VALUE})")
    int blockSize;

    @Option(names = "--subjects", defaultValue = "2000",
            description = "distinct patients the records are about: their pseudonyms spread records over the chains"
                    + " (default ${DEFAULT-VALUE})")
    int subjects;

    @Option(names = "--timeout", defaultValue = "300", description = "seconds each batch may take (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--quiet-wait", defaultValue = "300",
            description = "seconds to wait for other pipelines on the broker to finish first (default ${DEFAULT-VALUE})")
    int quietWaitSeconds;

    @Option(names = "--quiet-load", defaultValue = "0", paramLabel = "LOAD",
            description = "also wait (within --quiet-wait) until the 1-minute load average is below LOAD; 0: do not"
                    + " (default ${DEFAULT-VALUE})")
    double quietLoad;

    @Option(names = "--json", paramLabel = "FILE", description = "write the result as JSON to FILE")
    Path json;

    @Option(names = "--label", defaultValue = "", description = "a note stored with the result (e.g. the machine's load)")
    String label;

    private static final int DOCTORS = 4;
    private static final int PATIENTS = 16;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Map<String, String> threadGroups = new LinkedHashMap<>();
    private String delegateApplicationId;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineThroughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!layout.equals("combined") && !layout.equals("split")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--layout is combined or split");
        }
        if (records < 1 || warmup < 0 || attachmentFraction < 0 || attachmentFraction > 1 || subjects < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "check --records, --warmup, --attachments, --subjects");
        }
        Instant startedAt = Instant.now();
        String runId = "emrsb-bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + Integer.toHexString(new java.security.SecureRandom().nextInt(0x10000));
        EmrsbConfig base = EmrsbConfig.load(null);
        double loadBefore = CpuMeter.loadAverage();
        progress("run %s on %s (registry %s, IPFS %s); load average %.2f", runId, base.kafkaBootstrap(),
                base.registry().baseUrl(), base.ipfsApi(), loadBefore);
        try {
            BenchAccess.ensureTopicsAndSchemas(base);
        } catch (IllegalStateException e) {
            // A broker shared with other branches may hold a topic this build would lay out differently (one
            // the pipeline's stages do not use, typically); the run needs only the stages' own topics.
            progress("NOTE: topics or schemas differ from this build's (%s); running on the topics as they are",
                    e.getMessage());
        }
        // governance.epochs is shared and its last epoch is the current one for every delegate on the broker:
        // another run's governance processor voting its own delegate in unseats this run's delegate (and this
        // run's vote unseats theirs). So wait until no other pipeline is running, which also keeps their load
        // out of the figures.
        List<String> concurrentBefore;
        try (Admin admin = BenchAccess.admin(base)) {
            long quietDeadline = System.currentTimeMillis() + quietWaitSeconds * 1000L;
            concurrentBefore = activeGroups(admin, runId);
            while ((!concurrentBefore.isEmpty() || (quietLoad > 0 && CpuMeter.loadAverage() >= quietLoad))
                    && System.currentTimeMillis() < quietDeadline) {
                progress("waiting for a quiet machine (up to %d s more): load average %.2f, other pipelines %s",
                        (quietDeadline - System.currentTimeMillis()) / 1000, CpuMeter.loadAverage(), concurrentBefore);
                Thread.sleep(10_000);
                concurrentBefore = activeGroups(admin, runId);
            }
        }
        if (!concurrentBefore.isEmpty()) {
            progress("NOTE: other consumer groups are active on this broker; the figures will share the machine"
                    + " with them, and their governance may unseat this run's delegate: %s", concurrentBefore);
        }
        loadBefore = CpuMeter.loadAverage();

        Path work = Files.createTempDirectory("emrsb-bench-");
        progress("scratch folder %s", work);
        try {
            PipelineCast cast = new PipelineCast(work, DOCTORS, PATIENTS);
            cast.enrolAll(base, Duration.ofSeconds(2L * timeoutSeconds + 900));
            EmrsbConfig config = base.with(Map.of(
                    "governance.authority-key", cast.authority.verifyingKey().toString(),
                    "gateway.key-file", cast.gatewayKeyFile.toString(),
                    "gateway.secret-file", cast.gatewaySecretFile.toString(),
                    "delegate.key-file", cast.delegateKeyFile.toString(),
                    "ledger.block.interval", blockInterval,
                    "ledger.block.max-transactions", Integer.toString(blockSize),
                    "streams.commit-interval", commitInterval,
                    "streams.state-dir", work.resolve("state").toString(),
                    "query.listen", "",
                    // the pipeline's own stages, without monitors (MonitorBench measures a monitor's cost)
                    "ledger.quorum", "0"), "pipeline benchmark " + runId);
            progress("enrolled a new alliance: authority %s, gateway, delegate %s, %d doctors, %d patients",
                    cast.authority.verifyingKey(), cast.delegate.verifyingKey(), DOCTORS, PATIENTS);

            int attachmentEvery = attachmentFraction <= 0 ? 0 : (int) Math.max(1, Math.round(1 / attachmentFraction));
            if (attachmentEvery > 0) {
                try (var ipfs = new org.emrsb.core.ipfs.KuboClient(java.net.URI.create(base.ipfsApi()), Duration.ofSeconds(10))) {
                    ipfs.id();
                } catch (Exception e) {
                    throw new IllegalStateException("the IPFS node at " + base.ipfsApi() + " does not answer (" + e.getMessage()
                            + "); bring it up, or run with --attachments 0", e);
                }
            }
            long signStart = System.nanoTime();
            List<PipelineCast.Prepared> prepared = cast.submissions(config, runId, warmup + records, subjects,
                    attachmentEvery, attachmentBytes, 42);
            int attachments = (int) prepared.subList(warmup, prepared.size()).stream()
                    .filter(PipelineCast.Prepared::withAttachment).count();
            progress("signed %,d submissions in %.1f s (%,d warm-up, %,d measured, %,d of them with a %,d-byte attachment)",
                    prepared.size(), (System.nanoTime() - signStart) / 1e9, warmup, records, attachments, attachmentBytes);

            // Application ids and the stages they run.
            Map<String, Set<String>> instances = new LinkedHashMap<>();
            if (layout.equals("combined")) {
                instances.put(runId, Set.of("gateway", "offload", "governance"));
                threadGroups.put(runId, "gateway+offload+governance instance");
            } else {
                for (String stage : List.of("gateway", "offload", "governance")) {
                    instances.put(runId + "-" + stage, Set.of(stage));
                    threadGroups.put(runId + "-" + stage, stage + " instance");
                }
            }
            delegateApplicationId = runId + BenchAccess.delegatesSuffix();
            String gatewayGroup = layout.equals("combined") ? runId : runId + "-gateway";
            String offloadGroup = layout.equals("combined") ? runId : runId + "-offload";
            String governanceGroup = layout.equals("combined") ? runId : runId + "-governance";

            List<AutoCloseable> toClose = new ArrayList<>();
            PipelineObserver observer = null;
            Map<String, Object> result;
            try (Admin admin = BenchAccess.admin(config)) {
                // New groups start where the shared topics end now, not at their beginning (other runs' records).
                Map<TopicPartition, Long> ends = endOffsets(admin, Stream.concat(PipelineObserver.topics().stream(),
                        Stream.of(Topics.INTAKE, Topics.GOVERNANCE_VOTES)).distinct().toList());
                position(admin, gatewayGroup, ends, Topics.INTAKE);
                position(admin, offloadGroup, ends, Topics.MASKED);
                position(admin, governanceGroup, ends, Topics.GOVERNANCE_VOTES);
                position(admin, delegateApplicationId, ends, Topics.OFFLOADED);

                Map<TopicPartition, Long> observed = new HashMap<>();
                ends.forEach((tp, offset) -> {
                    if (PipelineObserver.topics().contains(tp.topic())) {
                        observed.put(tp, offset);
                    }
                });
                observer = new PipelineObserver(config, cast.delegate.verifyingKey().toString(), observed,
                        prepared.stream().map(PipelineCast.Prepared::id).toList(), warmup, records);
                observer.start();

                List<BenchAccess.Instance> stages = new ArrayList<>();
                for (Map.Entry<String, Set<String>> e : instances.entrySet()) {
                    BenchAccess.Instance instance = BenchAccess.start(config, e.getValue(), e.getKey());
                    toClose.add(0, instance);
                    stages.add(instance);
                }
                for (BenchAccess.Instance instance : stages) {
                    instance.awaitRunning(START_TIMEOUT);
                }
                progress("stages running (%s, application id%s %s); the doctors vote the delegate onto the board",
                        layout, instances.size() > 1 ? "s" : "", String.join(", ", instances.keySet()));
                cast.elect(config);
                BenchAccess.Instance delegate = BenchAccess.start(config, Set.of("delegate"), runId);
                toClose.add(0, delegate);
                delegate.awaitRunning(START_TIMEOUT);
                progress("delegate ACTIVE and running (application id %s)", delegateApplicationId);
                List<BenchAccess.Instance> all = new ArrayList<>(stages);
                all.add(delegate);
                result = measure(config, prepared, observer, all, delegate, runId);
            } finally {
                for (AutoCloseable c : toClose) {
                    closeQuietly(c);
                }
                if (observer != null) {
                    observer.close();
                }
                cleanUp(base, runId, work);
            }

            // The signatures, in this JVM, on the bytes the pipeline signed and verified, with the pipeline stopped.
            Map<String, Object> signatures = signatureCosts(cast, prepared, observer, result);
            result.put("signatures", signatures);
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("benchmark", "pipeline-throughput");
            document.put("date", startedAt.toString());
            document.put("label", label);
            document.put("machine", machine(loadBefore, concurrentBefore));
            document.put("parameters", parameters(attachments));
            document.putAll(result);
            printSummary(document);
            if (json != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), document);
                progress("result written to %s", json);
            }
        } finally {
            deleteFolder(work);
            deleteGroups(base, runId);
        }
        return 0;
    }

    private Map<String, Object> measure(EmrsbConfig config, List<PipelineCast.Prepared> prepared,
            PipelineObserver observer, List<BenchAccess.Instance> instances, BenchAccess.Instance delegate,
            String runId) throws Exception {
        Map<String, Path> stackPids = new LinkedHashMap<>();
        String home = System.getenv("EMRSB_HOME");
        if (home != null) {
            stackPids.put("broker", Path.of(home, "run", "kafka.pid"));
            stackPids.put("registry", Path.of(home, "run", "registry.pid"));
            stackPids.put("ipfs", Path.of(home, "run", "ipfs.pid"));
        }
        CpuMeter meter = new CpuMeter(stackPids);
        long[] intakeAt = new long[prepared.size()];
        Runnable check = () -> {
            try {
                for (BenchAccess.Instance instance : instances) {
                    if (instance.stopped()) {
                        throw new IllegalStateException("a pipeline instance stopped during the run"
                                + (delegate.delegateLeftBecause() == null ? "" : ": " + delegate.delegateLeftBecause())
                                + (delegate.delegateLeftBecause() != null && delegate.delegateLeftBecause().contains("epoch")
                                        ? " (another governance processor on this broker published a later epoch"
                                                + " without this run's delegate; run again when the broker is quiet)" : ""));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        java.util.Properties props = producerSettings(config);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            if (warmup > 0) {
                long w0 = System.currentTimeMillis();
                produce(producer, prepared, 0, warmup, intakeAt);
                if (!observer.awaitPhase(0, System.currentTimeMillis() + timeoutSeconds * 1000L, check)) {
                    throw new IllegalStateException("warm-up: " + observer.finished(0) + " of " + warmup
                            + " submissions came out within " + timeoutSeconds + " s");
                }
                progress("warm-up: %,d submissions through in %.1f s", warmup, (System.currentTimeMillis() - w0) / 1e3);
            }

            Map<String, Double> blocked0 = StreamThreadMetrics.blockedNanos();
            CpuMeter.Snapshot s0 = meter.take();
            long t0 = System.currentTimeMillis();
            double[] lastTick = {t0, observer.seen(PipelineObserver.TX)};
            CpuMeter.Snapshot[] lastSnapshot = {s0};
            ticker.scheduleAtFixedRate(() -> {
                long now = System.currentTimeMillis();
                CpuMeter.Snapshot s = meter.take();
                CpuMeter.Usage u = CpuMeter.between(lastSnapshot[0], s, this::group);
                int tx = observer.seen(PipelineObserver.TX);
                double stack = u.others().values().stream().mapToDouble(Double::doubleValue).sum();
                progress("%5.1f s: masked %,d, offloaded %,d, ledger.tx %,d (%,.0f/s), blocks %d, refused %d | cores busy:"
                        + " this JVM %.2f, stack %.2f, others %.2f", (now - t0) / 1e3,
                        observer.seen(PipelineObserver.MASKED) - warmup,
                        observer.seen(PipelineObserver.OFFLOADED) - warmup, tx - warmup,
                        (tx - lastTick[1]) / ((now - lastTick[0]) / 1e3), observer.blocks(), observer.rejected(),
                        u.cores(u.processCpu()), u.cores(stack),
                        Math.max(0, u.cores(u.machineBusy() - u.processCpu() - stack)));
                lastTick[0] = now;
                lastTick[1] = tx;
                lastSnapshot[0] = s;
            }, 2, 2, TimeUnit.SECONDS);

            produce(producer, prepared, warmup, prepared.size(), intakeAt);
            long producedAt = System.currentTimeMillis();
            if (!observer.awaitPhase(1, t0 + timeoutSeconds * 1000L, check)) {
                throw new IllegalStateException("only " + observer.finished(1) + " of " + records
                        + " submissions came out within " + timeoutSeconds + " s");
            }
            CpuMeter.Snapshot s1 = meter.take();
            long t1 = System.currentTimeMillis();
            Map<String, Double> blocked1 = StreamThreadMetrics.blockedNanos();
            Map<String, Map<String, Double>> threadMetrics = StreamThreadMetrics.atEnd();
            ticker.shutdownNow();
            double load = CpuMeter.loadAverage();

            // The last blocks seal after the block interval: wait for every measured transaction's block.
            Map<Long, Long> needed = new HashMap<>();
            for (int i = warmup; i < prepared.size(); i++) {
                if (observer.chainOf[i] >= 0) {
                    needed.merge(observer.chainOf[i], observer.sequenceOf[i], Math::max);
                }
            }
            long sealDeadline = t1 + config.duration("ledger.block.interval").toMillis() * 3 + 30_000;
            long t2 = -1;
            while (System.currentTimeMillis() < sealDeadline) {
                Map<Long, Long> sealed = observer.sealedUpTo();
                if (needed.entrySet().stream().allMatch(e -> sealed.getOrDefault(e.getKey(), -1L) >= e.getValue())) {
                    t2 = System.currentTimeMillis();
                    break;
                }
                Thread.sleep(50);
            }
            progress("done: %,d on ledger.tx in %.2f s%s", observer.finished(1), (t1 - t0) / 1e3,
                    t2 < 0 ? "; NOT every transaction was sealed in a block in time" : String.format(Locale.ROOT,
                            "; every one sealed in a block by %.2f s", (t2 - t0) / 1e3));
            Map<String, Object> r = results(observer, intakeAt, t0, producedAt, t1, t2, CpuMeter.between(s0, s1, this::group),
                    load, runId);
            Map<String, Object> streamThreads = new LinkedHashMap<>();
            threadMetrics.forEach((thread, values) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                Double before = blocked0.get(thread);
                Double after = blocked1.get(thread);
                if (before != null && after != null) {
                    m.put("blockedOnKafkaSeconds", (after - before) / 1e9);
                    m.put("blockedShareOfWindow", (after - before) / 1e6 / (t1 - t0));
                }
                m.put("kafkaStreamsMetricsAtEnd", values);
                streamThreads.put(group(thread), m);
            });
            map(r.get("cpu")).put("streamThreads", streamThreads);
            return r;
        } finally {
            ticker.shutdownNow();
        }
    }

    private java.util.Properties producerSettings(EmrsbConfig config) {
        java.util.Properties props = BenchAccess.producer(config, "emrsb-bench-intake");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return props;
    }

    private void produce(KafkaProducer<byte[], byte[]> producer, List<PipelineCast.Prepared> prepared, int from, int to,
            long[] intakeAt) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            if (rate > 0) {
                long due = start + (long) ((i - from) * (1e9 / rate));
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            PipelineCast.Prepared p = prepared.get(i);
            long now = System.currentTimeMillis();
            intakeAt[i] = now;
            producer.send(new ProducerRecord<>(Topics.INTAKE, null, now, p.id().getBytes(StandardCharsets.UTF_8),
                    p.value()), (meta, e) -> {
                        if (e != null) {
                            failed.compareAndSet(null, e);
                        }
                    });
        }
        producer.flush();
        if (failed.get() != null) {
            throw new IllegalStateException("producing to " + Topics.INTAKE + " failed: " + failed.get(), failed.get());
        }
    }

    private Map<String, Object> results(PipelineObserver o, long[] intakeAt, long t0, long producedAt, long t1, long t2,
            CpuMeter.Usage usage, double loadAfter, String runId) {
        int from = warmup;
        int to = warmup + records;
        int onLedger = 0;
        for (int i = from; i < to; i++) {
            if (o.seenAt[PipelineObserver.TX][i] != 0) {
                onLedger++;
            }
        }
        double window = (t1 - t0) / 1e3;
        Map<String, Object> r = new LinkedHashMap<>();
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("records", records);
        throughput.put("onLedger", onLedger);
        throughput.put("refused", o.rejectedReasons());
        // Cross-talk on the shared topics: other pipelines that read this run's records while it ran.
        throughput.put("refusedByOtherPipelines", o.refusedElsewhere());
        throughput.put("duplicatedByOtherPipelines", o.duplicates());
        throughput.put("seconds", window);
        throughput.put("recordsPerSecond", onLedger / window);
        throughput.put("intakeProducedSeconds", (producedAt - t0) / 1e3);
        r.put("throughput", throughput);

        Map<String, Object> stages = new LinkedHashMap<>();
        String[] names = {"emr.masked", "emr.offloaded", "ledger.tx"};
        for (int s = 0; s < 3; s++) {
            long first = Long.MAX_VALUE;
            long last = 0;
            int count = 0;
            for (int i = from; i < to; i++) {
                long at = o.seenAt[s][i];
                if (at != 0) {
                    first = Math.min(first, at);
                    last = Math.max(last, at);
                    count++;
                }
            }
            Map<String, Object> stage = new LinkedHashMap<>();
            stage.put("records", count);
            stage.put("firstSeconds", count == 0 ? null : (first - t0) / 1e3);
            stage.put("allSeconds", count == 0 ? null : (last - t0) / 1e3);
            stage.put("recordsPerSecond", count == 0 ? null : count / ((last - t0) / 1e3));
            stages.put(names[s], stage);
        }
        List<PipelineObserver.Block> blocks = o.blockList().stream().filter(b -> b.seenAt() >= t0)
                .sorted(Comparator.comparingLong(PipelineObserver.Block::seenAt)).toList();
        Map<String, Object> blockStage = new LinkedHashMap<>();
        blockStage.put("blocks", blocks.size());
        blockStage.put("transactions", blocks.stream().mapToLong(PipelineObserver.Block::txCount).sum());
        blockStage.put("blocksInWindow", blocks.stream().filter(b -> b.seenAt() <= t1).count());
        blockStage.put("allSealedSeconds", t2 < 0 ? null : (t2 - t0) / 1e3);
        blockStage.put("maxTransactions", blockSize);
        blockStage.put("interval", blockInterval);
        stages.put("ledger.blocks", blockStage);
        r.put("stages", stages);

        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("intake->emr.masked (visible)", percentiles(o.seenAt[PipelineObserver.MASKED], intakeAt, from, to));
        latency.put("intake->emr.offloaded (visible)", percentiles(o.seenAt[PipelineObserver.OFFLOADED], intakeAt, from, to));
        latency.put("intake->ledger.tx (signed)", percentiles(o.signedAt, intakeAt, from, to));
        latency.put("intake->ledger.tx (visible)", percentiles(o.seenAt[PipelineObserver.TX], intakeAt, from, to));
        r.put("latencyMillis", latency);

        Map<String, Object> cpu = new LinkedHashMap<>();
        double harness = usage.byGroup().entrySet().stream().filter(e -> e.getKey().startsWith("harness"))
                .mapToDouble(Map.Entry::getValue).sum();
        double pipelineCpu = usage.processCpu() - harness;
        cpu.put("windowSeconds", usage.wallSeconds());
        cpu.put("processCpuSeconds", usage.processCpu());
        cpu.put("harnessCpuSeconds", harness);
        cpu.put("pipelineCpuSeconds", pipelineCpu);
        cpu.put("pipelineCpuMicrosPerRecord", pipelineCpu * 1e6 / onLedger);
        // The JIT compilers still work after the warm-up; without them, the steady state's cost.
        double jit = usage.nativeThreads().getOrDefault("JIT compiler threads", 0.0);
        cpu.put("jitCpuSeconds", jit);
        cpu.put("pipelineCpuMicrosPerRecordWithoutJit", (pipelineCpu - jit) * 1e6 / onLedger);
        cpu.put("processCpuMicrosPerRecord", usage.processCpu() * 1e6 / onLedger);
        Map<String, Object> groups = new LinkedHashMap<>();
        usage.byGroup().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> groups.put(e.getKey(), e.getValue()));
        double nativeKnown = 0;
        for (Map.Entry<String, Double> e : usage.nativeThreads().entrySet()) {
            groups.put("JVM internal: " + e.getKey(), e.getValue());
            nativeKnown += e.getValue();
        }
        groups.put("JVM internal: other (threads that ended, native threads not recognised)",
                Math.max(0, usage.unattributed() - nativeKnown));
        cpu.put("byThreadGroupSeconds", groups);
        Map<String, Double> threads = new LinkedHashMap<>();
        usage.byThread().forEach((name, seconds) -> threads.merge(name.replace(runId, "<run>")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>"), seconds, Double::sum));
        Map<String, Object> top = new LinkedHashMap<>();
        threads.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(15)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        cpu.put("topThreadsSeconds", top);
        cpu.put("gc", Map.of("collections", usage.gcCount(), "seconds", usage.gcSeconds()));
        cpu.put("jitCompilationSecondsWall", usage.compilationSeconds());
        Map<String, Object> others = new LinkedHashMap<>();
        int done = onLedger;
        usage.others().forEach((process, seconds) -> others.put(process, Map.of("cpuSeconds", seconds,
                "microsPerRecord", seconds * 1e6 / done)));
        cpu.put("stackProcesses", others);
        double ownAndStack = usage.processCpu() + usage.others().values().stream().mapToDouble(Double::doubleValue).sum();
        cpu.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "busyCoreSeconds", usage.machineBusy(), "busyCores", usage.cores(usage.machineBusy()),
                "othersCoreSeconds", Math.max(0, usage.machineBusy() - ownAndStack),
                "loadAverageAfter", loadAfter));
        r.put("cpu", cpu);
        return r;
    }

    private static Map<String, Object> percentiles(long[] at, long[] intakeAt, int from, int to) {
        long[] values = new long[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (at[i] != 0) {
                values[n++] = at[i] - intakeAt[i];
            }
        }
        values = Arrays.copyOf(values, n);
        Arrays.sort(values);
        Map<String, Object> p = new LinkedHashMap<>();
        if (n == 0) {
            return p;
        }
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            p.put("p" + (int) Math.round(q * 100), values[Math.min(n - 1, (int) Math.ceil(q * n) - 1)]);
        }
        p.put("max", values[n - 1]);
        return p;
    }

    /** Thread name to its group: the instance it belongs to and what it does, or the harness. */
    private String group(String name) {
        if (name == null) {
            return "other Java threads";
        }
        if (name.equals(PipelineObserver.THREAD)) {
            return "harness: observer";
        }
        if (name.equals("main") || name.contains("emrsb-bench-intake")) {
            return "harness: producer";
        }
        if (name.startsWith("bench-")) {
            return "harness: progress";
        }
        if (name.startsWith("kubo-client")) {
            return "offload: IPFS client threads";
        }
        if (name.startsWith("HttpClient")) {
            return "HTTP client selectors (IPFS, registry)";
        }
        if (delegateApplicationId != null && name.contains(delegateApplicationId)) {
            return "delegate+block instance: " + kind(name);
        }
        // Longest application id first, so that "id-gateway" is not taken for "id".
        return threadGroups.entrySet().stream().sorted(Comparator.comparingInt(
                        (Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .filter(e -> name.contains(e.getKey())).findFirst()
                .map(e -> e.getValue() + ": " + kind(name)).orElse("other Java threads");
    }

    private static String kind(String thread) {
        if (thread.contains("producer-network-thread")) {
            return "producer I/O";
        }
        if (thread.contains("GlobalStreamThread")) {
            return "global store thread";
        }
        if (thread.contains("-StreamThread-")) {
            return "stream thread";
        }
        return "other";
    }

    private Map<String, Object> signatureCosts(PipelineCast cast, List<PipelineCast.Prepared> prepared,
            PipelineObserver o, Map<String, Object> result) {
        progress("signature micro-run (this JVM, the pipeline stopped, the bytes it signed and verified)");
        long millis = 1000;
        List<SignatureCost.Cost> costs = new ArrayList<>();
        costs.add(SignatureCost.verify("gateway: verify the submitter's signature", cast.sampleSubmitter,
                cast.sampleSubmission, cast.sampleSubmissionSignature, millis));
        costs.add(SignatureCost.sign("gateway: sign the masked record", cast.gateway.signingKey(), o.sampleMasked, millis));
        costs.add(SignatureCost.verify("delegate: verify the gateway's signature", cast.gateway.verifyingKey(),
                o.sampleMasked, o.sampleGatewaySignature, millis));
        costs.add(SignatureCost.sign("delegate: sign the transaction", cast.delegate.signingKey(), o.sampleTransaction,
                millis));
        SignatureCost.Cost block = SignatureCost.sign("block: sign the header", cast.delegate.signingKey(),
                o.sampleBlockHeader, millis);
        costs.add(block);
        Map<String, Object> stages = map(result.get("stages"));
        Map<String, Object> blocks = map(stages.get("ledger.blocks"));
        long sealed = ((Number) blocks.get("blocks")).longValue();
        long sealedTransactions = ((Number) blocks.get("transactions")).longValue();
        double blocksPerRecord = sealedTransactions == 0 ? 0 : sealed / (double) sealedTransactions;
        double perRecord = 0;
        Map<String, Object> ops = new LinkedHashMap<>();
        for (SignatureCost.Cost c : costs) {
            double times = c == block ? blocksPerRecord : 1;
            perRecord += times * c.cpuMicros();
            ops.put(c.name(), Map.of("messageBytes", c.messageBytes(), "cpuMicros", c.cpuMicros(),
                    "perSecondWall", c.wallRate(), "perRecord", times));
        }
        double verify = (costs.get(0).cpuMicros() + costs.get(2).cpuMicros()) / 2;
        Map<String, Object> cpu = map(result.get("cpu"));
        double pipelinePerRecord = ((Number) cpu.get("pipelineCpuMicrosPerRecord")).doubleValue();
        double withoutJit = ((Number) cpu.get("pipelineCpuMicrosPerRecordWithoutJit")).doubleValue();
        double broker = 0;
        Map<String, Object> stack = map(cpu.get("stackProcesses"));
        if (stack.get("broker") != null) {
            broker = ((Number) map(stack.get("broker")).get("microsPerRecord")).doubleValue();
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("operations", ops);
        s.put("cpuMicrosPerRecord", perRecord);
        s.put("shareOfPipelineCpu", perRecord / pipelinePerRecord);
        s.put("shareOfPipelineCpuWithoutJit", perRecord / withoutJit);
        s.put("shareOfPipelineAndBrokerCpu", perRecord / (pipelinePerRecord + broker));
        s.put("shareOfPipelineWithoutJitAndBrokerCpu", perRecord / (withoutJit + broker));
        s.put("recordsPerSecondBoundBySignaturesPerCore", 1e6 / perRecord);
        s.put("withOneMonitorCpuMicrosPerRecord", perRecord + 2 * verify);
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private Map<String, Object> parameters(int attachments) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("records", records);
        p.put("warmup", warmup);
        p.put("withAttachment", attachments);
        p.put("attachmentBytes", attachmentBytes);
        p.put("rate", rate == 0 ? "unthrottled (backlog)" : rate);
        p.put("layout", layout);
        p.put("commitInterval", commitInterval);
        p.put("blockInterval", blockInterval);
        p.put("blockMaxTransactions", blockSize);
        p.put("subjects", subjects);
        p.put("partitions", Topics.defaults().recordPartitions());
        p.put("processingGuarantee", "exactly_once_v2");
        return p;
    }

    private static Map<String, Object> machine(double loadBefore, List<String> concurrent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", firstLine(Path.of("/proc/cpuinfo"), "model name"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory", firstLine(Path.of("/proc/meminfo"), "MemTotal"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("jvmArguments", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        m.put("loadAverageBefore", loadBefore);
        m.put("otherActiveConsumerGroups", concurrent);
        return m;
    }

    private static String firstLine(Path file, String prefix) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, r) -> ends.put(tp, r.offset()));
        return ends;
    }

    private static void position(Admin admin, String group, Map<TopicPartition, Long> ends, String topic)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        ends.forEach((tp, offset) -> {
            if (tp.topic().equals(topic)) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        });
        admin.alterConsumerGroupOffsets(group, offsets).all().get(30, TimeUnit.SECONDS);
    }

    /** Consumer groups other than this run's that have members now. */
    private static List<String> activeGroups(Admin admin, String runId) throws Exception {
        List<String> active = new ArrayList<>();
        for (GroupListing g : admin.listGroups().all().get(30, TimeUnit.SECONDS)) {
            GroupState state = g.groupState().orElse(GroupState.UNKNOWN);
            if (!g.groupId().startsWith(runId) && state != GroupState.EMPTY && state != GroupState.DEAD) {
                active.add(g.groupId() + " (" + state + ")");
            }
        }
        return active;
    }

    /** Deletes the run's internal topics (changelogs) and its scratch folder. */
    private static void cleanUp(EmrsbConfig config, String runId, Path work) {
        try (Admin admin = BenchAccess.admin(config)) {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(runId)).toList();
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
            }
            progress("cleaned up: %d internal topics of %s deleted", topics.size(), runId);
        } catch (Exception e) {
            progress("could not delete the run's internal topics (%s); they are named %s*", e.getMessage(), runId);
        }
        deleteFolder(work);
    }

    private static void deleteFolder(Path work) {
        if (!Files.exists(work)) {
            return;
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            progress("could not delete %s: %s", work, e.getMessage());
        }
    }

    /** Deletes the run's consumer groups, once their members' sessions expired (at most 90 s). */
    private static void deleteGroups(EmrsbConfig config, String runId) {
        try (Admin admin = BenchAccess.admin(config)) {
            // A closed Streams instance does not leave its group; the group empties after the session timeout.
            List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId).filter(g -> g.startsWith(runId)).toList();
            long deadline = System.currentTimeMillis() + 90_000;
            List<String> left = new ArrayList<>(groups);
            while (!left.isEmpty()) {
                for (var e : admin.deleteConsumerGroups(List.copyOf(left)).deletedGroups().entrySet()) {
                    try {
                        e.getValue().get(30, TimeUnit.SECONDS);
                        left.remove(e.getKey());
                    } catch (java.util.concurrent.ExecutionException notYet) {
                        if (!(notYet.getCause() instanceof org.apache.kafka.common.errors.GroupNotEmptyException)) {
                            throw notYet;
                        }
                    }
                }
                if (left.isEmpty() || System.currentTimeMillis() > deadline) {
                    break;
                }
                progress("waiting for %s to empty (session timeout) before deleting it", left);
                Thread.sleep(10_000);
            }
            progress("cleaned up: %d of %d consumer groups of %s deleted", groups.size() - left.size(), groups.size(),
                    runId);
        } catch (Exception e) {
            progress("could not delete the run's consumer groups (%s); they are named %s*", e.getMessage(), runId);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            progress("closing: %s", e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private void printSummary(Map<String, Object> d) {
        Map<String, Object> t = map(d.get("throughput"));
        Map<String, Object> stages = map(d.get("stages"));
        Map<String, Object> cpu = map(d.get("cpu"));
        Map<String, Object> sig = map(d.get("signatures"));
        Map<String, Object> machine = map(d.get("machine"));
        Map<String, Object> machineCpu = map(cpu.get("machine"));
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n== EMRSB pipeline throughput: %,d records, layout %s, commit interval %s,"
                + " intake %s ==%n", records, layout, commitInterval, rate == 0 ? "all at once" : rate + "/s"));
        out.append(String.format(Locale.ROOT, "machine: %s, %s cores; load average %.2f before, %.2f after; other active"
                + " consumer groups: %s%n", machine.get("cpu"), machine.get("cores"), machine.get("loadAverageBefore"),
                machineCpu.get("loadAverageAfter"), machine.get("otherActiveConsumerGroups")));
        out.append(String.format(Locale.ROOT, "end to end: %,d on ledger.tx in %.2f s = %,.0f records/s (intake produced"
                + " in %.2f s; refused: %s)%n", t.get("onLedger"), t.get("seconds"), t.get("recordsPerSecond"),
                t.get("intakeProducedSeconds"), t.get("refused")));
        if (((Number) t.get("refusedByOtherPipelines")).intValue() > 0
                || ((Number) t.get("duplicatedByOtherPipelines")).intValue() > 0) {
            out.append(String.format(Locale.ROOT, "  NOTE: other pipelines on the broker read this run's records (%s refused"
                    + " as unknown members, %s forwarded again and signed twice): the figures include that cross-talk%n",
                    t.get("refusedByOtherPipelines"), t.get("duplicatedByOtherPipelines")));
        }
        for (String name : List.of("emr.masked", "emr.offloaded", "ledger.tx")) {
            Map<String, Object> s = map(stages.get(name));
            out.append(String.format(Locale.ROOT, "  %-14s %,6d visible, all by %6.2f s (%,.0f/s)%n", name, s.get("records"),
                    s.get("allSeconds"), s.get("recordsPerSecond")));
        }
        Map<String, Object> b = map(stages.get("ledger.blocks"));
        out.append(String.format(Locale.ROOT, "  %-14s %,6d blocks of %,d transactions; every measured transaction sealed"
                + " by %s s%n", "ledger.blocks", b.get("blocks"), b.get("transactions"), b.get("allSealedSeconds")));
        out.append("latency, ms (p50 / p90 / p99 / max):\n");
        map(d.get("latencyMillis")).forEach((k, v) -> {
            Map<String, Object> p = map(v);
            out.append(String.format(Locale.ROOT, "  %-32s %s / %s / %s / %s%n", k, p.get("p50"), p.get("p90"),
                    p.get("p99"), p.get("max")));
        });
        out.append(String.format(Locale.ROOT, "CPU over the %.2f s window (seconds of one core): this JVM %.2f"
                + " (%.2f cores), of which the harness %.2f%n", cpu.get("windowSeconds"), cpu.get("processCpuSeconds"),
                ((Number) cpu.get("processCpuSeconds")).doubleValue() / ((Number) cpu.get("windowSeconds")).doubleValue(),
                cpu.get("harnessCpuSeconds")));
        map(cpu.get("byThreadGroupSeconds")).forEach((k, v) -> {
            if (((Number) v).doubleValue() >= 0.005) {
                out.append(String.format(Locale.ROOT, "  %-70s %6.2f  (%,.1f µs/record)%n", k, v,
                        ((Number) v).doubleValue() * 1e6 / ((Number) t.get("onLedger")).doubleValue()));
            }
        });
        StringBuilder busy = new StringBuilder();
        map(cpu.get("byThreadGroupSeconds")).forEach((k, v) -> {
            if (k.endsWith("stream thread") && ((Number) v).doubleValue() >= 0.05) {
                busy.append(busy.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f %%",
                        k.substring(0, k.indexOf(':')), 100 * ((Number) v).doubleValue()
                                / ((Number) cpu.get("windowSeconds")).doubleValue()));
            }
        });
        out.append("  stream threads on a core (the rest of the time they wait: commits, fetches, IPFS): ").append(busy)
                .append('\n');
        Object threads = cpu.get("streamThreads");
        if (threads != null) {
            map(threads).forEach((k, v) -> {
                Map<String, Object> t2 = map(v);
                Map<String, Object> m = map(t2.get("kafkaStreamsMetricsAtEnd"));
                out.append(String.format(Locale.ROOT, "  %s: blocked on Kafka %s of the window; recent time in poll %s,"
                        + " process %s, commit %s, punctuate %s; commit latency avg %s ms, max %s ms%n", k,
                        percent(t2.get("blockedShareOfWindow")), percent(m.get("poll-ratio")),
                        percent(m.get("process-ratio")), percent(m.get("commit-ratio")),
                        percent(m.get("punctuate-ratio")), round(m.get("commit-latency-avg")),
                        round(m.get("commit-latency-max"))));
            });
        }
        map(cpu.get("stackProcesses")).forEach((k, v) -> out.append(String.format(Locale.ROOT,
                "  %-70s %6.2f  (%,.1f µs/record; it serves every client on the broker)%n", "stack: " + k,
                map(v).get("cpuSeconds"), map(v).get("microsPerRecord"))));
        out.append(String.format(Locale.ROOT, "  machine: %.2f of %s cores busy; %.2f core-seconds by processes other"
                + " than this JVM and the stack%n", machineCpu.get("busyCores"), machineCpu.get("cores"),
                machineCpu.get("othersCoreSeconds")));
        out.append(String.format(Locale.ROOT, "  (GC pauses %.2f s in %s collections)%n", map(cpu.get("gc")).get("seconds"),
                map(cpu.get("gc")).get("collections")));
        out.append(String.format(Locale.ROOT, "pipeline CPU per record (this JVM minus the harness): %,.1f µs; without the"
                + " JIT compilers %,.1f µs%n", cpu.get("pipelineCpuMicrosPerRecord"),
                cpu.get("pipelineCpuMicrosPerRecordWithoutJit")));
        out.append("signatures (thread CPU per call in this JVM, on the pipeline's own bytes):\n");
        map(sig.get("operations")).forEach((k, v) -> {
            Map<String, Object> op = map(v);
            out.append(String.format(Locale.ROOT, "  %-44s %6.1f µs × %.4f per record (%,d-byte message)%n", k,
                    op.get("cpuMicros"), op.get("perRecord"), op.get("messageBytes")));
        });
        out.append(String.format(Locale.ROOT, "  = %.1f µs per record = %.0f %% of the pipeline's CPU per record (%.0f %%"
                + " without the JIT compilers; %.0f %% of that plus the broker's); signatures alone would allow %,.0f"
                + " records/s per core%n", sig.get("cpuMicrosPerRecord"),
                100 * ((Number) sig.get("shareOfPipelineCpu")).doubleValue(),
                100 * ((Number) sig.get("shareOfPipelineCpuWithoutJit")).doubleValue(),
                100 * ((Number) sig.get("shareOfPipelineWithoutJitAndBrokerCpu")).doubleValue(),
                sig.get("recordsPerSecondBoundBySignaturesPerCore")));
        System.out.print(out);
    }

    private static String percent(Object share) {
        return share == null ? "?" : String.format(Locale.ROOT, "%.0f %%", 100 * ((Number) share).doubleValue());
    }

    private static String round(Object value) {
        return value == null ? "?" : String.format(Locale.ROOT, "%.0f", ((Number) value).doubleValue());
    }

    static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }
}
