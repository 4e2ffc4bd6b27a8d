package org.emrsb.regtest;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.AddressParser;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.Coin;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.base.exceptions.AddressFormatException;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.FilteredBlock;
import org.bitcoinj.core.FullPrunedBlockChain;
import org.bitcoinj.core.InsufficientMoneyException;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.core.PartialMerkleTree;
import org.bitcoinj.core.StoredBlock;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutput;
import org.bitcoinj.core.UTXO;
import org.bitcoinj.core.VerificationException;
import org.bitcoinj.crypto.ECKey;
import org.bitcoinj.crypto.TransactionSignature;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptBuilder;
import org.bitcoinj.script.ScriptException;
import org.bitcoinj.script.ScriptPattern;
import org.bitcoinj.store.BlockStoreException;
import org.bitcoinj.store.MemoryFullPrunedBlockStore;
import org.bitcoinj.wallet.SendRequest;
import org.bitcoinj.wallet.UnreadableWalletException;
import org.bitcoinj.wallet.Wallet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validating regtest Bitcoin node in one JVM: bitcoinj's {@link FullPrunedBlockChain} (UTXO set,
 * scripts, subsidy and fees, coinbase maturity, BIP34 heights, Merkle roots, proof of work) over
 * blocks this node mines itself, a mempool, and a P2PKH {@link Wallet} that receives the coinbases.
 *
 * <p>Data folder: {@code blocks.hex} (every block after genesis, see {@link BlockFile}) and
 * {@code wallet.dat} (bitcoinj's wallet protobuf; its keys are what matters). {@link #open} replays
 * the raw blocks into a fresh chain instance, which re-validates every one of them, and replays them
 * into the wallet after clearing its transactions, so what the node serves is always what the
 * validator accepted. The mempool is not persisted (unlike bitcoind's {@code mempool.dat}).
 *
 * <p>What is validated is what bitcoinj validates, with {@link CoreLikeRegTestParams}' flags. Spends
 * of anything but P2PKH outputs are refused at the mempool, and transactions carrying witness data
 * are refused: bitcoinj's full chain cannot validate segwit (it passes no witness to the script
 * interpreter). Regtest proof of work proves nothing by itself: whoever runs the node can mine any
 * history in milliseconds; a header must be checked against a node one trusts.
 *
 * <p>Every public method is synchronized: one chain, one mempool, one wallet, one writer.
 */
public final class RegtestNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegtestNode.class);

    /** Version of mined blocks: version bits with no deployment signalled, as Core's miner. */
    public static final long BLOCK_VERSION = 0x20000000L;
    /** A coinbase output is spendable in the block 100 blocks after its own (Core's COINBASE_MATURITY). */
    public static final int COINBASE_MATURITY = 100;
    /** Blocks mined at first start so the wallet's first coinbase is spendable. */
    public static final int INITIAL_BLOCKS = COINBASE_MATURITY + 1;
    /** Core's default minimum relay fee, 1 sat/vB. */
    public static final Coin MIN_RELAY_FEE_PER_KVB = Coin.valueOf(1_000);
    /** Core's default sendrawtransaction/testmempoolaccept {@code maxfeerate}, 0.10 BTC/kvB. */
    public static final Coin DEFAULT_MAX_FEE_PER_KVB = Coin.valueOf(10_000_000);
    /** BIP125 opt-in sequence Core's wallet uses for replaceable transactions. */
    public static final long SEQUENCE_RBF = 0xfffffffdL;

    private final CoreLikeRegTestParams params = CoreLikeRegTestParams.get();
    private final Context context;
    private final Clock clock;
    private final BlockFile blockFile;
    private final Path walletFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final MemoryFullPrunedBlockStore store;
    private final FullPrunedBlockChain chain;
    private final Wallet wallet;

    /** The best chain, index = height, 0 = genesis. The node is the chain's only miner: no reorgs. */
    private final List<Block> blocks = new ArrayList<>();
    private final Map<Sha256Hash, Integer> heights = new HashMap<>();
    /** txid → {height, position in block}; as bitcoind with {@code -txindex=1}. Genesis coinbase excluded. */
    private final Map<Sha256Hash, int[]> txIndex = new HashMap<>();
    private final LinkedHashMap<Sha256Hash, MempoolEntry> mempool = new LinkedHashMap<>();
    /** Outpoints ("txid:n") spent by mempool transactions. */
    private final Set<String> mempoolSpent = new HashSet<>();

    /** A transaction waiting for a block, with the fee it pays. */
    public record MempoolEntry(Transaction tx, Coin fee, int vsize) {
    }

    /** A transaction that passed the mempool checks. */
    public record Accepted(Sha256Hash txid, Sha256Hash wtxid, int vsize, Coin fee) {
    }

    /** A funded, unsigned transaction: fundrawtransaction's {@code hex}, {@code fee}, {@code changepos}. */
    public record Funded(Transaction tx, Coin fee, int changePosition) {
    }

    /** An input signrawtransactionwithwallet could not complete. */
    public record SignError(int input, String error) {
    }

    /** A signed (or partly signed) transaction. */
    public record Signed(Transaction tx, List<SignError> errors) {
        public boolean complete() {
            return errors.isEmpty();
        }
    }

    /** An output a caller names for signing (signrawtransactionwithwallet's {@code prevtxs}). */
    public record PrevOut(Sha256Hash txid, long vout, Script scriptPubKey, Coin amount) {
    }

    /** Where a transaction is: in a block at {@code height}/{@code position}, or in the mempool (height -1). */
    public record Located(Transaction tx, int height, int position) {
        public boolean inMempool() {
            return height < 0;
        }
    }

    /** Options of fundrawtransaction this node honours. */
    public record FundOptions(Coin feePerKvB, Address changeAddress, Integer changePosition, boolean replaceable) {
    }

    private RegtestNode(Path dataDir, Clock clock) throws IOException {
        this.clock = clock;
        this.context = new Context();
        Context.propagate(context);
        Files.createDirectories(dataDir);
        this.lockChannel = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            acquired = null; // held by this JVM
        }
        if (acquired == null) {
            lockChannel.close();
            throw new IOException("another node uses the data folder " + dataDir);
        }
        this.lock = acquired;
        this.blockFile = new BlockFile(dataDir.resolve("blocks.hex"));
        this.walletFile = dataDir.resolve("wallet.dat");
        try {
            this.wallet = loadWallet(walletFile);
            // bitcoinj calls BIP125-replaceable pending transactions "risky" and drops them; Core's wallet
            // creates exactly those (walletrbf=1), and this node's mempool has already validated them.
            wallet.setAcceptRiskyTransactions(true);
            this.store = new MemoryFullPrunedBlockStore(params, 1_000);
            this.chain = new FullPrunedBlockChain(params, wallet, store);
        } catch (BlockStoreException | UnreadableWalletException e) {
            release();
            throw new IOException("cannot open the node in " + dataDir + ": " + e.getMessage(), e);
        }
        Block genesis = params.getGenesisBlock();
        blocks.add(genesis);
        heights.put(genesis.getHash(), 0);
    }

    /**
     * Opens (or creates) the node in {@code dataDir}: re-validates every stored block with a fresh
     * chain instance, then mines up to {@link #INITIAL_BLOCKS} to the wallet if the chain is shorter.
     *
     * @throws IOException if the folder is in use, a file is unreadable, or a stored block fails validation
     */
    public static RegtestNode open(Path dataDir, Clock clock) throws IOException {
        RegtestNode node = new RegtestNode(dataDir, clock);
        try {
            node.replay();
            if (node.height() < INITIAL_BLOCKS) {
                node.generate(INITIAL_BLOCKS - node.height(), node.wallet.currentReceiveAddress());
            }
            node.saveWallet();
            return node;
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        } catch (NodeException e) {
            node.close();
            throw new IOException("initial mining failed: " + e.getMessage(), e);
        }
    }

    private static Wallet loadWallet(Path file) throws UnreadableWalletException {
        if (!Files.exists(file)) {
            return Wallet.createDeterministic(BitcoinNetwork.REGTEST, ScriptType.P2PKH);
        }
        Wallet loaded = Wallet.loadFromFile(file.toFile());
        // Keys are kept; what the wallet knew of transactions is rebuilt from the re-validated blocks.
        loaded.reset();
        return loaded;
    }

    private void replay() throws IOException {
        long started = System.nanoTime();
        List<byte[]> raw = blockFile.readAll();
        for (int i = 0; i < raw.size(); i++) {
            int height = i + 1;
            Block block;
            try {
                block = Block.read(ByteBuffer.wrap(raw.get(i)));
            } catch (RuntimeException e) {
                throw new IOException(blockFile.path() + ": block " + height + " does not parse: " + e.getMessage(), e);
            }
            try {
                if (!chain.add(block) || chain.getBestChainHeight() != height) {
                    throw new IOException(blockFile.path() + ": block " + height + " (" + block.getHashAsString()
                            + ") does not extend the chain");
                }
            } catch (VerificationException e) {
                throw new IOException(blockFile.path() + ": block " + height + " fails validation: " + e.getMessage(), e);
            } catch (Exception e) {
                if (e instanceof IOException io) {
                    throw io;
                }
                throw new IOException(blockFile.path() + ": block " + height + ": " + e, e);
            }
            index(block);
        }
        LOG.info("re-validated {} blocks from {} in {} ms", raw.size(), blockFile.path(),
                (System.nanoTime() - started) / 1_000_000);
    }

    // --- chain ------------------------------------------------------------------------------------

    public NetworkParameters params() {
        return params;
    }

    public synchronized int height() {
        return blocks.size() - 1;
    }

    public synchronized Block tip() {
        return blocks.get(blocks.size() - 1);
    }

    /** The block at {@code height} of the best chain. */
    public synchronized Optional<Block> blockAt(int height) {
        return height < 0 || height >= blocks.size() ? Optional.empty() : Optional.of(blocks.get(height));
    }

    public synchronized Optional<Integer> heightOf(Sha256Hash blockHash) {
        return Optional.ofNullable(heights.get(blockHash));
    }

    /** Total work of the chain up to and including the block. */
    public synchronized BigInteger chainWork(Sha256Hash blockHash) {
        Context.propagate(context);
        try {
            StoredBlock stored = store.get(blockHash);
            return stored == null ? BigInteger.ZERO : stored.getChainWork();
        } catch (BlockStoreException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Median of the last 11 block times up to {@code height} (BIP113). */
    public synchronized long medianTimePast(int height) {
        List<Long> times = new ArrayList<>();
        for (int h = height; h >= 0 && h > height - 11; h--) {
            times.add(blocks.get(h).getTimeSeconds());
        }
        Collections.sort(times);
        return times.get(times.size() / 2);
    }

    public synchronized long sizeOnDisk() {
        try {
            return blockFile.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A transaction in a block (any, as with {@code -txindex}) or in the mempool. */
    public synchronized Optional<Located> transaction(Sha256Hash txid) {
        MempoolEntry entry = mempool.get(txid);
        if (entry != null) {
            return Optional.of(new Located(entry.tx(), -1, -1));
        }
        int[] at = txIndex.get(txid);
        if (at == null) {
            return Optional.empty();
        }
        return Optional.of(new Located(blocks.get(at[0]).getTransactions().get(at[1]), at[0], at[1]));
    }

    public synchronized List<Sha256Hash> mempoolTxids() {
        return List.copyOf(mempool.keySet());
    }

    // --- mining -----------------------------------------------------------------------------------

    /** Mines {@code count} blocks paying {@code to}, each with every mempool transaction; their hashes. */
    public synchronized List<Sha256Hash> generate(int count, Address to) throws NodeException {
        Context.propagate(context);
        Objects.requireNonNull(to, "to");
        Script payout = ScriptBuilder.createOutputScript(to);
        List<Sha256Hash> hashes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            hashes.add(mine(payout).getHash());
        }
        saveWallet();
        return hashes;
    }

    private Block mine(Script payout) throws NodeException {
        int height = height() + 1;
        List<Transaction> txs = new ArrayList<>();
        Coin fees = Coin.ZERO;
        for (MempoolEntry e : mempool.values()) {
            txs.add(e.tx());
            fees = fees.add(e.fee());
        }
        // BIP34 height, then OP_0 so the script is at least 2 bytes (Core's bad-cb-length) at heights 1-16.
        byte[] coinbaseScript = new ScriptBuilder().number(height).number(0).build().program();
        Transaction coinbase = Transaction.coinbase(coinbaseScript);
        coinbase.addOutput(params.getBlockInflation(height).add(fees), payout);
        txs.add(0, coinbase);

        Block prev = tip();
        Instant time = Instant.ofEpochSecond(Math.max(clock.instant().getEpochSecond(), medianTimePast(height - 1) + 1));
        Sha256Hash merkleRoot = merkleRoot(txs);
        BigInteger target = bitsToTarget(CoreLikeRegTestParams.BITS);
        long nonce = 0;
        while (new Block(BLOCK_VERSION, prev.getHash(), merkleRoot, time, CoreLikeRegTestParams.BITS, nonce, List.of())
                .getHash().toBigInteger().compareTo(target) > 0) {
            nonce++;
        }
        Block block = new Block(BLOCK_VERSION, prev.getHash(), merkleRoot, time, CoreLikeRegTestParams.BITS, nonce, txs);
        try {
            if (!chain.add(block)) {
                throw new NodeException(NodeException.VERIFY_ERROR, "mined block does not connect to the tip");
            }
        } catch (VerificationException e) {
            // A transaction the mempool admitted but the chain refuses: drop the mempool rather than wedge.
            dropMempool();
            throw new NodeException(NodeException.VERIFY_REJECTED, "block rejected by the chain: " + e.getMessage());
        } catch (NodeException e) {
            throw e;
        } catch (Exception e) {
            throw new NodeException(NodeException.MISC_ERROR, "block not connected: " + e);
        }
        try {
            blockFile.append(block.serialize());
        } catch (IOException e) {
            throw new UncheckedIOExceptionWrapper(e);
        }
        index(block);
        for (Transaction tx : txs.subList(1, txs.size())) {
            forget(tx.getTxId());
        }
        return block;
    }

    /** An I/O failure of the block file: the chain in memory is ahead of the disk, the node must stop. */
    public static final class UncheckedIOExceptionWrapper extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedIOExceptionWrapper(IOException e) {
            super("cannot write the block file: " + e.getMessage(), e);
        }
    }

    private void index(Block block) {
        int height = blocks.size();
        blocks.add(block);
        heights.put(block.getHash(), height);
        List<Transaction> txs = block.getTransactions();
        for (int i = 0; i < txs.size(); i++) {
            txIndex.put(txs.get(i).getTxId(), new int[] {height, i});
        }
    }

    /** Bitcoin's transaction Merkle root (double SHA-256, odd levels pair the last hash with itself). */
    static Sha256Hash merkleRoot(List<Transaction> txs) {
        List<byte[]> level = new ArrayList<>();
        for (Transaction tx : txs) {
            level.add(tx.getTxId().getReversedBytes());
        }
        while (level.size() > 1) {
            List<byte[]> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                byte[] left = level.get(i);
                byte[] right = i + 1 < level.size() ? level.get(i + 1) : left;
                up.add(Sha256Hash.hashTwice(left, right));
            }
            level = up;
        }
        return Sha256Hash.wrapReversed(level.get(0));
    }

    static BigInteger bitsToTarget(long bits) {
        int exponent = (int) (bits >>> 24);
        long mantissa = bits & 0x007fffffL;
        return exponent <= 3 ? BigInteger.valueOf(mantissa >>> (8 * (3 - exponent)))
                : BigInteger.valueOf(mantissa).shiftLeft(8 * (exponent - 3));
    }

    // --- mempool ----------------------------------------------------------------------------------

    /**
     * Runs the mempool checks without admitting: what testmempoolaccept answers.
     *
     * @throws NodeException with the reject reason; {@code txn-already-in-mempool} for a known one
     */
    public synchronized Accepted check(Transaction tx, Coin maxFeePerKvB) throws NodeException {
        Context.propagate(context);
        if (mempool.containsKey(tx.getTxId())) {
            throw new NodeException(NodeException.VERIFY_ERROR, "txn-already-in-mempool");
        }
        return validate(tx, maxFeePerKvB);
    }

    /**
     * sendrawtransaction: admits a valid transaction to the mempool and, with {@code mine}, mines a
     * block holding the mempool at once, paying the coinbase to the wallet. A transaction already in
     * the mempool is accepted again without effect (as bitcoind), one already in a block is refused
     * with -27.
     */
    public synchronized Sha256Hash send(Transaction tx, Coin maxFeePerKvB, boolean mine) throws NodeException {
        Context.propagate(context);
        Sha256Hash txid = tx.getTxId();
        if (!mempool.containsKey(txid)) {
            Accepted accepted = validate(tx, maxFeePerKvB);
            mempool.put(txid, new MempoolEntry(tx, accepted.fee(), accepted.vsize()));
            for (TransactionInput in : tx.getInputs()) {
                mempoolSpent.add(key(in.getOutpoint().hash(), in.getOutpoint().index()));
            }
            try {
                if (wallet.isPendingTransactionRelevant(tx)) {
                    wallet.receivePending(tx, null);
                }
            } catch (VerificationException e) {
                LOG.warn("the wallet did not take pending transaction {}: {}", txid, e.getMessage());
            }
            LOG.info("mempool accepted {} ({} vB, fee {} sat)", txid, accepted.vsize(), accepted.fee().value);
        }
        if (mine) {
            generate(1, wallet.currentReceiveAddress());
        } else {
            saveWallet();
        }
        return txid;
    }

    private Accepted validate(Transaction tx, Coin maxFeePerKvB) throws NodeException {
        Sha256Hash txid = tx.getTxId();
        if (txIndex.containsKey(txid)) {
            throw new NodeException(NodeException.VERIFY_ALREADY_IN_CHAIN, "Transaction outputs already in utxo set",
                    "txn-already-known");
        }
        if (tx.isCoinBase()) {
            throw new NodeException(NodeException.VERIFY_REJECTED, "coinbase");
        }
        if (tx.hasWitnesses()) {
            throw new NodeException(NodeException.VERIFY_REJECTED,
                    "witness-unsupported: this regtest node validates legacy (P2PKH) spends only");
        }
        try {
            Transaction.verify(params, tx);
        } catch (VerificationException e) {
            throw new NodeException(NodeException.VERIFY_REJECTED, reason(e));
        }
        int spendHeight = height() + 1;
        if (!tx.isFinal(spendHeight, medianTimePast(height()))) {
            throw new NodeException(NodeException.VERIFY_REJECTED, "non-final");
        }
        Coin in = Coin.ZERO;
        for (int i = 0; i < tx.getInputs().size(); i++) {
            TransactionInput input = tx.getInput(i);
            Sha256Hash prevTxid = input.getOutpoint().hash();
            long prevIndex = input.getOutpoint().index();
            if (mempoolSpent.contains(key(prevTxid, prevIndex))) {
                throw new NodeException(NodeException.VERIFY_REJECTED, "txn-mempool-conflict");
            }
            Spendable prev = spendable(prevTxid, prevIndex);
            if (prev == null) {
                throw new NodeException(NodeException.VERIFY_ERROR, "bad-txns-inputs-missingorspent", "missing-inputs");
            }
            if (prev.coinbaseHeight() >= 0 && spendHeight - prev.coinbaseHeight() < COINBASE_MATURITY) {
                throw new NodeException(NodeException.VERIFY_REJECTED, "bad-txns-premature-spend-of-coinbase, tried to spend"
                        + " coinbase at depth " + (spendHeight - prev.coinbaseHeight()));
            }
            if (!ScriptPattern.isP2PKH(prev.script())) {
                throw new NodeException(NodeException.VERIFY_REJECTED,
                        "input " + i + " spends a non-P2PKH output: this regtest node validates P2PKH spends only");
            }
            try {
                input.getScriptSig().correctlySpends(tx, i, null, prev.value(), prev.script(),
                        CoreLikeRegTestParams.scriptFlags());
            } catch (ScriptException e) {
                throw new NodeException(NodeException.VERIFY_REJECTED,
                        "mandatory-script-verify-flag-failed (" + e.getMessage() + ")");
            }
            in = in.add(prev.value());
        }
        Coin out = tx.getOutputSum();
        if (in.isLessThan(out)) {
            throw new NodeException(NodeException.VERIFY_REJECTED, "bad-txns-in-belowout, value in (" + in.toPlainString()
                    + ") < value out (" + out.toPlainString() + ")");
        }
        Coin fee = in.subtract(out);
        int vsize = tx.getVsize();
        Coin minFee = feeFor(MIN_RELAY_FEE_PER_KVB, vsize);
        if (fee.isLessThan(minFee)) {
            throw new NodeException(NodeException.VERIFY_REJECTED,
                    "min relay fee not met, " + fee.value + " < " + minFee.value);
        }
        if (maxFeePerKvB.isPositive() && fee.isGreaterThan(feeFor(maxFeePerKvB, vsize))) {
            throw new NodeException(NodeException.VERIFY_ERROR,
                    "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)", "max-fee-exceeded");
        }
        return new Accepted(txid, tx.getWTxId(), vsize, fee);
    }

    private static String reason(VerificationException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** fee = rate × vsize / 1000, as Core's CFeeRate::GetFee (rounded up so a positive rate never gives 0). */
    static Coin feeFor(Coin perKvB, int vsize) {
        long fee = Math.floorDiv(perKvB.value * vsize + 999, 1000);
        return Coin.valueOf(fee);
    }

    private record Spendable(Script script, Coin value, int coinbaseHeight) {
    }

    /** An unspent output of the chain or the mempool; null if there is none. */
    private Spendable spendable(Sha256Hash txid, long index) {
        MempoolEntry parent = mempool.get(txid);
        if (parent != null) {
            if (index >= parent.tx().getOutputs().size()) {
                return null;
            }
            TransactionOutput out = parent.tx().getOutput(index);
            return new Spendable(out.getScriptPubKey(), out.getValue(), -1);
        }
        try {
            UTXO utxo = store.getTransactionOutput(txid, index);
            if (utxo == null) {
                return null;
            }
            return new Spendable(utxo.getScript(), utxo.getValue(), utxo.isCoinbase() ? utxo.getHeight() : -1);
        } catch (BlockStoreException e) {
            throw new IllegalStateException(e);
        }
    }

    private void forget(Sha256Hash txid) {
        MempoolEntry e = mempool.remove(txid);
        if (e != null) {
            for (TransactionInput in : e.tx().getInputs()) {
                mempoolSpent.remove(key(in.getOutpoint().hash(), in.getOutpoint().index()));
            }
        }
    }

    private void dropMempool() {
        mempool.clear();
        mempoolSpent.clear();
    }

    private static String key(Sha256Hash txid, long index) {
        return txid + ":" + index;
    }

    // --- wallet -----------------------------------------------------------------------------------

    public synchronized Address newAddress() {
        Context.propagate(context);
        Address address = wallet.freshReceiveAddress();
        saveWallet();
        return address;
    }

    /** The wallet's confirmed balance whose coins are spendable now (mature coinbases included). */
    public synchronized Coin balance() {
        Context.propagate(context);
        return wallet.getBalance(Wallet.BalanceType.AVAILABLE_SPENDABLE);
    }

    public synchronized boolean isMine(Address address) {
        return address.getOutputScriptType() == ScriptType.P2PKH
                && wallet.isPubKeyHashMine(address.getHash(), ScriptType.P2PKH);
    }

    public Address parseAddress(String text) throws NodeException {
        try {
            return AddressParser.getDefault(BitcoinNetwork.REGTEST).parseAddress(text);
        } catch (AddressFormatException e) {
            throw new NodeException(NodeException.INVALID_ADDRESS_OR_KEY, "Invalid Bitcoin address: " + text);
        }
    }

    /**
     * fundrawtransaction: adds wallet inputs (mature, confirmed or own pending coins) and a change
     * output to a transaction that has outputs and no inputs; nothing is signed.
     */
    public synchronized Funded fund(Transaction tx, FundOptions options) throws NodeException {
        Context.propagate(context);
        if (!tx.getInputs().isEmpty()) {
            throw new NodeException(NodeException.INVALID_PARAMETER,
                    "this regtest node funds transactions without preset inputs only");
        }
        if (tx.getOutputs().isEmpty()) {
            throw new NodeException(NodeException.INVALID_PARAMETER, "TX must have at least one output");
        }
        int before = tx.getOutputs().size();
        SendRequest request = SendRequest.forTx(tx);
        request.feePerKb = options.feePerKvB();
        request.ensureMinRequiredFee = false;
        request.signInputs = false;
        request.shuffleOutputs = false;
        if (options.changeAddress() != null) {
            request.changeAddress = options.changeAddress();
        }
        try {
            wallet.completeTx(request);
        } catch (InsufficientMoneyException e) {
            throw new NodeException(NodeException.WALLET_ERROR, "Insufficient funds");
        } catch (Wallet.TransactionCompletionException e) {
            throw new NodeException(NodeException.WALLET_ERROR, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        Transaction funded = request.tx;
        if (options.replaceable()) {
            for (int i = 0; i < funded.getInputs().size(); i++) {
                funded.replaceInput(i, funded.getInput(i).withSequence(SEQUENCE_RBF));
            }
        }
        int changePos = funded.getOutputs().size() > before ? funded.getOutputs().size() - 1 : -1;
        if (changePos >= 0 && options.changePosition() != null && options.changePosition() != changePos) {
            int wanted = options.changePosition();
            List<TransactionOutput> outs = new ArrayList<>(funded.getOutputs());
            TransactionOutput change = outs.remove(changePos);
            outs.add(wanted, change);
            funded.clearOutputs();
            for (TransactionOutput o : outs) {
                funded.addOutput(new TransactionOutput(funded, o.getValue(), o.getScriptBytes()));
            }
            changePos = wanted;
        }
        Coin in = Coin.ZERO;
        for (TransactionInput input : funded.getInputs()) {
            in = in.add(input.getValue());
        }
        saveWallet();
        return new Funded(funded, in.subtract(funded.getOutputSum()), changePos);
    }

    /**
     * signrawtransactionwithwallet: signs every input that spends a P2PKH output of a wallet key, found
     * in {@code prevTxs}, the mempool or the chain's unspent outputs, then checks every input's script.
     */
    public synchronized Signed sign(Transaction tx, List<PrevOut> prevTxs, Transaction.SigHash sigHash,
            boolean anyoneCanPay) {
        Context.propagate(context);
        Map<String, PrevOut> given = new HashMap<>();
        for (PrevOut p : prevTxs) {
            given.put(key(p.txid(), p.vout()), p);
        }
        int n = tx.getInputs().size();
        Spendable[] prevs = new Spendable[n];
        boolean[] keyMissing = new boolean[n];
        for (int i = 0; i < n; i++) {
            TransactionInput input = tx.getInput(i);
            PrevOut p = given.get(key(input.getOutpoint().hash(), input.getOutpoint().index()));
            prevs[i] = p != null ? new Spendable(p.scriptPubKey(), p.amount(), -1)
                    : spendable(input.getOutpoint().hash(), input.getOutpoint().index());
            if (prevs[i] == null) {
                continue;
            }
            Script script = prevs[i].script();
            ECKey key = ScriptPattern.isP2PKH(script)
                    ? wallet.findKeyFromPubKeyHash(ScriptPattern.extractHashFromP2PKH(script), ScriptType.P2PKH) : null;
            if (key == null) {
                keyMissing[i] = true;
                continue;
            }
            TransactionSignature signature = tx.calculateSignature(i, key, script, sigHash, anyoneCanPay);
            tx.replaceInput(i, input.withScriptSig(ScriptBuilder.createInputScript(signature, key)));
        }
        List<SignError> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (prevs[i] == null) {
                errors.add(new SignError(i, "Input not found or already spent"));
                continue;
            }
            try {
                tx.getInput(i).getScriptSig().correctlySpends(tx, i, null, prevs[i].value(), prevs[i].script(),
                        CoreLikeRegTestParams.scriptFlags());
            } catch (ScriptException e) {
                errors.add(new SignError(i, keyMissing[i]
                        ? "Unable to sign input, invalid stack size (possibly missing key)" : e.getMessage()));
            }
        }
        return new Signed(tx, errors);
    }

    // --- proofs -----------------------------------------------------------------------------------

    /**
     * gettxoutproof: the serialized merkleblock (80-byte header, transaction count, hashes, flag bits;
     * BIP37's format) proving that the transactions are in the block.
     */
    public synchronized byte[] txOutProof(List<Sha256Hash> txids, Sha256Hash blockHash) throws NodeException {
        Context.propagate(context);
        Block block;
        if (blockHash != null) {
            Integer h = heights.get(blockHash);
            if (h == null) {
                throw new NodeException(NodeException.INVALID_ADDRESS_OR_KEY, "Block not found");
            }
            block = blocks.get(h);
        } else {
            int[] at = txids.isEmpty() ? null : txIndex.get(txids.get(0));
            if (at == null) {
                throw new NodeException(NodeException.INVALID_ADDRESS_OR_KEY, "Transaction not yet in block");
            }
            block = blocks.get(at[0]);
        }
        List<Sha256Hash> leaves = new ArrayList<>();
        for (Transaction tx : block.getTransactions()) {
            leaves.add(tx.getTxId());
        }
        byte[] bits = new byte[(leaves.size() + 7) / 8];
        Set<Sha256Hash> wanted = new HashSet<>(txids);
        int found = 0;
        for (int i = 0; i < leaves.size(); i++) {
            if (wanted.contains(leaves.get(i))) {
                bits[i / 8] |= (byte) (1 << (i % 8));
                found++;
            }
        }
        if (found != wanted.size()) {
            throw new NodeException(NodeException.INVALID_ADDRESS_OR_KEY,
                    "Not all transactions found in specified or retrieved block");
        }
        PartialMerkleTree tree = PartialMerkleTree.buildFromLeaves(bits, leaves);
        return new FilteredBlock(block.cloneAsHeader(), tree).serialize();
    }

    // --- lifecycle --------------------------------------------------------------------------------

    private void saveWallet() {
        try {
            wallet.saveToFile(walletFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOExceptionWrapper(e);
        }
    }

    /** The wallet's file, for tests and the docs. */
    Path walletFile() {
        return walletFile;
    }

    Wallet wallet() {
        return wallet;
    }

    @Override
    public synchronized void close() {
        try {
            if (wallet != null && chain != null) {
                wallet.saveToFile(walletFile.toFile());
            }
        } catch (IOException e) {
            LOG.warn("cannot save the wallet: {}", e.getMessage());
        }
        if (store != null) {
            store.close();
        }
        release();
    }

    private void release() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("cannot release the data folder lock: {}", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "RegtestNode[height=" + height() + ", mempool=" + mempool.size() + ", blocks=" + blockFile.path() + "]";
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    static boolean sameBytes(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
