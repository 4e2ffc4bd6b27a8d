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
        for (int i = 0; i < blocks.size() && index < 0; i++) {
            index = Hex.encode(blocks.get(i).hash()).equals(bundle.block().hash()) ? i : -1;
        }
        if (index < 0) {
            throw new IllegalArgumentException("anchor " + anchor.getSequence() + " does not cover block " + bundle.block().hash());
        }
        byte[] headerBytes = AvroMapping.bytes(anchor.getHeader());
        AnchorHeader header = AnchorHeader.parse(headerBytes);
        var proof = AnchorWindow.inclusion(blocks, index);
        ProofBundle.AnchorPart anchorPart = new ProofBundle.AnchorPart(header.sequence(), Hex.encode(headerBytes),
                Hex.encode(header.hash()), proof.leafIndex(), proof.treeSize(),
                proof.path().stream().map(Hex::encode).toList());
        ProofBundle.BitcoinPart bitcoinPart = anchor.getStatus() == AnchorStatus.CONFIRMED ? bitcoin(anchor) : null;
        return new ProofBundle(bundle.format(), bundle.authorityKey(), bundle.transaction(), bundle.block(), anchorPart,
                bitcoinPart);
    }

    private static ProofBundle.BitcoinPart bitcoin(AnchorRecord anchor) {
        byte[] tx = AvroMapping.bytes(anchor.getTx());
        byte[] header = AvroMapping.bytes(anchor.getBitcoinHeader());
        return new ProofBundle.BitcoinPart(BitcoinNetwork.fromId(anchor.getNetwork()).id(), Hex.encode(tx),
                Hex.encode(org.emrsb.core.bitcoin.DoubleSha256.hash(tx)), anchor.getTxIndex(), anchor.getBranch(),
                Hex.encode(org.emrsb.core.bitcoin.DoubleSha256.hash(header)), anchor.getBitcoinHeight(), Hex.encode(header));
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
