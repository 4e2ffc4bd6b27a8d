package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.emrsb.stream.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmrsbConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheLocalStack() {
        EmrsbConfig config = EmrsbConfig.load(null, Map.of(), new Properties());
        assertEquals("127.0.0.1:19092", config.kafkaBootstrap());
        assertEquals("http://127.0.0.1:18081", config.registry().baseUrl().toString());
        assertEquals("http://127.0.0.1:15001", config.ipfsApi());
        Topics topics = config.topics();
        assertEquals(6, topics.recordPartitions());
        assertEquals("default", config.settings().get("kafka.bootstrap").source());
    }

    @Test
    void fileThenEnvironmentThenSystemProperties() throws IOException {
        Path file = dir.resolve("emrsb.properties");
        Files.writeString(file, "kafka.bootstrap=file:1\ntopics.partitions=3\nipfs.api=http://file\n");
        Properties sys = new Properties();
        sys.setProperty("emrsb.ipfs.api", "http://sys");
        EmrsbConfig config = EmrsbConfig.load(file,
                Map.of("EMRSB_KAFKA_BOOTSTRAP", "env:2", "EMRSB_IPFS_API", "http://env"), sys);
        assertEquals("env:2", config.kafkaBootstrap());
        assertEquals("env EMRSB_KAFKA_BOOTSTRAP", config.settings().get("kafka.bootstrap").source());
        assertEquals(3, config.topics().recordPartitions());
        assertEquals(file.toString(), config.settings().get("topics.partitions").source());
        assertEquals("http://sys", config.ipfsApi());
    }

    @Test
    void environmentNamesFollowTheKey() {
        assertEquals("EMRSB_TOPICS_RESTRICTED_RETENTION", EmrsbConfig.environmentName("topics.restricted.retention"));
        assertEquals("EMRSB_REGISTRY_AUTO_REGISTER", EmrsbConfig.environmentName("registry.auto-register"));
    }

    @Test
    void anUnknownKeyInAFileIsRefusedByName() throws IOException {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "kafka.bootstarp=x\n");
        EmrsbConfig.ConfigException e = assertThrows(EmrsbConfig.ConfigException.class,
                () -> EmrsbConfig.load(file, Map.of(), new Properties()));
        assertTrue(e.getMessage().contains("kafka.bootstarp"), e.getMessage());
    }

    @Test
    void aMissingFileIsAClearError() {
        EmrsbConfig.ConfigException e = assertThrows(EmrsbConfig.ConfigException.class,
                () -> EmrsbConfig.load(dir.resolve("nope.properties"), Map.of(), new Properties()));
        assertTrue(e.getMessage().contains("nope.properties"), e.getMessage());
    }

    @Test
    void badValuesNameTheKeyTheValueAndItsSource() {
        EmrsbConfig config = EmrsbConfig.load(null, Map.of("EMRSB_TOPICS_PARTITIONS", "six"), new Properties());
        EmrsbConfig.ConfigException e = assertThrows(EmrsbConfig.ConfigException.class, config::topics);
        assertTrue(e.getMessage().contains("topics.partitions"), e.getMessage());
        assertTrue(e.getMessage().contains("six"), e.getMessage());
        assertTrue(e.getMessage().contains("EMRSB_TOPICS_PARTITIONS"), e.getMessage());

        EmrsbConfig zero = EmrsbConfig.load(null, Map.of("EMRSB_TOPICS_PARTITIONS", "0"), new Properties());
        assertThrows(EmrsbConfig.ConfigException.class, zero::topics);
        EmrsbConfig bool = EmrsbConfig.load(null, Map.of("EMRSB_REGISTRY_AUTO_REGISTER", "maybe"), new Properties());
        assertThrows(EmrsbConfig.ConfigException.class, bool::registry);
        EmrsbConfig url = EmrsbConfig.load(null, Map.of("EMRSB_REGISTRY_URL", "registry:18081"), new Properties());
        assertThrows(EmrsbConfig.ConfigException.class, url::registry);
    }

    @Test
    void durationsTakeShortUnitsAndIso8601() {
        Properties sys = new Properties();
        sys.setProperty("emrsb.topics.restricted.retention", "36h");
        sys.setProperty("emrsb.topics.transit.retention", "PT10M");
        EmrsbConfig config = EmrsbConfig.load(null, Map.of(), sys);
        assertEquals(Duration.ofHours(36), config.duration("topics.restricted.retention"));
        assertEquals(Duration.ofMinutes(10), config.duration("topics.transit.retention"));
        sys.setProperty("emrsb.topics.transit.retention", "10 parsecs");
        EmrsbConfig bad = EmrsbConfig.load(null, Map.of(), sys);
        assertThrows(EmrsbConfig.ConfigException.class, () -> bad.duration("topics.transit.retention"));
    }
}
