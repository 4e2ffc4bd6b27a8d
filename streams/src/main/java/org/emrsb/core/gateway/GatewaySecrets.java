package org.emrsb.core.gateway;

import java.nio.charset.StandardCharsets;
import org.emrsb.core.crypto.AttachmentSecret;
import org.emrsb.core.crypto.Hkdf;
import org.emrsb.core.masking.MaskingKeys;

/**
 * The submitting institution's gateway secret (32 bytes, from a file named by configuration, never a
 * topic) and the keys derived from it with HKDF-SHA256 under distinct labels: the attachment secret,
 * the masking keys (pseudonyms, date shifts) and the per-submission commitment salt. One secret to back
 * up; rotating it changes pseudonyms, so it is rotated only with a documented migration.
 */
public final class GatewaySecrets {

    private final byte[] secret;
    private final AttachmentSecret attachmentSecret;
    private final MaskingKeys maskingKeys;

    public GatewaySecrets(byte[] secret) {
        if (secret == null || secret.length != 32) {
            throw new IllegalArgumentException("the gateway secret is 32 bytes");
        }
        this.secret = secret.clone();
        this.attachmentSecret = AttachmentSecret.of(derive("emrsb-gateway/attachments", new byte[0]));
        this.maskingKeys = MaskingKeys.derive(secret);
    }

    public AttachmentSecret attachmentSecret() {
        return attachmentSecret;
    }

    public MaskingKeys maskingKeys() {
        return maskingKeys;
    }

    /** The salt of a submission's raw commitment: deterministic, so a retry commits identically. */
    public byte[] commitmentSalt(String submissionId) {
        return derive("emrsb-gateway/commitment", submissionId.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] derive(String label, byte[] context) {
        byte[] ascii = label.getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[ascii.length + 1 + context.length];
        System.arraycopy(ascii, 0, info, 0, ascii.length);
        System.arraycopy(context, 0, info, ascii.length + 1, context.length);
        return Hkdf.sha256(secret, new byte[0], info, 32);
    }
}
