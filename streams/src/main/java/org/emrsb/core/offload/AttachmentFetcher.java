package org.emrsb.core.offload;

import java.security.MessageDigest;
import java.util.Arrays;
import org.emrsb.core.crypto.AttachmentCipher;
import org.emrsb.core.crypto.ContentKey;
import org.emrsb.core.crypto.DecryptionException;
import org.emrsb.core.crypto.KeyWrap;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.WrappedKey;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.ipfs.Cid;
import org.emrsb.core.ipfs.IpfsException;
import org.emrsb.core.ipfs.KuboClient;

/**
 * Gets an attachment back for one of its recipients (the submitter or the counterparty): fetches the
 * ciphertext by CID, checks that the bytes are the CID's and the gateway-signed hash's, unwraps the
 * content key with the member's X25519 key and decrypts with authentication (AES-GCM).
 */
public final class AttachmentFetcher {

    /** Why an attachment could not be given back. */
    public static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;

        public FetchException(String message) {
            super(message);
        }

        public FetchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KuboClient client;

    public AttachmentFetcher(KuboClient client) {
        this.client = client;
    }

    public byte[] fetch(String submissionId, MaskedRecord.EncryptedAttachmentRef attachment, Cid cid, MemberKeys member)
            throws FetchException {
        WrappedKey wrapped = wrappedFor(attachment, member);
        byte[] ciphertext;
        try {
            ciphertext = client.catVerified(cid, attachment.ciphertextSize());
        } catch (IpfsException e) {
            throw new FetchException("cannot fetch " + cid + " from IPFS: " + e.getMessage(), e);
        }
        if (ciphertext.length != attachment.ciphertextSize()
                || !MessageDigest.isEqual(Sha256.hash(ciphertext), attachment.ciphertextSha256())) {
            throw new FetchException("the ciphertext of " + cid + " is not the one the gateway signed");
        }
        try {
            ContentKey key = KeyWrap.unwrap(wrapped, member.encryptionKeys(), attachment.ciphertextSha256());
            return AttachmentCipher.decrypt(key, attachment.nonce(), submissionId, ciphertext);
        } catch (DecryptionException e) {
            throw new FetchException("cannot decrypt the attachment: " + e.getMessage(), e);
        }
    }

    private static WrappedKey wrappedFor(MaskedRecord.EncryptedAttachmentRef attachment, MemberKeys member)
            throws FetchException {
        byte[] mine = member.encryptionPublicKey().bytes();
        for (byte[] entry : attachment.wrappedKeys()) {
            WrappedKey wrapped = WrappedKey.fromBytes(entry);
            if (Arrays.equals(wrapped.recipient().bytes(), mine)) {
                return wrapped;
            }
        }
        throw new FetchException("member " + member.verifyingKey() + " (" + member.encryptionPublicKey()
                + ") is not a recipient of this attachment: its key was wrapped only for the submitter and the counterparty");
    }
}
