package org.emrsb.stream;

import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.governance.SignedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrolled members as a global store every stage reads: governance.members, checked on the way in.
 * Only certificates the configured enrolment authority signed are kept, and for each member the one with
 * the greatest issuedAt (so a revocation, a later certificate, replaces the enrolment). Anything else is
 * logged and skipped: a forged or malformed record on governance.members never enrols anyone, and never
 * stops the global thread.
 */
public final class MembersGlobalStore {

    private static final Logger LOG = LoggerFactory.getLogger(MembersGlobalStore.class);

    private MembersGlobalStore() {
    }

    /** Adds the global store and its update processor to a topology. */
    public static void addTo(Topology topology, Topics topics, Deserializer<MemberCertificate> values,
            VerifyingKey authority) {
        topology.addGlobalStore(
                org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.MEMBERS),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "members-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.GOVERNANCE_MEMBERS).name(), "members-update",
                () -> new Updater(values, authority));
    }

    /** A directory over the store, for the stages' processors. */
    public static MemberDirectory directory(ReadOnlyKeyValueStore<String, byte[]> store) {
        return memberKey -> {
            byte[] value = store.get(VerifyingKey.PREFIX + org.emrsb.core.crypto.Hex.encode(memberKey));
            return value == null ? Optional.empty() : Optional.of(SignedCertificate.parse(value));
        };
    }

    static final class Updater implements Processor<String, byte[], Void, Void> {
        private final Deserializer<MemberCertificate> values;
        private final VerifyingKey authority;
        private final java.util.Set<String> foreignIssuers = new java.util.HashSet<>();
        private KeyValueStore<String, byte[]> store;
        private String topic;

        Updater(Deserializer<MemberCertificate> values, VerifyingKey authority) {
            this.values = values;
            this.authority = authority;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.store = context.getStateStore(Stores.MEMBERS);
            this.topic = Topics.GOVERNANCE_MEMBERS;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            SignedCertificate signed;
            try {
                MemberCertificate value = values.deserialize(topic, record.value());
                signed = SignedCertificate.of(AvroMapping.bytes(value.getCertificate()),
                        AvroMapping.bytes(value.getSignature()));
            } catch (RuntimeException e) {
                LOG.warn("skipping an unreadable certificate on {} (key {}): {}", topic, record.key(), e.getMessage());
                return;
            }
            if (!signed.issuedBy(authority)) {
                String issuer = org.emrsb.core.crypto.Hex.encode(signed.certificate().issuerKey());
                if (foreignIssuers.add(issuer)) {
                    LOG.warn("skipping certificates on {} that the enrolment authority {} did not sign (first: key {},"
                            + " issuer ed25519:{}; more from this issuer are logged at debug)", topic, authority,
                            record.key(), issuer);
                } else {
                    LOG.debug("skipping a certificate on {} not signed by {} (key {})", topic, authority, record.key());
                }
                return;
            }
            String key = VerifyingKey.PREFIX + org.emrsb.core.crypto.Hex.encode(signed.certificate().memberKey());
            byte[] current = store.get(key);
            if (current == null || SignedCertificate.parse(current).certificate().issuedAt() < signed.certificate().issuedAt()) {
                store.put(key, signed.toBytes());
            }
        }
    }
}
