package org.emrsb.core.format;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A transaction as its delegate signs it: the gateway-signed masked record (its canonical bytes and
 * the gateway's signature), the attachments' CIDs (binary, one per attachment, in order), and where
 * and under which governance epoch the delegate sequenced it. The transaction's id is the lowercase hex
 * SHA-256 of these bytes; its 32 bytes are the leaf data of the block tree.
 */
public record Transaction(byte[] maskedRecord, byte[] gatewaySignature, List<byte[]> attachmentCids, long chain,
        long sequence, long epoch, byte[] delegateKey, long signedAt) {

    public Transaction {
        attachmentCids = List.copyOf(attachmentCids);
    }

    /** The masked record inside, parsed (checks that there is one CID per attachment). */
    public MaskedRecord masked() {
        MaskedRecord record = MaskedRecord.parse(maskedRecord);
        if (record.attachments().size() != attachmentCids.size()) {
            throw new FormatException("transaction: " + attachmentCids.size() + " CIDs for "
                    + record.attachments().size() + " attachments");
        }
        return record;
    }

    public byte[] toBytes() {
        CanonicalWriter w = new CanonicalWriter(Tags.TRANSACTION, 256 + maskedRecord.length)
                .bytes(maskedRecord, "maskedRecord").fixed(gatewaySignature, 64, "gatewaySignature")
                .u32(attachmentCids.size());
        for (byte[] cid : attachmentCids) {
            w.bytes(cid, "attachment CID");
        }
        return w.u32(chain).u64(sequence).u64(epoch).fixed(delegateKey, 32, "delegateKey").i64(signedAt)
                .toByteArray();
    }

    /** SHA-256 of the canonical bytes: the leaf data of the block tree. */
    public byte[] idBytes() {
        return Sha256.hash(toBytes());
    }

    /** The transaction id: lowercase hex of {@link #idBytes()}. */
    public String id() {
        return HexFormat.of().formatHex(idBytes());
    }

    public static Transaction parse(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, Tags.TRANSACTION, "transaction");
        byte[] masked = r.bytes("maskedRecord");
        byte[] signature = r.fixed(64, "gatewaySignature");
        int n = r.count("attachmentCids", 4);
        List<byte[]> cids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cids.add(r.bytes("attachment CID " + i));
        }
        Transaction tx = new Transaction(masked, signature, cids, r.u32("chain"), r.u64("sequence"), r.u64("epoch"),
                r.fixed(32, "delegateKey"), r.i64("signedAt"));
        r.finish();
        tx.masked();
        return tx;
    }
}
