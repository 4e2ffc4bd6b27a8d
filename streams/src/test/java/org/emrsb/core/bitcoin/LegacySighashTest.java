package org.emrsb.core.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.InputStream;
import org.emrsb.core.crypto.Hex;
import org.junit.jupiter.api.Test;

/** The legacy signature hash against Bitcoin Core's sighash.json (see SOURCES.md next to the data). */
class LegacySighashTest {

    @Test
    void coreSighashVectors() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("sighash-legacy.json")) {
            vectors = JsonMapper.builder().build().readTree(in);
        }
        int checked = 0;
        for (JsonNode v : vectors) {
            if (v.size() == 1) {
                continue; // the header line
            }
            BitcoinTransaction tx = BitcoinTransaction.parse(Hex.decode(v.get(0).textValue(), "tx"));
            byte[] script = Hex.decode(v.get(1).textValue(), "script");
            byte[] hash = LegacySighash.hash(tx, v.get(2).intValue(), script, v.get(3).intValue());
            assertEquals(v.get(4).textValue(), Hex.encode(DoubleSha256.reverse(hash)), v.get(0).textValue());
            checked++;
        }
        assertEquals(13, checked);
    }

    /** Core's historical quirk: SINGLE for an input without an output of the same index signs the number 1. */
    @Test
    void singleWithoutMatchingOutputIsOne() {
        BitcoinTransaction tx = new BitcoinTransaction(1, java.util.List.of(
                new BitcoinTransaction.Input(new byte[32], 0, new byte[0], 0xffff_ffffL),
                new BitcoinTransaction.Input(new byte[32], 1, new byte[0], 0xffff_ffffL)),
                java.util.List.of(new BitcoinTransaction.Output(1, new byte[] {0x51})), 0);
        byte[] one = new byte[32];
        one[0] = 1;
        assertArrayEquals(one, LegacySighash.hash(tx, 1, new byte[] {0x51}, LegacySighash.SIGHASH_SINGLE));
        assertEquals(false, java.util.Arrays.equals(one, LegacySighash.hash(tx, 0, new byte[] {0x51}, LegacySighash.SIGHASH_SINGLE)));
    }

    @Test
    void codeSeparatorsAreRemovedButNotInsidePushes() {
        assertArrayEquals(Hex.decode("5152", "s"), LegacySighash.withoutCodeSeparators(Hex.decode("ab51ab52ab", "s")));
        assertArrayEquals(Hex.decode("02abab51", "s"), LegacySighash.withoutCodeSeparators(Hex.decode("02abab51ab", "s")));
        assertArrayEquals(Hex.decode("4c01ab", "s"), LegacySighash.withoutCodeSeparators(Hex.decode("ab4c01ab", "s")));
        // A push that runs past the end is kept as it is, as Core does.
        assertArrayEquals(Hex.decode("05abab", "s"), LegacySighash.withoutCodeSeparators(Hex.decode("ab05abab", "s")));
    }
}
