package org.emrsb.regtest;

import java.util.EnumSet;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.core.StoredBlock;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.VerificationException;
import org.bitcoinj.params.RegTestParams;
import org.bitcoinj.script.Script;
import org.bitcoinj.store.BlockStore;
import org.bitcoinj.utils.VersionTally;

/**
 * Regtest parameters with the rules Bitcoin Core's regtest enforces from height 1, and without
 * bitcoinj 0.17.1's version-bits bug.
 *
 * <p>Stock {@link RegTestParams} auto-unboxes {@code VersionTally.getCountAtOrAbove}, which is
 * {@code null} until 1000 blocks were seen, so {@code FullPrunedBlockChain} throws a
 * NullPointerException on the first block of version 4 or more (bitcoinj issue #1466, PRs #1282 and
 * #4191, all open). Core's regtest activates BIP34, BIP65 and BIP66 at height 1 instead of by
 * version majority, and never retargets ({@code fPowNoRetargeting}), which is what this class does:
 * coinbase height, P2SH, strict DER signatures and CHECKLOCKTIMEVERIFY on every block after genesis,
 * and every block's nBits equal to the genesis block's {@code 0x207fffff}.
 */
public final class CoreLikeRegTestParams extends RegTestParams {

    /** Regtest's compact target: about half of all hashes meet it. */
    public static final long BITS = 0x207fffffL;

    private static final CoreLikeRegTestParams INSTANCE = new CoreLikeRegTestParams();

    private CoreLikeRegTestParams() {
    }

    public static CoreLikeRegTestParams get() {
        return INSTANCE;
    }

    @Override
    public EnumSet<Block.VerifyFlag> getBlockVerificationFlags(Block block, VersionTally tally, Integer height) {
        return EnumSet.of(Block.VerifyFlag.HEIGHT_IN_COINBASE);
    }

    @Override
    public EnumSet<Script.VerifyFlag> getTransactionVerificationFlags(Block block, Transaction transaction,
            VersionTally tally, Integer height) {
        return EnumSet.of(Script.VerifyFlag.P2SH, Script.VerifyFlag.DERSIG, Script.VerifyFlag.CHECKLOCKTIMEVERIFY);
    }

    /** The flags a transaction's scripts are checked with, in the mempool and in blocks alike. */
    public static EnumSet<Script.VerifyFlag> scriptFlags() {
        return EnumSet.of(Script.VerifyFlag.P2SH, Script.VerifyFlag.DERSIG, Script.VerifyFlag.CHECKLOCKTIMEVERIFY);
    }

    @Override
    public void checkDifficultyTransitions(StoredBlock storedPrev, Block next, BlockStore blockStore)
            throws VerificationException {
        if (next.getDifficultyTarget() != BITS) {
            throw new VerificationException(String.format("bad-diffbits: regtest does not retarget, nBits 0x%08x != 0x%08x",
                    next.getDifficultyTarget(), BITS));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkParameters p && p.getId().equals(getId());
    }

    @Override
    public int hashCode() {
        return getId().hashCode();
    }
}
