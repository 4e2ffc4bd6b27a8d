package org.emrsb.app;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.avro.GovernanceVote;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.Vote;
import org.emrsb.core.governance.SignedVote;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb vote --key KEYFILE --for ed25519:...[,ed25519:...]}: an enrolled member's signed
 * approval vote for delegate candidates, on governance.votes. A later vote replaces the member's earlier
 * one; {@code --for} with no candidate ({@code --withdraw}) withdraws every approval.
 */
@Command(name = "vote", description = "Sign and publish an approval vote for delegate candidates.")
final class VoteCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @Option(names = "--key", required = true, paramLabel = "KEYFILE", description = "the voter's key file")
    Path keyFile;

    @Option(names = "--for", split = ",", paramLabel = "ed25519:HEX", description = "the candidates approved")
    List<String> candidates = new ArrayList<>();

    @Option(names = "--withdraw", description = "approve nobody (withdraws an earlier vote's approvals)")
    boolean withdraw;

    @Override
    public Integer call() throws Exception {
        if (candidates.isEmpty() && !withdraw) {
            throw new IllegalArgumentException("name the candidates with --for ed25519:...[,...], or --withdraw");
        }
        if (!candidates.isEmpty() && withdraw) {
            throw new IllegalArgumentException("--for and --withdraw exclude each other");
        }
        MemberKeys voter = MemberKeys.read(keyFile);
        List<byte[]> approved = new ArrayList<>();
        for (String candidate : candidates) {
            approved.add(VerifyingKey.parse(candidate.strip()).bytes());
        }
        RecordMetadata meta = publish(common.config(), voter, approved);
        System.out.printf("%s approves %d candidate(s) -> %s-%d@%d%n", voter.verifyingKey(), approved.size(),
                meta.topic(), meta.partition(), meta.offset());
        return 0;
    }

    /** Signs a vote of {@code voter} approving {@code approved}, dated now, and publishes it. */
    static RecordMetadata publish(EmrsbConfig config, MemberKeys voter, List<byte[]> approved) throws Exception {
        SignedVote vote = SignedVote.issue(voter.signingKey(),
                new Vote(voter.verifyingKey().bytes(), approved, System.currentTimeMillis()));
        try (Serde<GovernanceVote> serde = AvroSerdes.registry(config.registry(), false);
             KafkaProducer<String, GovernanceVote> producer = new KafkaProducer<>(
                     KafkaClients.producer(config, "emrsb-vote"), new StringSerializer(), serde.serializer())) {
            return producer.send(new ProducerRecord<>(Topics.GOVERNANCE_VOTES, voter.verifyingKey().toString(),
                    new GovernanceVote(ByteBuffer.wrap(vote.voteBytes()), ByteBuffer.wrap(vote.signature()))))
                    .get(KafkaClients.CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
