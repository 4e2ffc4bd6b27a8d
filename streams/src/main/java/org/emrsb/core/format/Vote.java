package org.emrsb.core.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An approval vote of an enrolled member for delegate candidates, as the voter signs it. A later vote
 * of the same voter replaces the earlier. Candidates are distinct Ed25519 public keys, written in
 * ascending unsigned byte order so that one set of candidates has one encoding.
 */
public record Vote(byte[] voterKey, List<byte[]> candidates, long castAt) {

    public Vote {
        candidates = sorted(candidates);
    }

    private static List<byte[]> sorted(List<byte[]> candidates) {
        List<byte[]> copy = new ArrayList<>(candidates);
        copy.sort(Arrays::compareUnsigned);
        for (int i = 1; i < copy.size(); i++) {
            if (Arrays.equals(copy.get(i - 1), copy.get(i))) {
                throw new IllegalArgumentException("a candidate appears twice");
            }
        }
        return List.copyOf(copy);
    }

    public byte[] toBytes() {
        CanonicalWriter w = new CanonicalWriter(Tags.VOTE, 64 + 32 * candidates.size())
                .fixed(voterKey, 32, "voterKey").u32(candidates.size());
        for (byte[] candidate : candidates) {
            w.fixed(candidate, 32, "candidate");
        }
        return w.i64(castAt).toByteArray();
    }

    public static Vote parse(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, Tags.VOTE, "vote");
        byte[] voter = r.fixed(32, "voterKey");
        int n = r.count("candidates", 32);
        List<byte[]> candidates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] candidate = r.fixed(32, "candidate " + i);
            if (i > 0 && Arrays.compareUnsigned(candidates.get(i - 1), candidate) >= 0) {
                throw r.invalid("candidates", "are not in strictly ascending order at " + i);
            }
            candidates.add(candidate);
        }
        long castAt = r.i64("castAt");
        r.finish();
        return new Vote(voter, candidates, castAt);
    }
}
