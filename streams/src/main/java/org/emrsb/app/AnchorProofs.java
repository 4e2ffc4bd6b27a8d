package org.emrsb.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.emrsb.avro.AnchorRecord;
import org.emrsb.avro.AnchorStatus;
import org.emrsb.core.anchor.AnchorWindow;
import org.emrsb.core.bitcoin.BitcoinNetwork;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.AnchorHeader;
import org.emrsb.core.proof.ProofBundle;
import org.emrsb.stream.AnchorTopology;
import org.emrsb.stream.AvroMapping;

/**
 * Completes a proof bundle from ledger.anchors: the anchor part once the block's anchor is sealed (its
 * header is final then), the bitcoin part once the anchor is CONFIRMED. The anchor record is whole, so
 * nothing else is asked: the block's inclusion proof is recomputed from the record's block list.
 */
final class AnchorProofs {

    private AnchorProofs() {
    }

    /**
     * The anchor that covers the block with hash {@code blockHash} (lowercase hex), if any; the furthest
     * on its way into Bitcoin when several alliances' anchor stages covered the same block.
     */
    static Optional<AnchorRecord> covering(Map<String, AnchorRecord> anchors, String blockHash) {
        return anchors.values().stream()
                .filter(a -> a.getBlocks().stream().anyMatch(b -> b.getHash().equals(blockHash)))
                .max(java.util.Comparator.comparingInt(a -> a.getStatus().ordinal()));
    }

    /** {@code bundle} (which has its block part) with the anchor part, and the bitcoin part when CONFIRMED. */
    static ProofBundle complete(ProofBundle bundle, AnchorRecord anchor) {
        List<AnchorWindow.Block> blocks = AnchorTopology.blocks(anchor);
        int index = -1;
        for (int i = 0; i < blocks.size(); i++) {
            if (Hex.encode(blocks.get(i).hash()).equals(bundle.block().hash())) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("anchor " + anchor.getSequence() + " does not cover block " + bundle.block().hash());
        }
        AnchorHeader header = AnchorHeader.parse(AvroMapping.bytes(anchor.getHeader()));
        ProofBundle.BitcoinPart bitcoin = anchor.getStatus() != AnchorStatus.CONFIRMED ? null
                : ProofBundle.BitcoinPart.of(BitcoinNetwork.fromId(anchor.getNetwork()), AvroMapping.bytes(anchor.getTx()),
                        anchor.getTxIndex(), anchor.getBranch().stream().map(h -> Hex.decode(h, 32, "branch")).toList(),
                        anchor.getBitcoinHeight(), AvroMapping.bytes(anchor.getBitcoinHeader()));
        return bundle.withAnchoring(ProofBundle.AnchorPart.of(header, AnchorWindow.inclusion(blocks, index)), bitcoin);
    }

    /** One line on where the block's anchor is. */
    static String describe(Optional<AnchorRecord> anchor) {
        if (anchor.isEmpty()) {
            return "no anchor covers its block yet (the anchor stage seals one every anchor.interval)";
        }
        AnchorRecord a = anchor.get();
        return switch (a.getStatus()) {
            case CONFIRMED -> "anchor " + a.getSequence() + " is CONFIRMED in Bitcoin block " + a.getBitcoinHeight()
                    + " (" + a.getNetwork() + ")";
            case PENDING -> "anchor " + a.getSequence() + " is PENDING in Bitcoin (" + a.getConfirmations()
                    + " confirmations so far; transaction " + a.getTxid() + ")";
            case PREPARED -> "anchor " + a.getSequence() + " is PREPARED; the broadcaster has not sent it yet";
            case UNFUNDED -> "anchor " + a.getSequence() + " is UNFUNDED: the anchor wallet needs coins (ops/emrsb anchor fund)";
        };
    }
}
