package org.emrsb.core.monitor;

import static org.emrsb.core.monitor.CheckNames.BLOCK_COUNT;
import static org.emrsb.core.monitor.CheckNames.BLOCK_EPOCH;
import static org.emrsb.core.monitor.CheckNames.BLOCK_FORMAT;
import static org.emrsb.core.monitor.CheckNames.BLOCK_RANGE;
import static org.emrsb.core.monitor.CheckNames.CHAIN;
import static org.emrsb.core.monitor.CheckNames.DELEGATE_ACTIVE;
import static org.emrsb.core.monitor.CheckNames.DELEGATE_SIGNATURE;
import static org.emrsb.core.monitor.CheckNames.HEIGHT;
import static org.emrsb.core.monitor.CheckNames.MERKLE_ROOT;
import static org.emrsb.core.monitor.CheckNames.PREVIOUS_HASH;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.VerifyingKeyCache;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Tags;
import org.emrsb.core.ledger.SealedBlock;

/**
 * A monitor's checks of one delegate-signed block against the chain's {@link ChainWatch}
 * (docs/monitoring.md), run in {@link #ORDER}; the outcome is the first failure, or acceptance.
 *
 * <p>Two checks wait instead of failing: {@code delegate-active} while the block's epoch is not known,
 * and {@code block-range} while the block reaches past the transactions judged so far
 * ({@code lastSequence ≥ watch.nextSequence()}: the block was read before some of its transactions).
 * The caller keeps the block and checks it again later.
 *
 * <p>The open block of the watch must hold exactly the accepted transactions up to the block's last
 * sequence (see {@link ChainWatch} on deferred appends). On acceptance the caller advances the watch
 * with {@link ChainWatch#recordBlock}. Thread-safe if the epoch lookup is.
 */
public final class BlockChecks {

    /** The checks, in the order they run. */
    public static final List<String> ORDER = List.of(BLOCK_FORMAT, DELEGATE_SIGNATURE, DELEGATE_ACTIVE, CHAIN, HEIGHT,
            PREVIOUS_HASH, BLOCK_RANGE, BLOCK_COUNT, MERKLE_ROOT, BLOCK_EPOCH);

    /**
     * The checks whose failure on a header the delegate validly signed is evidence against it from the
     * header alone and the epochs; the others need the chain's previous block and transactions
     * (docs/monitoring.md, "Evidence").
     */
    public static final List<String> EVIDENCE = List.of(BLOCK_FORMAT, DELEGATE_ACTIVE);

    private final EpochLookup epochs;
    private final VerifyingKeyCache keys = new VerifyingKeyCache(1024);

    public BlockChecks(EpochLookup epochs) {
        this.epochs = Objects.requireNonNull(epochs, "epochs");
    }

    /** Runs every check in {@link #ORDER} against the chain's watch; the first failure or waiting wins. */
    public CheckOutcome check(SealedBlock block, ChainWatch watch) {
        Objects.requireNonNull(watch, "watch");
        Optional<CheckOutcome> malformed = format(block);
        if (malformed.isPresent()) {
            return malformed.get();
        }
        BlockHeader header = block.header();
        for (String check : ORDER.subList(1, ORDER.size())) {
            Optional<CheckOutcome> failure = run(check, header, block, watch);
            if (failure.isPresent()) {
                return failure.get();
            }
        }
        return CheckOutcome.ACCEPTED;
    }

    /**
     * The first of the {@link #EVIDENCE} checks that the block fails, provided the delegate's signature
     * over its bytes verifies (for bytes that do not parse: with {@code block.header().delegateKey()},
     * and only if they carry the block tag). Empty when the fault cannot be pinned on the delegate
     * from the header alone.
     */
    public Optional<CheckOutcome.Rejected> attributableFailure(SealedBlock block) {
        BlockHeader header;
        try {
            header = BlockHeader.parse(block.bytes());
        } catch (FormatException e) {
            boolean signedByDelegate = TaggedBytes.claim(block.bytes(), Tags.BLOCK_HEADER)
                    && DelegateRules.signature(keys, block.bytes(), block.signature(), block.header().delegateKey()).isEmpty();
            return signedByDelegate ? Optional.of(new CheckOutcome.Rejected(BLOCK_FORMAT, e.getMessage()))
                    : Optional.empty();
        }
        if (DelegateRules.signature(keys, block.bytes(), block.signature(), header.delegateKey()).isPresent()) {
            return Optional.empty();
        }
        return DelegateRules.active(epochs, header.epoch(), header.delegateKey())
                .filter(CheckOutcome.Rejected.class::isInstance).map(CheckOutcome.Rejected.class::cast);
    }

