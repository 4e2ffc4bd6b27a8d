package org.emrsb.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.emrsb.avro.RecordFormat;
import org.emrsb.avro.Submission;
import org.emrsb.avro.SubmittedAttachment;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {

    static Submission sample() {
        return Submission.newBuilder()
                .setSubmissionId("3f1c0b8e-0000-4000-8000-000000000001")
                .setSubmittedAt(Instant.ofEpochMilli(1_795_000_000_000L))
                .setFormat(RecordFormat.FLAT_JSON)
                .setBody("{\"name\":\"YangYang\",\"age\":60}")
                .setAttachments(List.of(new SubmittedAttachment("scan.dcm", "application/dicom",
                        ByteBuffer.wrap(new byte[] {1, 2, 3}))))
                .setSubmitterKey(ByteBuffer.wrap(new byte[32]))
                .setCounterpartyKey(ByteBuffer.wrap(new byte[32]))
                .setSignature(ByteBuffer.wrap(new byte[64]))
                .build();
    }

    @Test
    void registryConfigSelectsTheConfluentWireFormat() {
        Map<String, Object> config = AvroSerdes.registryConfig(RegistrySettings.of("http://127.0.0.1:18081/"));
        assertEquals("http://127.0.0.1:18081/apis/registry/v2", config.get("apicurio.registry.url"));
        assertEquals(Legacy4ByteIdHandler.class.getName(), config.get("apicurio.registry.id-handler"));
        assertEquals(false, config.get("apicurio.registry.headers.enabled"));
        assertEquals("contentId", config.get("apicurio.registry.use-id"));
        assertEquals(true, config.get("apicurio.registry.use-specific-avro-reader"));
        assertEquals(true, config.get("apicurio.registry.auto-register"));
    }

    @Test
    void singleObjectSerdeRoundTripsAndStartsWithTheSingleObjectMarker() {
        Serde<Submission> serde = AvroSerdes.singleObject(Submission.class);
        byte[] bytes = serde.serializer().serialize("t", sample());
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        Submission back = serde.deserializer().deserialize("t", bytes);
        assertEquals(sample(), back);
        assertArrayEquals(new byte[] {1, 2, 3}, back.getAttachments().get(0).getContent().array());
    }

    @Test
    void singleObjectSerdeRefusesForeignBytesWithAClearError() {
        Serde<Submission> serde = AvroSerdes.singleObject(Submission.class);
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("emr.intake", new byte[] {0, 0, 0, 0, 1, 2}));
        assertEquals(true, e.getMessage().contains("emr.intake"), e.getMessage());
    }

    @Test
    void singleObjectSerdePassesNullThrough() {
        Serde<Submission> serde = AvroSerdes.singleObject(Submission.class);
        assertEquals(null, serde.serializer().serialize("t", null));
        assertEquals(null, serde.deserializer().deserialize("t", null));
    }
}
