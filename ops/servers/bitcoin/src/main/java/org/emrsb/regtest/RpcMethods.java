package org.emrsb.regtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.Coin;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutPoint;
import org.bitcoinj.core.TransactionOutput;
import org.bitcoinj.crypto.TransactionSignature;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptBuilder;
import org.bitcoinj.script.ScriptChunk;
import org.bitcoinj.script.ScriptOpCodes;
import org.bitcoinj.script.ScriptPattern;

/**
 * The bitcoind RPC methods this node serves, with Bitcoin Core 28.x's parameter names, defaults,
 * result shapes and error codes, from the RPC reference at
 * https://bitcoincore.org/en/doc/28.0.0/rpc/ (one page per method, e.g.
 * https://bitcoincore.org/en/doc/28.0.0/rpc/rawtransactions/fundrawtransaction/) and the error codes
 * of {@code src/rpc/protocol.h}. See docs/bitcoin-node.md for what differs.
 */
public final class RpcMethods {

    private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);
    private static final HexFormat HEX = HexFormat.of();
    /** Core's difficulty-1 target's nBits, the numerator of {@code difficulty}. */
    private static final long DIFFICULTY_1_BITS = 0x1d00ffffL;

    private final RegtestNode node;
    private final boolean mineOnSend;
    private final Coin feePerKvB;
    private final Map<String, Method> methods = new LinkedHashMap<>();

    @FunctionalInterface
    private interface Handler {
        JsonNode call(Params p) throws NodeException;
    }

    private record Method(List<String> names, int required, Handler handler) {
    }

    /**
     * @param mineOnSend mine a block at once when sendrawtransaction admits a transaction
     * @param feePerKvB  the fee rate estimatesmartfee reports and fundrawtransaction pays by default
     */
    public RpcMethods(RegtestNode node, boolean mineOnSend, Coin feePerKvB) {
        this.node = node;
        this.mineOnSend = mineOnSend;
        this.feePerKvB = feePerKvB;
        add("getblockchaininfo", 0, p -> blockchainInfo());
        add("getblockcount", 0, p -> F.numberNode(node.height()));
        add("getbestblockhash", 0, p -> F.textNode(node.tip().getHashAsString()));
        add("getblockhash", 1, p -> blockHash(p.integer(0)), "height");
        add("getblockheader", 1, p -> blockHeader(p.hash(0, "blockhash"), p.bool(1, true)), "blockhash", "verbose");
        add("getblock", 1, p -> block(p.hash(0, "blockhash"), p.verbosity(1, 1)), "blockhash", "verbosity");
        add("getrawtransaction", 1, p -> rawTransaction(p.hash(0, "txid"), p.verbosity(1, 0),
                p.has(2) ? p.hash(2, "blockhash") : null), "txid", "verbose", "blockhash");
        add("createrawtransaction", 2, p -> createRawTransaction(p.get(0), p.get(1), p.has(2) ? p.integer(2) : 0,
                p.bool(3, true)), "inputs", "outputs", "locktime", "replaceable");
        add("fundrawtransaction", 1, p -> fund(p.transaction(0), p.get(1)), "hexstring", "options", "iswitness");
        add("signrawtransactionwithwallet", 1, p -> sign(p.transaction(0), p.get(1),
                p.has(2) ? p.text(2) : "ALL"), "hexstring", "prevtxs", "sighashtype");
        add("testmempoolaccept", 1, p -> testMempoolAccept(p.get(0), p.has(1) ? p.amount(1) : RegtestNode.DEFAULT_MAX_FEE_PER_KVB),
                "rawtxs", "maxfeerate");
        add("sendrawtransaction", 1, p -> F.textNode(node.send(p.transaction(0),
                p.has(1) ? p.amount(1) : RegtestNode.DEFAULT_MAX_FEE_PER_KVB, mineOnSend).toString()),
                "hexstring", "maxfeerate", "maxburnamount");
        add("gettxoutproof", 1, p -> txOutProof(p.get(0), p.has(1) ? p.hash(1, "blockhash") : null), "txids", "blockhash");
        add("estimatesmartfee", 1, p -> estimateSmartFee(p.integer(0), p.has(1) ? p.text(1) : "economical"),
                "conf_target", "estimate_mode");
        add("generatetoaddress", 2, p -> generate(p.integer(0), p.text(1)), "nblocks", "address", "maxtries");
        add("getnewaddress", 0, p -> newAddress(p.has(1) ? p.text(1) : null), "label", "address_type");
        add("getbalance", 0, p -> amount(node.balance()), "dummy", "minconf", "include_watchonly", "avoid_reuse");
    }

    private void add(String name, int required, Handler handler, String... names) {
        methods.put(name, new Method(List.of(names), required, handler));
    }

    public Set<String> names() {
        return methods.keySet();
    }

    /** Calls {@code method} with positional (array) or named (object) {@code params}. */
    public JsonNode call(String name, JsonNode params) throws NodeException {
        Method method = methods.get(name);
        if (method == null) {
            throw new NodeException(NodeException.METHOD_NOT_FOUND, "Method not found");
        }
        List<JsonNode> args = new ArrayList<>();
        if (params != null && params.isArray()) {
            params.forEach(args::add);
        } else if (params != null && params.isObject()) {
            for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                int at = method.names().indexOf(field);
                if (at < 0) {
                    throw new NodeException(NodeException.INVALID_PARAMETER, "Unknown named parameter " + field);
                }
                while (args.size() <= at) {
                    args.add(null);
                }
                args.set(at, params.get(field));
            }
        }
        while (!args.isEmpty() && (args.get(args.size() - 1) == null || args.get(args.size() - 1).isNull())) {
            args.remove(args.size() - 1);
        }
        if (args.size() > method.names().size() || args.size() < method.required()) {
            throw new NodeException(NodeException.MISC_ERROR, name + " " + String.join(" ", method.names().stream()
                    .map(n -> method.names().indexOf(n) < method.required() ? n : "( " + n + " )").toList()));
        }
        return method.handler().call(new Params(args));
    }

    // --- blockchain -------------------------------------------------------------------------------

    private JsonNode blockchainInfo() {
        Block tip = node.tip();
        int height = node.height();
        ObjectNode o = F.objectNode();
        o.put("chain", "regtest");
        o.put("blocks", height);
        o.put("headers", height);
        o.put("bestblockhash", tip.getHashAsString());
        o.put("difficulty", difficulty(tip.getDifficultyTarget()));
        o.put("time", tip.getTimeSeconds());
        o.put("mediantime", node.medianTimePast(height));
        o.put("verificationprogress", 1);
        o.put("initialblockdownload", false);
        o.put("chainwork", work(node.chainWork(tip.getHash())));
        o.put("size_on_disk", node.sizeOnDisk());
        o.put("pruned", false);
        o.putArray("warnings");
        return o;
    }

    private JsonNode blockHash(long height) throws NodeException {
        if (height < 0 || height > node.height()) {
            throw new NodeException(NodeException.INVALID_PARAMETER, "Block height out of range");
        }
        return F.textNode(node.blockAt((int) height).orElseThrow().getHashAsString());
    }

    private int heightOf(Sha256Hash hash) throws NodeException {
        return node.heightOf(hash).orElseThrow(() -> new NodeException(NodeException.INVALID_ADDRESS_OR_KEY, "Block not found"));
    }

    private JsonNode blockHeader(Sha256Hash hash, boolean verbose) throws NodeException {
        int height = heightOf(hash);
        Block block = node.blockAt(height).orElseThrow();
        if (!verbose) {
            return F.textNode(HEX.formatHex(block.cloneAsHeader().serialize(), 0, Block.HEADER_SIZE));
        }
        return headerJson(block, height);
    }

    private ObjectNode headerJson(Block block, int height) {
        ObjectNode o = F.objectNode();
        o.put("hash", block.getHashAsString());
        o.put("confirmations", node.height() - height + 1);
        o.put("height", height);
        o.put("version", block.getVersion());
        o.put("versionHex", String.format("%08x", block.getVersion()));
        o.put("merkleroot", block.getMerkleRoot().toString());
        o.put("time", block.getTimeSeconds());
        o.put("mediantime", node.medianTimePast(height));
        o.put("nonce", block.getNonce());
        o.put("bits", String.format("%08x", block.getDifficultyTarget()));
        o.put("difficulty", difficulty(block.getDifficultyTarget()));
        o.put("chainwork", work(node.chainWork(block.getHash())));
        o.put("nTx", block.getTransactions().size());
        if (height > 0) {
            o.put("previousblockhash", block.getPrevBlockHash().toString());
        }
        node.blockAt(height + 1).ifPresent(next -> o.put("nextblockhash", next.getHashAsString()));
        return o;
    }

    private JsonNode block(Sha256Hash hash, int verbosity) throws NodeException {
        int height = heightOf(hash);
        Block block = node.blockAt(height).orElseThrow();
        if (verbosity == 0) {
            return F.textNode(HEX.formatHex(block.serialize()));
        }
        ObjectNode header = headerJson(block, height);
        ObjectNode o = F.objectNode();
        o.put("hash", header.get("hash").asText());
        o.put("confirmations", header.get("confirmations").asInt());
        o.put("size", block.serialize().length);
        o.put("strippedsize", block.serialize().length);
        o.put("weight", 4 * block.serialize().length);
        header.fields().forEachRemaining(e -> {
            if (!o.has(e.getKey())) {
                o.set(e.getKey(), e.getValue());
            }
        });
        ArrayNode txs = F.arrayNode();
        for (Transaction tx : block.getTransactions()) {
            txs.add(verbosity >= 2 ? txJson(tx) : F.textNode(tx.getTxId().toString()));
        }
        o.set("tx", txs);
        return o;
    }

    /** Core's GetDifficulty: the difficulty-1 target over this target, from the compact forms. */
    static double difficulty(long bits) {
        int shift = (int) ((bits >>> 24) & 0xff);
        double diff = (double) (DIFFICULTY_1_BITS & 0x00ffffffL) / (double) (bits & 0x00ffffffL);
        while (shift < 29) {
            diff *= 256.0;
            shift++;
        }
        while (shift > 29) {
            diff /= 256.0;
            shift--;
        }
        return diff;
    }

    private static String work(BigInteger work) {
        return String.format("%64s", work.toString(16)).replace(' ', '0');
    }

    // --- transactions -----------------------------------------------------------------------------

    private JsonNode rawTransaction(Sha256Hash txid, int verbosity, Sha256Hash blockHash) throws NodeException {
        if (node.blockAt(0).orElseThrow().getTransactions().get(0).getTxId().equals(txid)) {
            throw new NodeException(NodeException.INVALID_ADDRESS_OR_KEY,
                    "The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved");
        }
        RegtestNode.Located at = node.transaction(txid).orElse(null);
        if (blockHash != null) {
            int height = node.heightOf(blockHash).orElseThrow(
                    () -> new NodeException(NodeException.INVALID_ADDRESS_OR_KEY, "Block hash not found"));
            if (at == null || at.height() != height) {
                throw new NodeException(NodeException.INVALID_ADDRESS_OR_KEY,
                        "No such transaction found in the provided block. Use gettransaction for wallet transactions.");
            }
        }
        if (at == null) {
            throw new NodeException(NodeException.INVALID_ADDRESS_OR_KEY,
                    "No such mempool or blockchain transaction. Use gettransaction for wallet transactions.");
        }
        if (verbosity == 0) {
            return F.textNode(HEX.formatHex(at.tx().serialize()));
        }
        ObjectNode o = F.objectNode();
        if (blockHash != null) {
            o.put("in_active_chain", true);
        }
        o.setAll(txJson(at.tx()));
        if (!at.inMempool()) {
            Block block = node.blockAt(at.height()).orElseThrow();
            o.put("blockhash", block.getHashAsString());
            o.put("confirmations", node.height() - at.height() + 1);
            o.put("time", block.getTimeSeconds());
            o.put("blocktime", block.getTimeSeconds());
        }
        return o;
    }

    private ObjectNode txJson(Transaction tx) {
        ObjectNode o = F.objectNode();
        byte[] raw = tx.serialize();
        o.put("txid", tx.getTxId().toString());
        o.put("hash", tx.getWTxId().toString());
        o.put("version", tx.getVersion());
        o.put("size", raw.length);
        o.put("vsize", tx.getVsize());
        o.put("weight", tx.getWeight());
        o.put("locktime", tx.getLockTime());
        ArrayNode vin = o.putArray("vin");
        for (TransactionInput in : tx.getInputs()) {
            ObjectNode i = vin.addObject();
            if (in.isCoinBase()) {
                i.put("coinbase", HEX.formatHex(in.getScriptBytes()));
            } else {
                i.put("txid", in.getOutpoint().hash().toString());
                i.put("vout", in.getOutpoint().index());
                ObjectNode sig = i.putObject("scriptSig");
                sig.put("asm", asm(in.getScriptBytes(), true));
                sig.put("hex", HEX.formatHex(in.getScriptBytes()));
            }
            i.put("sequence", in.getSequenceNumber());
        }
        ArrayNode vout = o.putArray("vout");
        List<TransactionOutput> outs = tx.getOutputs();
        for (int n = 0; n < outs.size(); n++) {
            ObjectNode out = vout.addObject();
            out.set("value", amount(outs.get(n).getValue()));
            out.put("n", n);
            out.set("scriptPubKey", scriptPubKeyJson(outs.get(n).getScriptBytes()));
        }
        o.put("hex", HEX.formatHex(raw));
        return o;
    }

    static ObjectNode scriptPubKeyJson(byte[] program) {
        ObjectNode o = F.objectNode();
        o.put("asm", asm(program, false));
        o.put("hex", HEX.formatHex(program));
        String type = "nonstandard";
        try {
            Script script = Script.parse(program);
            type = ScriptPattern.isP2PKH(script) ? "pubkeyhash"
                    : ScriptPattern.isP2SH(script) ? "scripthash"
                    : ScriptPattern.isOpReturn(script) ? "nulldata"
                    : ScriptPattern.isP2WPKH(script) ? "witness_v0_keyhash"
                    : ScriptPattern.isP2WSH(script) ? "witness_v0_scripthash"
                    : ScriptPattern.isP2TR(script) ? "witness_v1_taproot"
                    : ScriptPattern.isP2PK(script) ? "pubkey"
                    : ScriptPattern.isSentToMultisig(script) ? "multisig" : "nonstandard";
            if (!type.equals("nulldata") && !type.equals("pubkey") && !type.equals("multisig") && !type.equals("nonstandard")) {
                o.put("address", script.getToAddress(BitcoinNetwork.REGTEST).toString());
            }
        } catch (RuntimeException e) {
            // an unparseable script is "nonstandard" with its raw asm
        }
        o.put("type", type);
        return o;
    }

    /** Core's ScriptToAsmStr: pushes as hex (signatures with their sighash type in a scriptSig), opcodes by name. */
    static String asm(byte[] program, boolean decodeSignatures) {
        List<ScriptChunk> chunks;
        try {
            chunks = Script.parse(program).getChunks();
        } catch (RuntimeException e) {
            return "[error]";
        }
        List<String> parts = new ArrayList<>();
        for (ScriptChunk c : chunks) {
            if (c.opcode == ScriptOpCodes.OP_0) {
                parts.add("0");
            } else if (c.opcode == ScriptOpCodes.OP_1NEGATE) {
                parts.add("-1");
            } else if (c.opcode >= ScriptOpCodes.OP_1 && c.opcode <= ScriptOpCodes.OP_16) {
                parts.add(Integer.toString(c.opcode - ScriptOpCodes.OP_1 + 1));
            } else if (c.data != null) {
                if (decodeSignatures && c.data.length > 8 && TransactionSignature.isEncodingCanonical(c.data)) {
                    parts.add(HEX.formatHex(c.data, 0, c.data.length - 1) + "[" + sigHashName(c.data[c.data.length - 1]) + "]");
                } else if (c.data.length <= 4) {
                    parts.add(Long.toString(scriptNum(c.data)));
                } else {
                    parts.add(HEX.formatHex(c.data));
                }
            } else {
                parts.add("OP_" + ScriptOpCodes.getOpCodeName(c.opcode));
            }
        }
        return String.join(" ", parts);
    }

    private static long scriptNum(byte[] data) {
        if (data.length == 0) {
            return 0;
        }
        long v = 0;
        for (int i = 0; i < data.length; i++) {
            v |= (long) (data[i] & 0xff) << (8 * i);
        }
        if ((data[data.length - 1] & 0x80) != 0) {
            return -(v & ~(0x80L << (8 * (data.length - 1))));
        }
        return v;
    }

    private static String sigHashName(byte type) {
        String base = switch (type & 0x1f) {
            case 1 -> "ALL";
            case 2 -> "NONE";
            case 3 -> "SINGLE";
            default -> Integer.toString(type & 0xff);
        };
        return (type & 0x80) != 0 ? base + "|ANYONECANPAY" : base;
    }

    private JsonNode createRawTransaction(JsonNode inputs, JsonNode outputs, long locktime, boolean replaceable)
            throws NodeException {
        if (inputs == null || !inputs.isArray()) {
            throw new NodeException(NodeException.TYPE_ERROR, "Expected type array for inputs");
        }
        if (outputs == null || !(outputs.isObject() || outputs.isArray())) {
            throw new NodeException(NodeException.TYPE_ERROR, "Expected type object or array for outputs");
        }
        if (locktime < 0 || locktime > 0xffffffffL) {
            throw new NodeException(NodeException.INVALID_PARAMETER, "Invalid parameter, locktime out of range");
        }
        Transaction tx = new Transaction();
        tx.setVersion(2);
        tx.setLockTime(locktime);
        for (JsonNode in : inputs) {
            if (!in.isObject()) {
                throw new NodeException(NodeException.TYPE_ERROR, "Expected type object for inputs");
            }
            Sha256Hash txid = Params.parseHash(in.get("txid"), "txid");
            JsonNode vout = in.get("vout");
            if (vout == null || !vout.isIntegralNumber()) {
                throw new NodeException(NodeException.INVALID_PARAMETER, "Invalid parameter, missing vout key");
            }
            if (vout.asLong() < 0) {
                throw new NodeException(NodeException.INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");
            }
            long sequence = replaceable ? RegtestNode.SEQUENCE_RBF
                    : locktime != 0 ? TransactionInput.NO_SEQUENCE - 1 : TransactionInput.NO_SEQUENCE;
            JsonNode seq = in.get("sequence");
            if (seq != null) {
                if (!seq.isIntegralNumber() || seq.asLong() < 0 || seq.asLong() > 0xffffffffL) {
                    throw new NodeException(NodeException.INVALID_PARAMETER, "Invalid parameter, sequence number is out of range");
                }
                sequence = seq.asLong();
            }
            tx.addInput(new TransactionInput(tx, new byte[0], new TransactionOutPoint(vout.asLong(), txid))
                    .withSequence(sequence));
        }
        List<Map.Entry<String, JsonNode>> outs = new ArrayList<>();
        if (outputs.isObject()) {
            outputs.fields().forEachRemaining(outs::add);
        } else {
            for (JsonNode one : outputs) {
                if (!one.isObject() || one.size() != 1) {
                    throw new NodeException(NodeException.INVALID_PARAMETER,
                            "Invalid parameter, key-value pair must contain exactly one key");
                }
                one.fields().forEachRemaining(outs::add);
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> out : outs) {
            String key = out.getKey();
            if (key.equals("data")) {
                if (!seen.add(key)) {
                    throw new NodeException(NodeException.INVALID_PARAMETER, "Invalid parameter, duplicate key: data");
                }
                String data = out.getValue().asText();
                if (!Params.isHex(data)) {
                    throw new NodeException(NodeException.INVALID_PARAMETER, "Data must be hexadecimal string (not '" + data + "')");
                }
                tx.addOutput(Coin.ZERO, ScriptBuilder.createOpReturnScript(HEX.parseHex(data)));
            } else {
                Address address = node.parseAddress(key);
                if (!seen.add(address.toString())) {
                    throw new NodeException(NodeException.INVALID_PARAMETER, "Invalid parameter, duplicated address: " + key);
                }
                tx.addOutput(Params.parseAmount(out.getValue()), address);
            }
        }
        return F.textNode(HEX.formatHex(tx.serialize()));
    }

    private static final Set<String> FUND_OPTIONS = Set.of("add_inputs", "include_unsafe", "changeAddress", "change_address",
            "changePosition", "change_position", "change_type", "includeWatching", "include_watching", "lockUnspents",
            "lock_unspents", "fee_rate", "feeRate", "subtractFeeFromOutputs", "subtract_fee_from_outputs", "replaceable",
            "conf_target", "estimate_mode", "input_weights", "max_tx_weight", "minconf", "maxconf", "solving_data");

    private JsonNode fund(Transaction tx, JsonNode options) throws NodeException {
        Coin rate = feePerKvB;
        Address change = null;
        Integer changePos = null;
        boolean replaceable = true;
        if (options != null && options.isObject()) {
            for (Iterator<String> it = options.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!FUND_OPTIONS.contains(k)) {
                    throw new NodeException(NodeException.INVALID_PARAMETER, "Unexpected key " + k);
                }
            }
            if (options.has("fee_rate") && options.has("feeRate")) {
                throw new NodeException(NodeException.INVALID_PARAMETER,
                        "Cannot specify both fee_rate (sat/vB) and feeRate (BTC/kvB)");
            }
            if (options.has("feeRate")) {
                rate = Params.parseAmount(options.get("feeRate"));
            }
            if (options.has("fee_rate")) {
                BigDecimal satPerVb = new BigDecimal(options.get("fee_rate").asText());
                rate = Coin.valueOf(satPerVb.multiply(BigDecimal.valueOf(1000)).longValue());
            }
            JsonNode changeAddress = options.has("changeAddress") ? options.get("changeAddress") : options.get("change_address");
            if (changeAddress != null) {
                change = node.parseAddress(changeAddress.asText());
            }
            JsonNode position = options.has("changePosition") ? options.get("changePosition") : options.get("change_position");
            if (position != null) {
                changePos = position.asInt();
                if (changePos < 0 || changePos > tx.getOutputs().size()) {
                    throw new NodeException(NodeException.INVALID_PARAMETER, "changePosition out of bounds");
                }
            }
            JsonNode subtract = options.has("subtractFeeFromOutputs") ? options.get("subtractFeeFromOutputs")
                    : options.get("subtract_fee_from_outputs");
            if (subtract != null && subtract.size() > 0) {
                throw new NodeException(NodeException.INVALID_PARAMETER, "subtractFeeFromOutputs is not supported by this node");
            }
            if (options.has("replaceable")) {
                replaceable = options.get("replaceable").asBoolean();
            }
        }
        RegtestNode.Funded funded = node.fund(tx, new RegtestNode.FundOptions(rate, change, changePos, replaceable));
        ObjectNode o = F.objectNode();
        o.put("hex", HEX.formatHex(funded.tx().serialize()));
        o.set("fee", amount(funded.fee()));
        o.put("changepos", funded.changePosition());
        return o;
    }

    private JsonNode sign(Transaction tx, JsonNode prevTxs, String sigHashType) throws NodeException {
        String type = sigHashType.toUpperCase(Locale.ROOT);
        boolean anyoneCanPay = type.endsWith("|ANYONECANPAY");
        Transaction.SigHash sigHash = switch (anyoneCanPay ? type.substring(0, type.indexOf('|')) : type) {
            case "ALL" -> Transaction.SigHash.ALL;
            case "NONE" -> Transaction.SigHash.NONE;
            case "SINGLE" -> Transaction.SigHash.SINGLE;
            default -> throw new NodeException(NodeException.INVALID_PARAMETER, sigHashType + " is not a valid sighash parameter.");
        };
        List<RegtestNode.PrevOut> prevs = new ArrayList<>();
        if (prevTxs != null && !prevTxs.isNull()) {
            for (JsonNode p : prevTxs) {
                JsonNode spk = p.get("scriptPubKey");
                if (spk == null || !Params.isHex(spk.asText())) {
                    throw new NodeException(NodeException.INVALID_PARAMETER, "scriptPubKey must be hexadecimal string");
                }
                prevs.add(new RegtestNode.PrevOut(Params.parseHash(p.get("txid"), "txid"), p.path("vout").asLong(),
                        Script.parse(HEX.parseHex(spk.asText())), p.has("amount") ? Params.parseAmount(p.get("amount")) : Coin.ZERO));
            }
        }
        RegtestNode.Signed signed = node.sign(tx, prevs, sigHash, anyoneCanPay);
        ObjectNode o = F.objectNode();
        o.put("hex", HEX.formatHex(signed.tx().serialize()));
        o.put("complete", signed.complete());
        if (!signed.complete()) {
            ArrayNode errors = o.putArray("errors");
            for (RegtestNode.SignError e : signed.errors()) {
                TransactionInput in = signed.tx().getInput(e.input());
                ObjectNode err = errors.addObject();
                err.put("txid", in.getOutpoint().hash().toString());
                err.put("vout", in.getOutpoint().index());
                err.putArray("witness");
                err.put("scriptSig", HEX.formatHex(in.getScriptBytes()));
                err.put("sequence", in.getSequenceNumber());
                err.put("error", e.error());
            }
        }
        return o;
    }

    private JsonNode testMempoolAccept(JsonNode rawTxs, Coin maxFee) throws NodeException {
        if (rawTxs == null || !rawTxs.isArray()) {
            throw new NodeException(NodeException.TYPE_ERROR, "Expected type array for rawtxs");
        }
        if (rawTxs.size() < 1 || rawTxs.size() > 25) {
            throw new NodeException(NodeException.INVALID_PARAMETER, "Array must contain between 1 and 25 transactions.");
        }
        ArrayNode results = F.arrayNode();
        for (JsonNode raw : rawTxs) {
            Transaction tx = Params.decodeTransaction(raw.asText());
            ObjectNode r = results.addObject();
            r.put("txid", tx.getTxId().toString());
            r.put("wtxid", tx.getWTxId().toString());
            try {
                RegtestNode.Accepted a = node.check(tx, maxFee);
                r.put("allowed", true);
                r.put("vsize", a.vsize());
                ObjectNode fees = r.putObject("fees");
                fees.set("base", amount(a.fee()));
                fees.set("effective-feerate", amount(Coin.valueOf(a.fee().value * 1000 / a.vsize())));
                fees.putArray("effective-includes").add(a.wtxid().toString());
            } catch (NodeException e) {
                r.put("allowed", false);
                r.put("reject-reason", e.rejectReason());
            }
        }
        return results;
    }

    private JsonNode txOutProof(JsonNode txids, Sha256Hash blockHash) throws NodeException {
        if (txids == null || !txids.isArray()) {
            throw new NodeException(NodeException.TYPE_ERROR, "Expected type array for txids");
        }
        List<Sha256Hash> list = new ArrayList<>();
        for (JsonNode t : txids) {
            Sha256Hash txid = Params.parseHash(t, "txid");
            if (list.contains(txid)) {
                throw new NodeException(NodeException.INVALID_PARAMETER, "Invalid parameter, duplicated txid: " + t.asText());
            }
            list.add(txid);
        }
        return F.textNode(HEX.formatHex(node.txOutProof(list, blockHash)));
    }

    private JsonNode estimateSmartFee(long target, String mode) throws NodeException {
        if (target < 1 || target > 1008) {
            throw new NodeException(NodeException.INVALID_PARAMETER, "Invalid conf_target, must be between 1 and 1008");
        }
        String m = mode.toLowerCase(Locale.ROOT);
        if (!m.equals("unset") && !m.equals("economical") && !m.equals("conservative")) {
            throw new NodeException(NodeException.INVALID_PARAMETER,
                    "Invalid estimate_mode parameter, must be one of: \"unset\", \"economical\", \"conservative\"");
        }
        ObjectNode o = F.objectNode();
        o.set("feerate", amount(feePerKvB));
        o.put("blocks", Math.max(2, target));
        return o;
    }

    private JsonNode generate(long count, String address) throws NodeException {
        Address to;
        try {
            to = node.parseAddress(address);
        } catch (NodeException e) {
            throw new NodeException(NodeException.INVALID_ADDRESS_OR_KEY, "Error: Invalid address");
        }
        if (count < 0 || count > 10_000) {
            throw new NodeException(NodeException.INVALID_PARAMETER, "nblocks must be between 0 and 10000 on this node");
        }
        ArrayNode hashes = F.arrayNode();
        for (Sha256Hash h : node.generate((int) count, to)) {
            hashes.add(h.toString());
        }
        return hashes;
    }

    private JsonNode newAddress(String type) throws NodeException {
        if (type != null && !type.equals("legacy")) {
            if (Set.of("p2sh-segwit", "bech32", "bech32m").contains(type)) {
                throw new NodeException(NodeException.INVALID_PARAMETER,
                        "this regtest node makes legacy (P2PKH) addresses only: it cannot validate segwit spends");
            }
            throw new NodeException(NodeException.INVALID_ADDRESS_OR_KEY, "Unknown address type '" + type + "'");
        }
        return F.textNode(node.newAddress().toString());
    }

    /** An amount in BTC with 8 decimals, as Core's ValueFromAmount. */
    static JsonNode amount(Coin coin) {
        return F.numberNode(BigDecimal.valueOf(coin.value, 8));
    }

    /** Positional arguments with bitcoind's type errors. */
    static final class Params {
        private final List<JsonNode> args;

        Params(List<JsonNode> args) {
            this.args = args;
        }

        boolean has(int i) {
            return i < args.size() && args.get(i) != null && !args.get(i).isNull();
        }

        JsonNode get(int i) {
            return has(i) ? args.get(i) : null;
        }

        long integer(int i) throws NodeException {
            JsonNode v = get(i);
            if (v == null || !v.isIntegralNumber()) {
                throw new NodeException(NodeException.TYPE_ERROR, "JSON value of type " + typeName(v) + " is not of expected type number");
            }
            return v.asLong();
        }

        boolean bool(int i, boolean fallback) throws NodeException {
            JsonNode v = get(i);
            if (v == null) {
                return fallback;
            }
            if (v.isBoolean()) {
                return v.asBoolean();
            }
            if (v.isIntegralNumber()) {
                return v.asLong() != 0;
            }
            throw new NodeException(NodeException.TYPE_ERROR, "JSON value of type " + typeName(v) + " is not of expected type bool");
        }

        /** A verbose flag that may be a bool or a verbosity number (getrawtransaction, getblock). */
        int verbosity(int i, int fallback) throws NodeException {
            JsonNode v = get(i);
            if (v == null) {
                return fallback;
            }
            if (v.isBoolean()) {
                return v.asBoolean() ? 1 : 0;
            }
            if (v.isIntegralNumber()) {
                return (int) v.asLong();
            }
            throw new NodeException(NodeException.TYPE_ERROR, "JSON value of type " + typeName(v) + " is not of expected type number");
        }

        String text(int i) throws NodeException {
            JsonNode v = get(i);
            if (v == null || !v.isTextual()) {
                throw new NodeException(NodeException.TYPE_ERROR, "JSON value of type " + typeName(v) + " is not of expected type string");
            }
            return v.textValue();
        }

        Sha256Hash hash(int i, String name) throws NodeException {
            return parseHash(get(i), name);
        }

        Coin amount(int i) throws NodeException {
            return parseAmount(get(i));
        }

        Transaction transaction(int i) throws NodeException {
            return decodeTransaction(text(i));
        }

        static String typeName(JsonNode v) {
            if (v == null || v.isNull()) {
                return "null";
            }
            return v.isTextual() ? "string" : v.isNumber() ? "number" : v.isBoolean() ? "bool"
                    : v.isArray() ? "array" : "object";
        }

        static boolean isHex(String s) {
            return s.length() % 2 == 0 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }

        static Sha256Hash parseHash(JsonNode v, String name) throws NodeException {
            if (v == null || !v.isTextual()) {
                throw new NodeException(NodeException.TYPE_ERROR, "JSON value of type " + typeName(v) + " is not of expected type string");
            }
            String s = v.textValue();
            if (s.length() != 64) {
                throw new NodeException(NodeException.INVALID_PARAMETER,
                        name + " must be of length 64 (not " + s.length() + ", for '" + s + "')");
            }
            if (!isHex(s)) {
                throw new NodeException(NodeException.INVALID_PARAMETER, name + " must be hexadecimal string (not '" + s + "')");
            }
            return Sha256Hash.wrap(s.toLowerCase(Locale.ROOT));
        }

        /** An amount in BTC (number or string, at most 8 decimals) as Core's AmountFromValue. */
        static Coin parseAmount(JsonNode v) throws NodeException {
            if (v == null || !(v.isNumber() || v.isTextual())) {
                throw new NodeException(NodeException.TYPE_ERROR, "Amount is not a number or string");
            }
            BigDecimal btc;
            try {
                btc = new BigDecimal(v.asText());
            } catch (NumberFormatException e) {
                throw new NodeException(NodeException.TYPE_ERROR, "Invalid amount");
            }
            if (btc.signum() < 0) {
                throw new NodeException(NodeException.TYPE_ERROR, "Amount out of range");
            }
            BigDecimal sats = btc.movePointRight(8);
            if (sats.stripTrailingZeros().scale() > 0) {
                throw new NodeException(NodeException.TYPE_ERROR, "Invalid amount");
            }
            if (sats.compareTo(BigDecimal.valueOf(21_000_000L * 100_000_000L)) > 0) {
                throw new NodeException(NodeException.TYPE_ERROR, "Amount out of range");
            }
            return Coin.valueOf(sats.longValueExact());
        }

        /**
         * A hex transaction. A transaction without inputs (createrawtransaction's output) is read in the
         * legacy form first, since its empty input count looks like a segwit marker, as Core's DecodeHexTx.
         */
        static Transaction decodeTransaction(String hex) throws NodeException {
            if (!isHex(hex)) {
                throw new NodeException(NodeException.DESERIALIZATION_ERROR, "TX decode failed");
            }
            byte[] raw = HEX.parseHex(hex);
            if (raw.length > 5 && raw[4] == 0) {
                Transaction legacy = readWithoutInputs(raw);
                if (legacy != null) {
                    return legacy;
                }
            }
            try {
                ByteBuffer buf = ByteBuffer.wrap(raw);
                Transaction tx = Transaction.read(buf);
                if (buf.hasRemaining()) {
                    throw new NodeException(NodeException.DESERIALIZATION_ERROR, "TX decode failed");
                }
                return tx;
            } catch (RuntimeException e) {
                throw new NodeException(NodeException.DESERIALIZATION_ERROR, "TX decode failed");
            }
        }

        private static Transaction readWithoutInputs(byte[] raw) {
            try {
                ByteBuffer buf = ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                int version = buf.getInt();
                if (buf.get() != 0) {
                    return null;
                }
                long count = buf.get() & 0xff;
                if (count >= 0xfd) {
                    return null;
                }
                Transaction tx = new Transaction();
                tx.setVersion(version);
                for (long i = 0; i < count; i++) {
                    long value = buf.getLong();
                    int len = buf.get() & 0xff;
                    if (len >= 0xfd) {
                        return null;
                    }
                    byte[] script = new byte[len];
                    buf.get(script);
                    tx.addOutput(new TransactionOutput(tx, Coin.valueOf(value), script));
                }
                tx.setLockTime(buf.getInt() & 0xffffffffL);
                return buf.hasRemaining() ? null : tx;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
