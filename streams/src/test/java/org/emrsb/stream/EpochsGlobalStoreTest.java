package org.emrsb.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.emrsb.avro.EpochRecord;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.gateway.GatewayFixture;
import org.emrsb.core.governance.DelegateEntry;
import org.emrsb.core.governance.DelegateStatus;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.schemas.AvroSerdes;
import org.junit.jupiter.api.Test;

/** The epochs global store: this alliance's epochs only, and an epoch number keeps its first content. */
class EpochsGlobalStoreTest {

    private final GatewayFixture f = new GatewayFixture();
    private final MemberKeys a = GatewayFixture.keys(Role.DELEGATE, 61);
    private final MemberKeys b = GatewayFixture.keys(Role.DELEGATE, 62);
    private final MemberKeys otherAuthority = GatewayFixture.keys(Role.AUTHORITY, 63);
    private final Serde<EpochRecord> serde = AvroSerdes.singleObject(EpochRecord.class);

    private static GovernanceEpoch epoch(long number, MemberKeys active) {
        return new GovernanceEpoch(number, GatewayFixture.NOW + number,
                List.of(new DelegateEntry(active.verifyingKey().bytes(), DelegateStatus.ACTIVE, 1)), "test");
    }

    @Test
    void anEpochNumberKeepsItsFirstContentAndOtherAlliancesAreIgnored() {
        Topology topology = new Topology();
        EpochsGlobalStore.addTo(topology, Topics.defaults(), serde.deserializer(), f.authority.verifyingKey());
        Properties props = new Properties();
        props.put("application.id", "epochs-test");
        props.put("bootstrap.servers", "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(Topics.GOVERNANCE_EPOCHS,
                    Serdes.String().serializer(), Serdes.ByteArray().serializer());
            in.pipeInput("1", serde.serializer().serialize("t", GovernanceTopology.toAvro(epoch(1, a), f.authority.verifyingKey())));
            in.pipeInput("1", serde.serializer().serialize("t", GovernanceTopology.toAvro(epoch(1, b), f.authority.verifyingKey())));
            in.pipeInput("9", serde.serializer().serialize("t", GovernanceTopology.toAvro(epoch(9, b), otherAuthority.verifyingKey())));
            KeyValueStore<String, byte[]> store = driver.getKeyValueStore(Stores.GOVERNANCE_EPOCHS);
            assertEquals(1L, EpochsGlobalStore.currentNumber(store).orElseThrow(), "the other alliance's epoch 9 is not ours");
            assertEquals(true, EpochsGlobalStore.epoch(store, 1).orElseThrow().isActive(a.verifyingKey().bytes()),
                    "a second epoch 1 does not rewrite the first");
            in.pipeInput("2", serde.serializer().serialize("t", GovernanceTopology.toAvro(epoch(2, b), f.authority.verifyingKey())));
            assertEquals(2L, EpochsGlobalStore.currentNumber(store).orElseThrow());
        }
    }
}
