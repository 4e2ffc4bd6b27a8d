package org.emrsb.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.emrsb.avro.MaskedAttachment;
import org.emrsb.avro.RecordFormat;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.avro.Submission;
import org.emrsb.avro.SubmittedAttachment;
import org.emrsb.core.format.BodyFormat;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.gateway.GatewayOutcome;
import org.emrsb.core.gateway.RawSubmission;

/**
 * Between the wire (Avro) and the ledger core's canonical structures. The Avro forms carry exactly the
 * fields that rebuild the canonical bytes, so what was signed can always be recomputed and checked.
 */
public final class AvroMapping {

    private AvroMapping() {
    }

    public static BodyFormat format(RecordFormat format) {
        return switch (format) {
            case FLAT_JSON -> BodyFormat.FLAT_JSON;
            case FHIR_R4 -> BodyFormat.FHIR_R4;
            case HL7V2 -> BodyFormat.HL7V2;
        };
    }

    public static RecordFormat format(BodyFormat format) {
        return switch (format) {
            case FLAT_JSON -> RecordFormat.FLAT_JSON;
            case FHIR_R4 -> RecordFormat.FHIR_R4;
            case HL7V2 -> RecordFormat.HL7V2;
        };
    }

    /** The submission as the gateway checks it; attachment digests are computed from the contents. */
    public static RawSubmission toRaw(Submission s) {
        List<RawSubmission.Attachment> attachments = new ArrayList<>();
        for (SubmittedAttachment a : s.getAttachments()) {
            attachments.add(new RawSubmission.Attachment(a.getName(), a.getMediaType(), bytes(a.getContent())));
        }
        return RawSubmission.of(s.getSubmissionId(), s.getSubmittedAt().toEpochMilli(), format(s.getFormat()),
                s.getBody().getBytes(StandardCharsets.UTF_8), attachments, bytes(s.getSubmitterKey()),
                bytes(s.getCounterpartyKey()), bytes(s.getSignature()));
    }

    /** The gateway's output as it goes on emr.masked, attachments inline. */
    public static SignedMaskedRecord toAvro(GatewayOutcome.Masked masked) {
        MaskedRecord r = masked.record();
        List<MaskedAttachment> attachments = new ArrayList<>();
        for (int i = 0; i < r.attachments().size(); i++) {
            MaskedRecord.EncryptedAttachmentRef a = r.attachments().get(i);
            attachments.add(MaskedAttachment.newBuilder()
                    .setMediaType(a.mediaType()).setPlaintextSize(a.plaintextSize()).setCiphertextSize(a.ciphertextSize())
                    .setCiphertextSha256(wrap(a.ciphertextSha256())).setNonce(wrap(a.nonce()))
                    .setWrappedKeys(a.wrappedKeys().stream().map(AvroMapping::wrap).toList())
                    .setCiphertext(wrap(masked.ciphertexts().get(i))).setCid(null)
                    .build());
        }
        return SignedMaskedRecord.newBuilder()
                .setSubmissionId(r.submissionId()).setMaskedAt(Instant.ofEpochMilli(r.maskedAt()))
                .setFormat(format(r.format())).setMaskedBody(new String(r.maskedBody(), StandardCharsets.UTF_8))
                .setPolicyId(r.policyId()).setPolicyVersion(r.policyVersion()).setPolicyHash(wrap(r.policyHash()))
                .setRawCommitment(wrap(r.rawCommitment())).setSubmitterKey(wrap(r.submitterKey()))
                .setCounterpartyKey(wrap(r.counterpartyKey())).setGatewayKey(wrap(r.gatewayKey()))
                .setAttachments(attachments).setGatewaySignature(wrap(masked.signature()))
                .setWarnings(masked.warnings())
                .build();
    }

    /** The canonical masked record the Avro fields describe (what the gateway signed). */
    public static MaskedRecord toCanonical(SignedMaskedRecord s) {
        List<MaskedRecord.EncryptedAttachmentRef> refs = new ArrayList<>();
        for (MaskedAttachment a : s.getAttachments()) {
            refs.add(new MaskedRecord.EncryptedAttachmentRef(a.getMediaType(), a.getPlaintextSize(),
                    a.getCiphertextSize(), bytes(a.getCiphertextSha256()), bytes(a.getNonce()),
                    a.getWrappedKeys().stream().map(AvroMapping::bytes).toList()));
        }
        return new MaskedRecord(s.getSubmissionId(), s.getMaskedAt().toEpochMilli(), format(s.getFormat()),
                s.getMaskedBody().getBytes(StandardCharsets.UTF_8), s.getPolicyId(), s.getPolicyVersion(),
                bytes(s.getPolicyHash()), bytes(s.getRawCommitment()), bytes(s.getSubmitterKey()),
                bytes(s.getCounterpartyKey()), bytes(s.getGatewayKey()), refs);
    }

    public static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    public static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes);
    }
}
