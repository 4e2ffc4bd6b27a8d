package org.emrsb.core.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A masked record as the submitting institution's gateway signs it: the only form in which a record
 * leaves the institution. {@code maskedBody} is the masked record as RFC 8785 canonical JSON.
 * {@code rawCommitment} = SHA-256(ASCII("emrsb:raw-commitment:v1") || salt || SHA-256(submission bytes)),
 * with a 32-byte salt the gateway keeps, so the raw record can later be shown to match without the
 * commitment revealing it.
 */
public record MaskedRecord(String submissionId, long maskedAt, BodyFormat format, byte[] maskedBody,
        String policyId, String policyVersion, byte[] policyHash, byte[] rawCommitment,
        byte[] submitterKey, byte[] counterpartyKey, byte[] gatewayKey, List<EncryptedAttachmentRef> attachments) {

    /** Size of one wrapped key entry: recipient X25519 key, ephemeral X25519 key, wrapped content key. */
    public static final int WRAPPED_KEY_SIZE = 32 + 32 + 48;

    private static final byte[] COMMITMENT_TAG = "emrsb:raw-commitment:v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * An attachment as ciphertext: what the gateway signs about it. The bytes themselves travel inline
     * on emr.masked and go to IPFS at the offload stage; the hash keeps the signature checkable after.
     *
     * @param nonce       the 12-byte AES-GCM nonce (public; the key is not)
     * @param wrappedKeys one 112-byte entry per recipient (docs/ledger-format.md, key wrapping)
     */
    public record EncryptedAttachmentRef(String mediaType, long plaintextSize, long ciphertextSize,
            byte[] ciphertextSha256, byte[] nonce, List<byte[]> wrappedKeys) {
        public EncryptedAttachmentRef {
            wrappedKeys = List.copyOf(wrappedKeys);
            if (ciphertextSize != plaintextSize + 16) {
                throw new IllegalArgumentException("AES-GCM ciphertext is the plaintext plus a 16-byte tag");
            }
        }
    }

    public MaskedRecord {
        attachments = List.copyOf(attachments);
    }

    /** The salted commitment to a raw submission's canonical bytes. */
    public static byte[] rawCommitment(byte[] salt, byte[] submissionBytes) {
        if (salt == null || salt.length != 32) {
            throw new IllegalArgumentException("the commitment salt is 32 bytes");
        }
        byte[] digest = Sha256.hash(submissionBytes);
        byte[] input = new byte[COMMITMENT_TAG.length + 64];
        System.arraycopy(COMMITMENT_TAG, 0, input, 0, COMMITMENT_TAG.length);
        System.arraycopy(salt, 0, input, COMMITMENT_TAG.length, 32);
        System.arraycopy(digest, 0, input, COMMITMENT_TAG.length + 32, 32);
        return Sha256.hash(input);
    }

    public byte[] toBytes() {
        CanonicalWriter w = new CanonicalWriter(Tags.MASKED_RECORD, 512 + maskedBody.length)
                .string(submissionId, "submissionId").i64(maskedAt).u8(format.code).bytes(maskedBody, "maskedBody")
                .string(policyId, "policyId").string(policyVersion, "policyVersion")
                .fixed(policyHash, 32, "policyHash").fixed(rawCommitment, 32, "rawCommitment")
                .fixed(submitterKey, 32, "submitterKey").fixed(counterpartyKey, 32, "counterpartyKey")
                .fixed(gatewayKey, 32, "gatewayKey").u32(attachments.size());
        for (EncryptedAttachmentRef a : attachments) {
            w.string(a.mediaType(), "attachment mediaType").u64(a.plaintextSize()).u64(a.ciphertextSize())
                    .fixed(a.ciphertextSha256(), 32, "attachment ciphertextSha256").fixed(a.nonce(), 12, "attachment nonce")
                    .u32(a.wrappedKeys().size());
            for (byte[] wrapped : a.wrappedKeys()) {
                w.fixed(wrapped, WRAPPED_KEY_SIZE, "wrapped key");
            }
        }
        return w.toByteArray();
    }

    public static MaskedRecord parse(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, Tags.MASKED_RECORD, "masked record");
        String id = r.string("submissionId");
        long at = r.i64("maskedAt");
        BodyFormat format = BodyFormat.of(r.u8("format"));
        byte[] body = r.bytes("maskedBody");
        String policyId = r.string("policyId");
        String policyVersion = r.string("policyVersion");
        byte[] policyHash = r.fixed(32, "policyHash");
        byte[] commitment = r.fixed(32, "rawCommitment");
        byte[] submitter = r.fixed(32, "submitterKey");
        byte[] counterparty = r.fixed(32, "counterpartyKey");
        byte[] gateway = r.fixed(32, "gatewayKey");
        int n = r.count("attachments", 4 + 8 + 8 + 32 + 12 + 4);
        List<EncryptedAttachmentRef> attachments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            attachments.add(readAttachment(r, i));
        }
        r.finish();
        return new MaskedRecord(id, at, format, body, policyId, policyVersion, policyHash, commitment, submitter,
                counterparty, gateway, attachments);
    }

    private static EncryptedAttachmentRef readAttachment(CanonicalReader r, int index) {
        String prefix = "attachment " + index + " ";
        String mediaType = r.string(prefix + "mediaType");
        long plaintextSize = r.u64(prefix + "plaintextSize");
        long ciphertextSize = r.u64(prefix + "ciphertextSize");
        byte[] sha = r.fixed(32, prefix + "ciphertextSha256");
        byte[] nonce = r.fixed(12, prefix + "nonce");
        int keys = r.count(prefix + "wrappedKeys", WRAPPED_KEY_SIZE);
        List<byte[]> wrapped = new ArrayList<>(keys);
        for (int k = 0; k < keys; k++) {
            wrapped.add(r.fixed(WRAPPED_KEY_SIZE, prefix + "wrapped key " + k));
        }
        try {
            return new EncryptedAttachmentRef(mediaType, plaintextSize, ciphertextSize, sha, nonce, wrapped);
        } catch (IllegalArgumentException e) {
            throw r.invalid(prefix + "sizes", e.getMessage());
        }
    }
}
