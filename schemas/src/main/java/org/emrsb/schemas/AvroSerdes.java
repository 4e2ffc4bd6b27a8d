package org.emrsb.schemas;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place that makes serdes for the product's Avro records.
 *
 * <p>{@link #registry} is the production serde: Confluent wire format (magic byte 0, the schema's
 * 4-byte big-endian content id, the Avro binary body) against the schema registry's
 * Confluent-compatible ids, so any Confluent-format consumer (Connect, ksqlDB, Flink, the Confluent
 * clients) reads EMRSB topics. Subjects follow the topic-name strategy ({@code <topic>-value}).
 *
 * <p>{@link #singleObject} needs no registry (Avro single-object encoding with the schema's
 * CRC-64-AVRO fingerprint); it exists for TopologyTestDriver tests only and never touches a topic.
 */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    /** A registry-backed serde for values ({@code isKey=false}) or keys of type {@code T}. */
    public static <T extends SpecificRecord> Serde<T> registry(RegistrySettings settings, boolean isKey) {
        Map<String, Object> config = registryConfig(settings);
        AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
        AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>();
        serializer.configure(config, isKey);
        deserializer.configure(config, isKey);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /**
     * The Apicurio serde settings that give the Confluent wire format: the 4-byte id handler (what
     * {@code as-confluent=true} selects; named directly, because setting both makes the serde warn),
     * {@code headers.enabled=false} (otherwise the id goes into record headers and the payload has no
     * magic byte) and {@code use-id=contentId} (ccompat ids are content ids, not global ids).
     */
    public static Map<String, Object> registryConfig(RegistrySettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, settings.nativeApi().toString());
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, settings.autoRegister());
        config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
        config.put(SerdeConfig.ENABLE_HEADERS, false);
        config.put(SerdeConfig.USE_ID, "contentId");
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        return config;
    }

    /** A registry-free serde for tests of a topology in isolation. */
    public static <T extends SpecificRecord> Serde<T> singleObject(Class<T> type) {
        return new SingleObjectSerde<>(type);
    }
}