    /** {@code block-format}: the bytes parse strictly and are the header and hash they came with. */
    private static Optional<CheckOutcome> format(SealedBlock block) {
        BlockHeader parsed;
        try {
            parsed = BlockHeader.parse(block.bytes());
        } catch (FormatException e) {
            return Optional.of(CheckOutcome.reject(BLOCK_FORMAT, "the bytes are not a canonical block header: "
                    + e.getMessage()));
        }
        if (!Arrays.equals(block.hash(), Sha256.hash(block.bytes())) || !sameStructure(block.header(), block.bytes())) {
            return Optional.of(CheckOutcome.reject(BLOCK_FORMAT, "the block's hash or fields are not the ones of its bytes"
                    + " (height " + parsed.height() + ")"));
        }
        return Optional.empty();
    }

    /** Runs one check after the format check. */
    private Optional<CheckOutcome> run(String check, BlockHeader header, SealedBlock block, ChainWatch watch) {
        return switch (check) {
            case DELEGATE_SIGNATURE -> DelegateRules.signature(keys, block.bytes(), block.signature(), header.delegateKey());
            case DELEGATE_ACTIVE -> DelegateRules.active(epochs, header.epoch(), header.delegateKey());
            case CHAIN -> failIf(header.chain() != watch.chain(), CHAIN, "the block names chain " + header.chain()
                    + " but was read from chain " + watch.chain());
            case HEIGHT -> failIf(header.height() != watch.nextHeight(), HEIGHT, "height " + header.height()
                    + ", the chain's next block is " + watch.nextHeight());
            case PREVIOUS_HASH -> failIf(!Arrays.equals(header.previousBlockHash(), watch.lastBlockHash()), PREVIOUS_HASH,
                    "links to " + Hex.encode(header.previousBlockHash()) + ", the last accepted block is "
                            + Hex.encode(watch.lastBlockHash()));
            case BLOCK_RANGE -> range(header, watch);
            case BLOCK_COUNT -> failIf(header.txCount() != watch.openCount(), BLOCK_COUNT, "txCount " + header.txCount()
                    + ", the monitor accepted " + watch.openCount() + " transactions in its range");
            case MERKLE_ROOT -> failIf(!Arrays.equals(header.merkleRoot(), watch.openRoot()), MERKLE_ROOT, "root "
                    + Hex.encode(header.merkleRoot()) + ", the accepted transactions' ids give " + Hex.encode(watch.openRoot()));
            case BLOCK_EPOCH -> failIf(header.epoch() < watch.openMaxEpoch(), BLOCK_EPOCH, "epoch " + header.epoch()
                    + " is below its transactions' epoch " + watch.openMaxEpoch());
            default -> throw new IllegalArgumentException("no block check named " + check);
        };
    }

    /**
     * {@code block-range}: waits until every sequence up to the block's last was judged, then requires
     * the block to start and end where the accepted transactions since the last block do.
     */
    private static Optional<CheckOutcome> range(BlockHeader header, ChainWatch watch) {
        if (header.lastSequence() >= watch.nextSequence()) {
            return Optional.of(CheckOutcome.waitFor(BLOCK_RANGE, "the block ends at sequence " + header.lastSequence()
                    + "; the monitor has judged up to " + (watch.nextSequence() - 1)));
        }
        String range = header.firstSequence() + ".." + header.lastSequence();
        if (watch.openCount() == 0) {
            return Optional.of(CheckOutcome.reject(BLOCK_RANGE, "the block covers " + range
                    + " but the monitor accepted no transaction since the last block"));
        }
        return failIf(header.firstSequence() != watch.openFirstSequence() || header.lastSequence() != watch.openLastSequence(),
                BLOCK_RANGE, "the block covers " + range + ", the accepted transactions since the last block are "
                        + watch.openFirstSequence() + ".." + watch.openLastSequence());
    }

    private static Optional<CheckOutcome> failIf(boolean failed, String check, String detail) {
        return failed ? Optional.of(CheckOutcome.reject(check, detail)) : Optional.empty();
    }

    private static boolean sameStructure(BlockHeader header, byte[] bytes) {
        try {
            return Arrays.equals(header.toBytes(), bytes);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
