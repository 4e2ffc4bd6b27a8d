package org.emrsb.core.governance;

import java.util.Arrays;
import java.util.Objects;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Vote;

/**
 * An approval vote with the voter's signature, in the same encoding as {@link SignedCertificate}: the
 * vote's canonical bytes ({@link Vote#toBytes()}) immediately followed by the 64-byte Ed25519 signature
 * of the voter over those bytes. Parsing takes the last 64 bytes as the signature and parses the rest
 * strictly. Equality is by the encoding.
 */
public record SignedVote(Vote vote, byte[] signature) {

    public SignedVote {
        Objects.requireNonNull(vote, "vote");
        if (signature == null || signature.length != Signatures.SIZE) {
            throw new IllegalArgumentException("a vote signature is " + Signatures.SIZE + " bytes");
        }
        signature = signature.clone();
    }

    /** Signs {@code vote} with the voter's key (which should be the vote's voterKey). */
    public static SignedVote issue(SigningKey voter, Vote vote) {
        return new SignedVote(vote, Signatures.sign(voter, vote.toBytes()));
    }

    /**
     * Splits and parses the encoding.
     *
     * @throws FormatException if it is shorter than a signature or the vote does not parse strictly
     */
    public static SignedVote parse(byte[] bytes) {
        if (bytes == null || bytes.length <= Signatures.SIZE) {
            throw new FormatException("signed vote: " + (bytes == null ? 0 : bytes.length)
                    + " bytes cannot hold a vote and its " + Signatures.SIZE + "-byte signature");
        }
        int split = bytes.length - Signatures.SIZE;
        Vote vote = Vote.parse(Arrays.copyOfRange(bytes, 0, split));
        return new SignedVote(vote, Arrays.copyOfRange(bytes, split, bytes.length));
    }

    /** The vote's canonical bytes: what the voter signed. */
    public byte[] voteBytes() {
        return vote.toBytes();
    }

    /** Vote bytes, then the signature. */
    public byte[] toBytes() {
        return Signatures.appended(vote.toBytes(), signature);
    }

    /**
     * Whether the signature verifies against the vote's own voterKey. An invalid voter key (not a valid
     * Ed25519 public key) is simply {@code false}.
     */
    public boolean verifies() {
        VerifyingKey key;
        try {
            key = VerifyingKey.of(vote.voterKey());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return Signatures.verify(key, vote.toBytes(), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedVote s && Arrays.equals(toBytes(), s.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }
}
