package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.emrsb.avro.AnchorRecord;
import org.emrsb.avro.AnchorStatus;
import org.junit.jupiter.api.Test;

/** The broadcaster's view of an anchor only moves forward, whatever order records are read back in. */
class AnchorBroadcasterTest {

    private static AnchorRecord record(String hash, AnchorStatus status) {
        return AnchorRecord.newBuilder().setSequence(4).setStatus(status).setHash(hash)
                .setHeader(ByteBuffer.wrap(new byte[0])).setPreviousHash("00").setIntervalStart(Instant.EPOCH)
                .setIntervalEnd(Instant.EPOCH).setMerkleRoot("00").setBlocks(List.of()).setNetwork("regtest")
                .setWallet("w").setRecordedAt(Instant.EPOCH).build();
    }

    @Test
    void aRecordReadBackAfterTheAnchorMovedOnDoesNotUndoIt() {
        AnchorRecord confirmed = record("aa", AnchorStatus.CONFIRMED);
        AnchorRecord pending = record("aa", AnchorStatus.PENDING);
        AnchorRecord prepared = record("aa", AnchorStatus.PREPARED);
        assertSame(confirmed, AnchorBroadcaster.further(confirmed, pending));
        assertSame(confirmed, AnchorBroadcaster.further(confirmed, prepared));
        assertSame(pending, AnchorBroadcaster.further(prepared, pending));
        AnchorRecord again = record("aa", AnchorStatus.PENDING);
        assertSame(again, AnchorBroadcaster.further(pending, again), "a newer record of the same status (e.g. sent again)");
    }

    @Test
    void anotherAnchorUnderTheSameSequenceIsNotFollowed() {
        AnchorRecord first = record("aa", AnchorStatus.PREPARED);
        AnchorRecord other = record("bb", AnchorStatus.CONFIRMED);
        assertSame(first, AnchorBroadcaster.further(first, other));
    }
}
