package org.emrsb.stream;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The registry of every topic the product reads or writes: each name is written here once.
 *
 * <p>Partitioning: the record-carrying topics all have the same, configurable partition count, so
 * {@code emr.offloaded}, {@code ledger.tx}, {@code ledger.blocks} and {@code ledger.verdicts} are
 * co-partitioned (a chain is a partition of {@code ledger.tx}). {@code governance.*},
 * {@code ledger.violations}, {@code ledger.anchors} and {@code emr.privacy.report} have one partition: they need a total order
 * (the governance processor reads the violations beside the votes, in one task).
 *
 * <p>Retention: restricted topics keep records longer than any outage the pipeline tolerates (default
 * 7 days) so that a stalled gateway loses nothing; the ledger and governance topics keep everything
 * forever, because they are the record.
 */
public final class Topics {

    public static final String INTAKE = "emr.intake";
    public static final String REJECTED = "emr.rejected";
    public static final String MASKED = "emr.masked";
    public static final String OFFLOADED = "emr.offloaded";
    public static final String LEDGER_TX = "ledger.tx";
    public static final String LEDGER_VERDICTS = "ledger.verdicts";
    public static final String LEDGER_VIOLATIONS = "ledger.violations";
    public static final String LEDGER_BLOCKS = "ledger.blocks";
    public static final String LEDGER_ANCHORS = "ledger.anchors";
    public static final String ANCHOR_INPUT = "ledger.anchor-input";
    public static final String ANCHOR_FUNDS = "ledger.anchor-funds";
    public static final String GOVERNANCE_MEMBERS = "governance.members";
    public static final String GOVERNANCE_VOTES = "governance.votes";
    public static final String GOVERNANCE_EPOCHS = "governance.epochs";
    public static final String GOVERNANCE_DELEGATES = "governance.delegates";
    public static final String PRIVACY_REPORT = "emr.privacy.report";

    /**
     * The largest record a record-carrying topic or changelog accepts: an inline attachment of up to
     * 8 MiB of plaintext, once encrypted (+16 bytes of GCM tag) and wrapped for two recipients, plus the
     * record body (up to 1 MiB) and Avro framing, fits with room to spare.
     */
    public static final int MAX_RECORD_BYTES = 10 * 1024 * 1024;

    /** Inline plaintext attachments larger than this go through the IPFS claim-check instead. */
    public static final int MAX_INLINE_ATTACHMENT_BYTES = 8 * 1024 * 1024;

    private final Map<String, TopicSpec> specs = new LinkedHashMap<>();
    private final short replicationFactor;

    /**
     * @param recordPartitions    partitions of every record-carrying topic (one chain each on ledger.tx)
     * @param replicationFactor   replicas of every topic (1 on the local stack, 3 in production)
     * @param restrictedRetention how long emr.intake and emr.rejected keep identifiable records
     * @param transitRetention    how long emr.masked and emr.offloaded keep records
     */
    public Topics(int recordPartitions, short replicationFactor, Duration restrictedRetention, Duration transitRetention) {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, was " + replicationFactor);
        }
        this.replicationFactor = replicationFactor;
        Map<String, String> restricted = records(restrictedRetention);
        Map<String, String> transit = records(transitRetention);
        Map<String, String> ledger = records(null);
        Map<String, String> log = Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1");
        Map<String, String> table = Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0");

        add(new TopicSpec(INTAKE, recordPartitions, restricted, true,
                "raw submissions signed by their submitters; identifiers; read by the gateway only"));
        add(new TopicSpec(REJECTED, recordPartitions, restricted, true,
                "raw submissions the pipeline refused, with the reason; identifiers"));
        add(new TopicSpec(MASKED, recordPartitions, transit, false,
                "gateway-signed masked records; attachments as ciphertext; analysts may read"));
        add(new TopicSpec(OFFLOADED, recordPartitions, transit, false,
                "masked records with attachments replaced by IPFS CIDs; co-partitioned with ledger.tx"));
        add(new TopicSpec(LEDGER_TX, recordPartitions, ledger, false,
                "the delegate-signed transaction log; one chain per partition"));
        add(new TopicSpec(LEDGER_VERDICTS, recordPartitions, ledger, false,
                "monitors' signed accept/reject verdicts on transactions and blocks; co-partitioned with ledger.tx"));
        add(new TopicSpec(LEDGER_VIOLATIONS, 1, ledger, false,
                "monitors' signed evidence of delegates that signed invalid data; one partition, read by governance"));
        add(new TopicSpec(LEDGER_BLOCKS, recordPartitions, ledger, false,
                "one-minute blocks per chain: header, RFC 6962 root, delegate signature"));
        add(new TopicSpec(LEDGER_ANCHORS, 1, ledger, false,
                "ten-minute anchors of the new blocks' root and their Bitcoin transactions; total order"));
        add(new TopicSpec(ANCHOR_INPUT, 1, transit, false,
                "ledger.blocks of every chain, copied into one partition for the anchor stage's single task"));
        add(new TopicSpec(ANCHOR_FUNDS, 1, ledger, false,
                "coins paid to the anchor wallet, registered by ops/emrsb anchor fund; the anchor stage spends them"));
        add(new TopicSpec(GOVERNANCE_MEMBERS, 1, table, false,
                "enrolment certificates signed by the enrolment authority, latest per member"));
        add(new TopicSpec(GOVERNANCE_VOTES, 1, log, false,
                "signed approval votes for delegate candidates"));
        add(new TopicSpec(GOVERNANCE_EPOCHS, 1, log, false,
                "every governance epoch with its whole delegate set; never compacted"));
        add(new TopicSpec(GOVERNANCE_DELEGATES, 1, table, false,
                "latest status per delegate (ACTIVE, STANDBY, EVICTED) with evidence"));
        add(new TopicSpec(PRIVACY_REPORT, 1, transit, false,
                "windowed k-anonymity reports over emr.masked: class counts only, no record values"));
    }

    /** The local stack's defaults: 6 record partitions, one replica, 7 days for transit and restricted topics. */
    public static Topics defaults() {
        return new Topics(6, (short) 1, Duration.ofDays(7), Duration.ofDays(7));
    }

    private static Map<String, String> records(Duration retention) {
        return Map.of(
                "cleanup.policy", "delete",
                "retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()),
                "retention.bytes", "-1",
                "max.message.bytes", Integer.toString(MAX_RECORD_BYTES));
    }

    private void add(TopicSpec spec) {
        specs.put(spec.name(), spec);
    }

    /** The spec of a topic this registry names. */
    public TopicSpec spec(String name) {
        TopicSpec spec = specs.get(name);
        if (spec == null) {
            throw new NoSuchElementException("no such EMRSB topic: " + name + " (known: " + specs.keySet() + ")");
        }
        return spec;
    }

    /** Every topic, in pipeline order. */
    public Collection<TopicSpec> all() {
        return Collections.unmodifiableCollection(specs.values());
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    /** The partition count shared by the record-carrying, co-partitioned topics. */
    public int recordPartitions() {
        return spec(LEDGER_TX).partitions();
    }
}
