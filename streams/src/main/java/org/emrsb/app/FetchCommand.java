package org.emrsb.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.serialization.Serde;
import org.emrsb.avro.MaskedAttachment;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.ipfs.Cid;
import org.emrsb.core.ipfs.KuboClient;
import org.emrsb.core.offload.AttachmentFetcher;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.Topics;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb fetch (--submission ID | --transaction TXID) [--index N] --key KEYFILE --out FILE}: a
 * recipient gets an attachment back. The record is found by its submission id on emr.offloaded, or by
 * its ledger transaction id through a delegate's query endpoint (the transaction's canonical bytes
 * carry the masked record and the attachments' CIDs, and must hash to the id); the attachment is
 * fetched from IPFS, its CID and hash checked, its key unwrapped with the member's key, and decrypted
 * with authentication.
 */
@Command(name = "fetch", description = "Fetch and decrypt an offloaded attachment (recipients only).")
final class FetchCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** The record to fetch from: by submission id or by transaction id. */
    static final class Which {
        @Option(names = "--submission", required = true, paramLabel = "ID",
                description = "the submission id (found on emr.offloaded)")
        String submissionId;

        @Option(names = "--transaction", required = true, paramLabel = "TXID",
                description = "the ledger transaction id, 64 lowercase hex (resolved through --endpoint)")
        String transactionId;
    }

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "with --transaction: a delegate instance's query endpoint, http://HOST:PORT "
                    + "(default: http:// + query.listen)")
    String endpoint;

    @Option(names = "--index", defaultValue = "0", paramLabel = "N", description = "attachment number, from 0 (default 0)")
    int index;

    @Option(names = "--key", required = true, paramLabel = "KEYFILE", description = "the recipient's key file")
    Path keyFile;

    @Option(names = "--out", required = true, paramLabel = "FILE") Path out;

    /**
     * What fetching needs of a record: the masked record and its attachments' CIDs (null where not offloaded).
     *
     * @param source how the record was found, for messages
     */
    record Located(MaskedRecord record, List<Cid> cids, String source) {
    }

    @Override
    public Integer call() throws Exception {
        EmrsbConfig config = common.config();
        if (endpoint != null && which.transactionId == null) {
            throw new IllegalArgumentException("--endpoint goes with --transaction; a submission is found on "
                    + Topics.OFFLOADED);
        }
        MemberKeys member = MemberKeys.read(keyFile);
        Located found = which.transactionId != null ? byTransaction(config, which.transactionId)
                : bySubmission(config, which.submissionId);
        List<MaskedRecord.EncryptedAttachmentRef> attachments = found.record().attachments();
        if (index < 0 || index >= attachments.size()) {
            throw new IllegalArgumentException(found.source() + " has " + attachments.size()
                    + " attachment(s); --index " + index + " does not exist");
        }
        Cid cid = found.cids().get(index);
        if (cid == null) {
            throw new IllegalStateException("attachment " + index + " of " + found.source() + " has no CID yet");
        }
        MaskedRecord.EncryptedAttachmentRef ref = attachments.get(index);
        byte[] plaintext;
        try (KuboClient client = Pipeline.ipfs(config)) {
            plaintext = new AttachmentFetcher(client).fetch(found.record().submissionId(), ref, cid, member);
        }
        Files.write(out, plaintext);
        System.out.printf("%s: %d bytes of %s from %s, decrypted for %s%n", out, plaintext.length,
                ref.mediaType(), cid, member.verifyingKey());
        return 0;
    }

    private static Located bySubmission(EmrsbConfig config, String submissionId) {
        SignedMaskedRecord record = find(config, submissionId);
        List<Cid> cids = new ArrayList<>();
        for (MaskedAttachment attachment : record.getAttachments()) {
            cids.add(attachment.getCid() == null ? null : Cid.fromBytes(AvroMapping.bytes(attachment.getCid())));
        }
        return new Located(AvroMapping.toCanonical(record), cids, "submission " + submissionId);
    }

    /** The record of a transaction, from the query endpoint, checked against the id. */
    private Located byTransaction(EmrsbConfig config, String transactionId) {
        ProofCommand.requireTransactionId(transactionId);
        QueryClient client = new QueryClient(QueryClient.endpoint(endpoint, config));
        JsonNode answer;
        try {
            answer = client.transaction(transactionId);
        } catch (QueryClient.QueryFailure e) {
            throw new IllegalArgumentException((e.status() == 404 ? "unknown transaction " + transactionId + ": " : "")
                    + e.getMessage());
        }
        byte[] canonical = Hex.decode(answer.path("canonical").asText(), "canonical transaction bytes");
        if (!Sha256.hex(canonical).equals(transactionId)) {
            throw new IllegalStateException(client.endpoint() + " answered bytes that are not transaction " + transactionId);
        }
        Transaction tx = Transaction.parse(canonical);
        List<Cid> cids = tx.attachmentCids().stream().map(Cid::fromBytes).toList();
        MaskedRecord record = tx.masked();
        return new Located(record, cids, "transaction " + transactionId + " (submission " + record.submissionId() + ")");
    }

    /** The offloaded record of a submission: scans emr.offloaded. */
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
