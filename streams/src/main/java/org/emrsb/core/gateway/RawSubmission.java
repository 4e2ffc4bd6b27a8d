package org.emrsb.core.gateway;

import java.util.ArrayList;
import java.util.List;
import org.emrsb.core.format.BodyFormat;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.SubmissionBody;

/**
 * A submission as the gateway receives it: the signed canonical body, the attachments' plaintext (bound
 * by their digests in the body) and the submitter's signature.
 */
public record RawSubmission(SubmissionBody body, List<byte[]> attachmentContents, byte[] signature) {

    /** One file as submitted. */
    public record Attachment(String name, String mediaType, byte[] content) {
    }

    public RawSubmission {
        attachmentContents = List.copyOf(attachmentContents);
        if (attachmentContents.size() != body.attachments().size()) {
            throw new IllegalArgumentException("one content per attachment digest");
        }
    }

    /** Builds the canonical body from the submitted fields; attachment digests are computed from the contents. */
    public static RawSubmission of(String submissionId, long submittedAt, BodyFormat format, byte[] body,
            List<Attachment> attachments, byte[] submitterKey, byte[] counterpartyKey, byte[] signature) {
        List<SubmissionBody.AttachmentDigest> digests = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (Attachment a : attachments) {
            digests.add(new SubmissionBody.AttachmentDigest(a.name(), a.mediaType(), a.content().length,
                    Sha256.hash(a.content())));
            contents.add(a.content());
        }
        return new RawSubmission(new SubmissionBody(submissionId, submittedAt, format, body, digests, submitterKey,
                counterpartyKey), contents, signature);
    }
}
