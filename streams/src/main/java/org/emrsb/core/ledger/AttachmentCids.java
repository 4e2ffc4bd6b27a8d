package org.emrsb.core.ledger;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.ipfs.Cid;

/**
 * The rule for a transaction's attachment CIDs, judged from the transaction alone (the monitors'
 * {@code cids} check, docs/monitoring.md): one CID per attachment, each a CIDv1 with a codec and
 * multihash {@link Cid} knows (raw or dag-pb, SHA-256), and a raw CID's digest equal to the
 * ciphertext hash the gateway signed (a raw block is the whole file, so any other digest names other
 * bytes). A dag-pb CID's root cannot be tied to the ciphertext hash without fetching the DAG.
 */
public final class AttachmentCids {

    private AttachmentCids() {
    }

    /** The first problem with {@code cids} as the CIDs of {@code record}'s attachments; empty if none. */
    public static Optional<String> problem(MaskedRecord record, List<byte[]> cids) {
        List<MaskedRecord.EncryptedAttachmentRef> attachments = record.attachments();
        if (attachments.size() != cids.size()) {
            return Optional.of(attachments.size() + " attachments but " + cids.size() + " CIDs");
        }
        for (int i = 0; i < cids.size(); i++) {
            Optional<String> problem = problem(attachments.get(i), cids.get(i));
            if (problem.isPresent()) {
                return Optional.of("attachment " + i + ": " + problem.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> problem(MaskedRecord.EncryptedAttachmentRef attachment, byte[] binary) {
        Cid cid;
        try {
            cid = Cid.fromBytes(binary);
        } catch (IllegalArgumentException e) {
            return Optional.of("not a CID: " + e.getMessage());
        }
        if (cid.version() != 1) {
            return Optional.of("a CIDv0; the ledger holds CIDv1 only");
        }
        if (cid.isRaw() && !Arrays.equals(cid.digest(), attachment.ciphertextSha256())) {
            return Optional.of("the raw CID " + cid + " is not the hash of the signed ciphertext");
        }
        return Optional.empty();
    }
}
