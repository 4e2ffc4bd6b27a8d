package org.emrsb.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private final Topics topics = new Topics(12, (short) 3, Duration.ofDays(9), Duration.ofHours(5));

    @Test
    void chainTopicsAreCoPartitioned() {
        for (String name : List.of(Topics.OFFLOADED, Topics.LEDGER_TX, Topics.LEDGER_VERDICTS, Topics.INTAKE,
                Topics.MASKED, Topics.REJECTED, Topics.LEDGER_BLOCKS)) {
            assertEquals(12, topics.spec(name).partitions(), name);
        }
        assertEquals(12, topics.recordPartitions());
    }

    @Test
    void totallyOrderedTopicsHaveOnePartition() {
        for (String name : List.of(Topics.LEDGER_ANCHORS, Topics.GOVERNANCE_MEMBERS, Topics.GOVERNANCE_VOTES,
                Topics.GOVERNANCE_EPOCHS, Topics.GOVERNANCE_DELEGATES, Topics.LEDGER_VIOLATIONS,
                Topics.PRIVACY_REPORT)) {
            assertEquals(1, topics.spec(name).partitions(), name);
        }
    }

    @Test
    void onlyRawTopicsAreRestrictedAndTheyKeepRecordsForTheConfiguredTime() {
        Set<String> restricted = new HashSet<>();
        topics.all().stream().filter(TopicSpec::restricted).forEach(t -> restricted.add(t.name()));
        assertEquals(Set.of(Topics.INTAKE, Topics.REJECTED), restricted);
        assertEquals(Long.toString(Duration.ofDays(9).toMillis()), topics.spec(Topics.INTAKE).configs().get("retention.ms"));
        assertEquals(Long.toString(Duration.ofHours(5).toMillis()), topics.spec(Topics.MASKED).configs().get("retention.ms"));
    }

    @Test
    void membersAndDelegatesAreCompactedButEpochsAreNot() {
        assertTrue(topics.spec(Topics.GOVERNANCE_MEMBERS).compacted());
        assertTrue(topics.spec(Topics.GOVERNANCE_DELEGATES).compacted());
        assertFalse(topics.spec(Topics.GOVERNANCE_EPOCHS).compacted());
        assertFalse(topics.spec(Topics.LEDGER_TX).compacted());
    }

    @Test
    void theLedgerKeepsEverythingForever() {
        for (String name : List.of(Topics.LEDGER_TX, Topics.LEDGER_BLOCKS, Topics.LEDGER_ANCHORS,
                Topics.LEDGER_VERDICTS, Topics.GOVERNANCE_EPOCHS, Topics.GOVERNANCE_VOTES)) {
            assertEquals("-1", topics.spec(name).configs().get("retention.ms"), name);
        }
    }

    @Test
    void recordTopicsAcceptAnEightMebibyteAttachmentOnceEncrypted() {
        int encryptedAndWrapped = Topics.MAX_INLINE_ATTACHMENT_BYTES + 16 + 2 * (32 + 32 + 48);
        assertTrue(Topics.MAX_RECORD_BYTES > encryptedAndWrapped + 1024 * 1024);
        for (String name : List.of(Topics.INTAKE, Topics.REJECTED, Topics.MASKED, Topics.OFFLOADED, Topics.LEDGER_TX)) {
            assertEquals(Integer.toString(Topics.MAX_RECORD_BYTES), topics.spec(name).configs().get("max.message.bytes"), name);
        }
    }

    @Test
    void everyTopicIsNamedOnceAndUnknownNamesAreRefused() {
        Set<String> names = new HashSet<>();
        topics.all().forEach(t -> assertTrue(names.add(t.name()), "duplicate " + t.name()));
        assertEquals(16, names.size());
        Exception e = assertThrows(RuntimeException.class, () -> topics.spec("emr.intkae"));
        assertTrue(e.getMessage().contains("emr.intkae"));
    }

    @Test
    void invalidCountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Topics(0, (short) 1, Duration.ofDays(1), Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> new Topics(6, (short) 0, Duration.ofDays(1), Duration.ofDays(1)));
    }

    @Test
    void everyAvroTopicIsARegisteredTopic() {
        TopicSchemas.valueSchemas().keySet().forEach(topics::spec);
        assertEquals("emr.intake-value", TopicSchemas.valueSubject(Topics.INTAKE));
    }
}
