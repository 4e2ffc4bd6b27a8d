package org.emrsb.core.governance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Vote;
import org.junit.jupiter.api.Test;

class SignedVoteTest {

    private final Alliance a = new Alliance();

    @Test
    void theEncodingIsTheVoteBytesThenTheSignatureAndRoundTrips() {
        SignedVote signed = Alliance.vote(a.voters.get(0), Alliance.NOW, a.d.get(1), a.d.get(0));
        byte[] bytes = signed.toBytes();
        byte[] voteBytes = signed.vote().toBytes();
        assertEquals(voteBytes.length + Signatures.SIZE, bytes.length);
        assertArrayEquals(voteBytes, Arrays.copyOf(bytes, voteBytes.length));
        assertArrayEquals(signed.signature(), Arrays.copyOfRange(bytes, voteBytes.length, bytes.length));
        SignedVote parsed = SignedVote.parse(bytes);
        assertEquals(signed, parsed);
        assertTrue(parsed.verifies());
    }

    @Test
    void aVoteVerifiesOnlyUnderItsVotersKey() {
        SignedVote signed = Alliance.vote(a.voters.get(0), Alliance.NOW, a.d.get(0));
        byte[] bytes = signed.toBytes();
        bytes[bytes.length - 1] ^= 1;
        assertFalse(SignedVote.parse(bytes).verifies());
        Vote claimed = new Vote(Alliance.key(a.voters.get(1)), List.of(Alliance.key(a.d.get(0))), Alliance.NOW);
        assertFalse(SignedVote.issue(a.voters.get(0).signingKey(), claimed).verifies());
        Vote invalidKey = new Vote(new byte[32], List.of(Alliance.key(a.d.get(0))), Alliance.NOW);
        assertFalse(new SignedVote(invalidKey, new byte[64]).verifies());
    }

    @Test
    void malformedEncodingsAreRefused() {
        assertThrows(FormatException.class, () -> SignedVote.parse(new byte[64]));
        assertThrows(FormatException.class, () -> SignedVote.parse(null));
        byte[] bytes = Alliance.vote(a.voters.get(0), Alliance.NOW, a.d.get(0)).toBytes();
        assertThrows(FormatException.class, () -> SignedVote.parse(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(IllegalArgumentException.class,
                () -> new SignedVote(Alliance.vote(a.voters.get(0), 0, a.d.get(0)).vote(), new byte[63]));
    }
}
