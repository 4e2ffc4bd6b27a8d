package org.emrsb.core.offload;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.ipfs.BlockStat;
import org.emrsb.core.ipfs.Cid;
import org.emrsb.core.ipfs.IpfsException;
import org.emrsb.core.ipfs.KuboClient;

/**
 * Moves a masked record's attachments to IPFS (paper §3.4, Figure 3 steps 3–4): inline ciphertext is
 * checked against the hash the gateway signed, its CID computed here, uploaded and pinned, and accepted
 * only when the node's CID and size equal ours byte for byte; a claim-check CID (the producer uploaded
 * the ciphertext itself) must exist on the node and is pinned.
 *
 * <p>Uploads are idempotent: the same ciphertext always has the same CID, so a retried upload, or one
 * made by a transaction that later aborted, adds nothing new; at worst it leaves a pin that no
 * committed record names (docs/ipfs.md says how to find those).
 */
public final class Offloader {

    /** One attachment as the stage receives it: inline ciphertext, or a claim-check CID. */
    public record Attachment(byte[] ciphertext, Cid claimCheck, byte[] ciphertextSha256, long ciphertextSize) {
    }

    /** What happened to a record's attachments. */
    public sealed interface Outcome {
        /** Every attachment is on the node, pinned; one CID per attachment, in order. */
        record Stored(List<Cid> cids) implements Outcome {
        }

        /** The node is unavailable: park the record and try again later. */
        record Retry(String reason) implements Outcome {
        }

        /** The record can never be offloaded as it is. */
        record Refused(String reason, String detail) implements Outcome {
        }
    }

    public static final String CIPHERTEXT_MISMATCH = "ciphertext-mismatch";
    public static final String CID_MISMATCH = "cid-mismatch";
    public static final String CLAIM_CHECK_MISSING = "claim-check-missing";
    public static final String CLAIM_CHECK_MISMATCH = "claim-check-mismatch";
    public static final String IPFS_REFUSED = "ipfs-refused";
    public static final String OVERSIZE = "oversize-attachment";

    private final KuboClient client;
    private final long maxCiphertextBytes;

    public Offloader(KuboClient client, long maxCiphertextBytes) {
        this.client = client;
        this.maxCiphertextBytes = maxCiphertextBytes;
    }

    public Outcome offload(List<Attachment> attachments) {
        List<Cid> cids = new ArrayList<>();
        for (int i = 0; i < attachments.size(); i++) {
            Attachment a = attachments.get(i);
            try {
                cids.add(a.ciphertext() != null ? upload(i, a) : claimCheck(i, a));
            } catch (Refusal refusal) {
                return refusal.outcome;
            } catch (IpfsException e) {
                if (e.retryable()) {
                    return new Outcome.Retry("attachment " + i + ": " + e.getMessage());
                }
                String reason = switch (e.kind()) {
                    case NOT_FOUND -> CLAIM_CHECK_MISSING;
                    // The client checks the node's CID and size against its own: a mismatch is PROTOCOL.
                    case PROTOCOL -> CID_MISMATCH;
                    default -> IPFS_REFUSED;
                };
                return new Outcome.Refused(reason, "attachment " + i + ": " + e.getMessage());
            }
        }
        return new Outcome.Stored(cids);
    }

    /** A permanent failure of one attachment, carried out of the per-attachment steps. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Outcome.Refused outcome;

        Refusal(String reason, String detail) {
            super(detail, null, false, false);
            this.outcome = new Outcome.Refused(reason, detail);
        }
    }

    private Cid upload(int index, Attachment a) throws IpfsException, Refusal {
        byte[] ciphertext = a.ciphertext();
        if (ciphertext.length > maxCiphertextBytes) {
            throw new Refusal(OVERSIZE, "attachment " + index + " has " + ciphertext.length
                    + " bytes of ciphertext, more than " + maxCiphertextBytes);
        }
        if (ciphertext.length != a.ciphertextSize()
                || !MessageDigest.isEqual(Sha256.hash(ciphertext), a.ciphertextSha256())) {
            throw new Refusal(CIPHERTEXT_MISMATCH, "attachment " + index
                    + ": the ciphertext does not match the size and hash the gateway signed");
        }
        // add pins, computes the CID locally while uploading and refuses (PROTOCOL, a cid-mismatch here)
        // any answer whose CID or size differs from ours.
        return client.add(ciphertext).cid();
    }

    private Cid claimCheck(int index, Attachment a) throws IpfsException, Refusal {
        Cid cid = a.claimCheck();
        if (cid == null) {
            throw new Refusal(CLAIM_CHECK_MISSING, "attachment " + index + " has neither ciphertext nor CID");
        }
        BlockStat stat = client.blockStat(cid);
        // A raw-leaf CID is the whole file: its block size must be the ciphertext size the gateway signed.
        if (cid.isRaw() && stat.size() != a.ciphertextSize()) {
            throw new Refusal(CLAIM_CHECK_MISMATCH, "attachment " + index + ": " + cid + " holds "
                    + stat.size() + " bytes, the signed ciphertext has " + a.ciphertextSize());
        }
        client.pinAdd(cid);
        return cid;
    }
}
