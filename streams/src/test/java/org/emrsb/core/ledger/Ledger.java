package org.emrsb.core.ledger;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.format.BodyFormat;
import org.emrsb.core.format.MaskedRecord;

/** Synthetic inputs for the ledger tests: seeded keys and gateway-signed masked records. */
final class Ledger {

    static final long T0 = 1_795_000_000_000L;

    private Ledger() {
    }

    /** A deterministic Ed25519 key: SHA1PRNG seeded before first use. */
    static SigningKey key(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return SigningKey.generate(random);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final SigningKey GATEWAY = key(1);
    static final SigningKey DELEGATE = key(2);
    static final SigningKey OTHER_DELEGATE = key(3);

    static byte[] filled(int value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** A masked record numbered {@code n}, with {@code n % 3} attachments (so 0 to 2 CIDs). */
    static MaskedRecord masked(int n) {
        List<MaskedRecord.EncryptedAttachmentRef> attachments = new ArrayList<>();
        for (int a = 0; a < n % 3; a++) {
            attachments.add(new MaskedRecord.EncryptedAttachmentRef("application/dicom", 1024 + a, 1040 + a,
                    filled(0xb0 + a, 32), filled(0xd0 + a, 12), List.of(filled(0x11, 112))));
        }
        return new MaskedRecord("submission-" + n, T0 + n, BodyFormat.FLAT_JSON,
                ("{\"age\":\"[60, 65]\",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8), "paper", "1",
                filled(0x50, 32), filled(n & 0xff, 32), filled(0x10, 32), filled(0x30, 32),
                GATEWAY.verifyingKey().bytes(), attachments);
    }

    static List<byte[]> cids(int n) {
        List<byte[]> cids = new ArrayList<>();
        for (int a = 0; a < n % 3; a++) {
            byte[] cid = filled(0x01 + a, 36);
            cid[35] = (byte) n;
            cids.add(cid);
        }
        return cids;
    }

    /** Sequences record {@code n} on {@code head} at {@code now} under {@code epoch}. */
    static SignedTransaction append(ChainHead head, int n, long epoch, SigningKey delegate, long now) {
        byte[] record = masked(n).toBytes();
        return head.sequence(record, Signatures.sign(GATEWAY, record), cids(n), epoch, delegate, now);
    }

    static List<byte[]> ids(List<SignedTransaction> txs) {
        return txs.stream().map(SignedTransaction::idBytes).toList();
    }
}
