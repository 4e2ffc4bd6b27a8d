package org.emrsb.stream;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.emrsb.avro.DelegateStatusRecord;
import org.emrsb.avro.EpochRecord;
import org.emrsb.avro.GovernanceVote;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.avro.LedgerVerdict;
import org.emrsb.avro.LedgerViolation;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.avro.PrivacyReport;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.avro.Submission;

/**
 * The Avro value schema of each topic that carries Avro records. Registered ahead of time under the
 * Confluent topic-name subject {@code <topic>-value} by {@code ops/emrsb schemas register}.
 * Later stages add their topics here as their schemas land.
 */
public final class TopicSchemas {

    private static final Map<String, Schema> VALUE_SCHEMAS;

    static {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(Topics.INTAKE, Submission.getClassSchema());
        schemas.put(Topics.REJECTED, RejectedRecord.getClassSchema());
        schemas.put(Topics.MASKED, SignedMaskedRecord.getClassSchema());
        schemas.put(Topics.OFFLOADED, SignedMaskedRecord.getClassSchema());
        schemas.put(Topics.LEDGER_TX, LedgerTransaction.getClassSchema());
        schemas.put(Topics.LEDGER_VERDICTS, LedgerVerdict.getClassSchema());
        schemas.put(Topics.LEDGER_VIOLATIONS, LedgerViolation.getClassSchema());
        schemas.put(Topics.LEDGER_BLOCKS, LedgerBlock.getClassSchema());
        schemas.put(Topics.ANCHOR_INPUT, LedgerBlock.getClassSchema());
        schemas.put(Topics.LEDGER_ANCHORS, org.emrsb.avro.AnchorRecord.getClassSchema());
        schemas.put(Topics.ANCHOR_FUNDS, org.emrsb.avro.AnchorFunding.getClassSchema());
        schemas.put(Topics.GOVERNANCE_MEMBERS, MemberCertificate.getClassSchema());
        schemas.put(Topics.GOVERNANCE_VOTES, GovernanceVote.getClassSchema());
        schemas.put(Topics.GOVERNANCE_EPOCHS, EpochRecord.getClassSchema());
        schemas.put(Topics.GOVERNANCE_DELEGATES, DelegateStatusRecord.getClassSchema());
        schemas.put(Topics.PRIVACY_REPORT, PrivacyReport.getClassSchema());
        VALUE_SCHEMAS = Collections.unmodifiableMap(schemas);
    }

    private TopicSchemas() {
    }

    /** Topic name to value schema, in pipeline order. */
    public static Map<String, Schema> valueSchemas() {
        return VALUE_SCHEMAS;
    }

    /** The Confluent topic-name strategy's subject for a topic's values. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }
}
