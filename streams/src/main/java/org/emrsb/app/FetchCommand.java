package org.emrsb.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.serialization.Serde;
import org.emrsb.avro.MaskedAttachment;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.ipfs.Cid;
import org.emrsb.core.ipfs.KuboClient;
import org.emrsb.core.offload.AttachmentFetcher;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb fetch --submission ID [--index N] --key KEYFILE --out FILE}: a recipient gets an
 * attachment back: found on emr.offloaded, fetched from IPFS, its CID and hash checked, its key
 * unwrapped with the member's key, decrypted with authentication.
 */
@Command(name = "fetch", description = "Fetch and decrypt an offloaded attachment (recipients only).")
final class FetchCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @Option(names = "--submission", required = true, paramLabel = "ID") String submissionId;

    @Option(names = "--index", defaultValue = "0", paramLabel = "N", description = "attachment number, from 0 (default 0)")
    int index;

    @Option(names = "--key", required = true, paramLabel = "KEYFILE", description = "the recipient's key file")
    Path keyFile;

    @Option(names = "--out", required = true, paramLabel = "FILE") Path out;

    @Override
    public Integer call() throws Exception {
        EmrsbConfig config = common.config();
        MemberKeys member = MemberKeys.read(keyFile);
        SignedMaskedRecord record = find(config, submissionId);
        List<MaskedAttachment> attachments = record.getAttachments();
        if (index < 0 || index >= attachments.size()) {
            throw new IllegalArgumentException("submission " + submissionId + " has " + attachments.size()
                    + " attachment(s); --index " + index + " does not exist");
        }
        MaskedAttachment attachment = attachments.get(index);
        if (attachment.getCid() == null) {
            throw new IllegalStateException("attachment " + index + " of " + submissionId + " has no CID yet");
        }
        Cid cid = Cid.fromBytes(AvroMapping.bytes(attachment.getCid()));
        MaskedRecord.EncryptedAttachmentRef ref = AvroMapping.toCanonical(record).attachments().get(index);
        byte[] plaintext;
        try (KuboClient client = Pipeline.ipfs(config)) {
            plaintext = new AttachmentFetcher(client).fetch(submissionId, ref, cid, member);
        }
        Files.write(out, plaintext);
        System.out.printf("%s: %d bytes of %s from %s, decrypted for %s%n", out, plaintext.length,
                attachment.getMediaType(), cid, member.verifyingKey());
        return 0;
    }

    /** The offloaded record of a submission: scans emr.offloaded (the ledger adds lookup by transaction id). */
    static SignedMaskedRecord find(EmrsbConfig config, String submissionId) {
        try (Serde<SignedMaskedRecord> serde = AvroSerdes.registry(config.registry(), false)) {
            java.util.function.Function<byte[], SignedMaskedRecord> decode = bytes -> {
                try {
                    return serde.deserializer().deserialize(Topics.OFFLOADED, bytes);
                } catch (RuntimeException e) {
                    return null;
                }
            };
            return TopicReader.findFirst(config, Topics.OFFLOADED, record -> {
                SignedMaskedRecord value = decode.apply(record.value());
                return value != null && submissionId.equals(value.getSubmissionId());
            }, Duration.ofMinutes(5)).map(record -> decode.apply(record.value())).orElseThrow(() ->
                    new IllegalArgumentException("no offloaded record for submission " + submissionId + " on "
                            + Topics.OFFLOADED));
        }
    }
}
