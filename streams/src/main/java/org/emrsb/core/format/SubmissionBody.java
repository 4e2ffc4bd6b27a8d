package org.emrsb.core.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A raw submission as its submitter signs it. Attachments are bound by their plaintext's SHA-256 and
 * size, so the signature covers the files without the signed bytes carrying them. These bytes hold
 * identifiers: they exist only inside the submitting institution (emr.intake).
 */
public record SubmissionBody(String submissionId, long submittedAt, BodyFormat format, byte[] body,
        List<AttachmentDigest> attachments, byte[] submitterKey, byte[] counterpartyKey) {

    /** A submitted file, by digest. */
    public record AttachmentDigest(String name, String mediaType, long size, byte[] sha256) {
    }

    public SubmissionBody {
        attachments = List.copyOf(attachments);
    }

    public byte[] toBytes() {
        CanonicalWriter w = new CanonicalWriter(Tags.SUBMISSION, 256 + body.length)
                .string(submissionId, "submissionId").i64(submittedAt).u8(format.code).bytes(body, "body")
                .u32(attachments.size());
        for (AttachmentDigest a : attachments) {
            w.string(a.name(), "attachment name").string(a.mediaType(), "attachment mediaType").u64(a.size())
                    .fixed(a.sha256(), 32, "attachment sha256");
        }
        return w.fixed(submitterKey, 32, "submitterKey").fixed(counterpartyKey, 32, "counterpartyKey").toByteArray();
    }

    public static SubmissionBody parse(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, Tags.SUBMISSION, "submission");
        String id = r.string("submissionId");
        long at = r.i64("submittedAt");
        BodyFormat format = BodyFormat.of(r.u8("format"));
        byte[] body = r.bytes("body");
        int n = r.count("attachments", 4 + 4 + 8 + 32);
        List<AttachmentDigest> attachments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            attachments.add(new AttachmentDigest(r.string("attachment name"), r.string("attachment mediaType"),
                    r.u64("attachment size"), r.fixed(32, "attachment sha256")));
        }
        SubmissionBody submission = new SubmissionBody(id, at, format, body, attachments,
                r.fixed(32, "submitterKey"), r.fixed(32, "counterpartyKey"));
        r.finish();
        return submission;
    }
}
