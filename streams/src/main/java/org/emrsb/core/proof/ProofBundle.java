package org.emrsb.core.proof;

import org.emrsb.core.governance.SignedCertificate;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.emrsb.core.bitcoin.BitcoinNetwork;
import org.emrsb.core.bitcoin.DoubleSha256;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.AnchorHeader;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.format.Verdict;
import org.emrsb.core.merkle.InclusionProof;

/**
 * A proof bundle, {@code emrsb-proof/1}: one transaction and the chain of evidence up to Bitcoin,
 * exactly as its JSON says. Binary values are kept as the hex text of the JSON, undecoded, because
 * judging them (lowercase, length, content) is the verifier's job and a bad value must fail a named
 * step, not the reading. Integers are JSON integers. {@code block}, {@code anchor} and
 * {@code bitcoin} may be absent (null here), e.g. before the anchor is mined.
 *
 * <p>Reading ({@link #parse}) refuses what is not a readable bundle with {@link BundleFormatException}:
 * invalid JSON (including duplicate keys and trailing content), another {@code format}, a missing
 * mandatory field, or a field of the wrong JSON type (a hex value that is not a string, an integer
 * that is not an integral number within a signed 64-bit range, a part or list that is not an object
 * or array, an explicit null). Unknown fields are ignored.
 */
public record ProofBundle(String format, String authorityKey, TransactionPart transaction, BlockPart block,
        AnchorPart anchor, BitcoinPart bitcoin) {

    /** The value of the {@code format} field. */
    public static final String FORMAT = "emrsb-proof/1";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** {@code transaction}: the ledger transaction's id (lowercase hex SHA-256 of the bytes) and canonical bytes. */
    public record TransactionPart(String id, String bytes) {
        public TransactionPart {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /**
     * {@code block}: the block header and its hash, the transaction's inclusion proof in it, the
     * delegate's key, signature and signed certificate, and the monitors' verdicts on the block.
     * {@code delegateKey} is 64 hex characters without prefix.
     */
    public record BlockPart(long chain, long height, String header, String hash, long leafIndex, long treeSize,
            List<String> path, String delegateKey, String signature, String delegateCertificate,
            List<VerdictPart> verdicts) {
        public BlockPart {
            path = List.copyOf(path);
            verdicts = List.copyOf(verdicts);
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(delegateKey, "delegateKey");
            Objects.requireNonNull(signature, "signature");
            Objects.requireNonNull(delegateCertificate, "delegateCertificate");
        }
    }

    /** One monitor's verdict: its canonical bytes, key (64 hex, no prefix), signature and signed certificate. */
    public record VerdictPart(String bytes, String monitorKey, String signature, String certificate) {
        public VerdictPart {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(monitorKey, "monitorKey");
            Objects.requireNonNull(signature, "signature");
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    /** {@code anchor}: the anchor header and its hash, and the block's inclusion proof in the anchor tree. */
    public record AnchorPart(long sequence, String header, String hash, long leafIndex, long treeSize,
            List<String> path) {
        public AnchorPart {
            path = List.copyOf(path);
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(hash, "hash");
        }

        /** The part for {@code header} and the block hash's inclusion {@code proof} in its tree. */
        public static AnchorPart of(AnchorHeader header, InclusionProof proof) {
            byte[] bytes = header.toBytes();
            return new AnchorPart(header.sequence(), Hex.encode(bytes), Hex.encode(Sha256.hash(bytes)),
                    proof.leafIndex(), proof.treeSize(), hexes(proof.path()));
        }
    }

    /**
     * {@code bitcoin}: the transaction carrying the anchor hash (without witness data), its txid, its
     * Merkle branch to the block header, the block hash and height. Hashes in internal byte order.
     */
    public record BitcoinPart(String network, String tx, String txid, long txIndex, List<String> branch,
            String blockHash, long height, String header) {
        public BitcoinPart {
            branch = List.copyOf(branch);
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(tx, "tx");
            Objects.requireNonNull(txid, "txid");
            Objects.requireNonNull(blockHash, "blockHash");
            Objects.requireNonNull(header, "header");
        }

        /**
         * The part for transaction {@code tx} (its serialisation without witness data) at {@code txIndex}
         * of the block with the 80-byte {@code header}, its Merkle {@code branch} from the transaction up.
         */
        public static BitcoinPart of(BitcoinNetwork network, byte[] tx, long txIndex, List<byte[]> branch, long height,
                byte[] header) {
            return new BitcoinPart(network.id(), Hex.encode(tx), Hex.encode(DoubleSha256.hash(tx)), txIndex,
                    hexes(branch), Hex.encode(DoubleSha256.hash(header)), height, Hex.encode(header));
        }
    }

    /** The bundle with the {@code anchor} part and, when not null, the {@code bitcoin} part. */
    public ProofBundle withAnchoring(AnchorPart anchor, BitcoinPart bitcoin) {
        if (block == null) {
            throw new IllegalStateException("an anchor part needs the block part before it");
        }
        return new ProofBundle(format, authorityKey, transaction, block, anchor, bitcoin);
    }

    public ProofBundle {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(authorityKey, "authorityKey");
        Objects.requireNonNull(transaction, "transaction");
    }

    /** Whether the part is in the bundle. */
    public boolean has(Part part) {
        return switch (part) {
            case BLOCK -> block != null;
            case ANCHOR -> anchor != null;
            case BITCOIN -> bitcoin != null;
        };
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a bundle from its JSON (UTF-8).
     *
     * @throws BundleFormatException if it is not a readable {@code emrsb-proof/1} bundle
     */
    public static ProofBundle parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BundleFormatException(null, "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new BundleFormatException(null, "not valid JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new BundleFormatException(null, "not valid JSON: empty");
        }
        return fromTree(root);
    }

    /** Reads a bundle from its JSON text. */
    public static ProofBundle parse(String json) {
        return parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ProofBundle fromTree(JsonNode root) {
        Fields top = Fields.root(root);
        String format = top.text("format");
        if (!FORMAT.equals(format)) {
            throw new BundleFormatException("format", "expected \"" + FORMAT + "\", found \"" + format + "\"");
        }
        String authority = top.text("authorityKey");
        Fields tx = top.object("transaction");
        TransactionPart transaction = new TransactionPart(tx.text("id"), tx.text("bytes"));
        BlockPart block = null;
        if (top.has("block")) {
            Fields b = top.object("block");
            List<VerdictPart> verdicts = new ArrayList<>();
            List<Fields> items = b.objects("verdicts");
            for (Fields v : items) {
                verdicts.add(new VerdictPart(v.text("bytes"), v.text("monitorKey"), v.text("signature"),
                        v.text("certificate")));
            }
            block = new BlockPart(b.integer("chain"), b.integer("height"), b.text("header"), b.text("hash"),
                    b.integer("leafIndex"), b.integer("treeSize"), b.texts("path"), b.text("delegateKey"),
                    b.text("signature"), b.text("delegateCertificate"), verdicts);
        }
        AnchorPart anchor = null;
        if (top.has("anchor")) {
            Fields a = top.object("anchor");
            anchor = new AnchorPart(a.integer("sequence"), a.text("header"), a.text("hash"), a.integer("leafIndex"),
                    a.integer("treeSize"), a.texts("path"));
        }
        BitcoinPart bitcoin = null;
        if (top.has("bitcoin")) {
            Fields c = top.object("bitcoin");
            bitcoin = new BitcoinPart(c.text("network"), c.text("tx"), c.text("txid"), c.integer("txIndex"),
                    c.texts("branch"), c.text("blockHash"), c.integer("height"), c.text("header"));
        }
        return new ProofBundle(format, authority, transaction, block, anchor, bitcoin);
    }

    /** A JSON object with the path it was found at, read strictly. */
    private record Fields(JsonNode node, String path) {

        static Fields root(JsonNode node) {
            if (!node.isObject()) {
                throw new BundleFormatException(null, "expected a JSON object, found " + type(node));
            }
            return new Fields(node, "");
        }

        boolean has(String name) {
            return node.has(name);
        }

        private String at(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        private JsonNode get(String name) {
            JsonNode value = node.get(name);
            if (value == null) {
                throw new BundleFormatException(at(name), "missing");
            }
            return value;
        }

        String text(String name) {
            return text(get(name), at(name));
        }

        static String text(JsonNode value, String where) {
            if (!value.isTextual()) {
                throw new BundleFormatException(where, "must be a string, found " + type(value));
            }
            return value.textValue();
        }

        long integer(String name) {
            JsonNode value = get(name);
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw new BundleFormatException(at(name), "must be an integer (signed 64-bit), found "
                        + (value.isNumber() ? value.asText() : type(value)));
            }
            return value.longValue();
        }

        Fields object(String name) {
            JsonNode value = get(name);
            if (!value.isObject()) {
                throw new BundleFormatException(at(name), "must be an object, found " + type(value));
            }
            return new Fields(value, at(name));
        }

        private JsonNode array(String name) {
            JsonNode value = get(name);
            if (!value.isArray()) {
                throw new BundleFormatException(at(name), "must be an array, found " + type(value));
            }
            return value;
        }

        List<String> texts(String name) {
            JsonNode array = array(name);
            List<String> out = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                out.add(text(array.get(i), at(name) + "[" + i + "]"));
            }
            return out;
        }

        List<Fields> objects(String name) {
            JsonNode array = array(name);
            List<Fields> out = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                String where = at(name) + "[" + i + "]";
                if (!item.isObject()) {
                    throw new BundleFormatException(where, "must be an object, found " + type(item));
                }
                out.add(new Fields(item, where));
            }
            return out;
        }

        private static String type(JsonNode value) {
            return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    // ---------------------------------------------------------------- writing

    /** The JSON tree, fields in the documented order; absent parts are left out. */
    public ObjectNode toTree() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", format).put("authorityKey", authorityKey);
        root.putObject("transaction").put("id", transaction.id).put("bytes", transaction.bytes);
        if (block != null) {
            ObjectNode b = root.putObject("block");
            b.put("chain", block.chain).put("height", block.height).put("header", block.header)
                    .put("hash", block.hash).put("leafIndex", block.leafIndex).put("treeSize", block.treeSize);
            strings(b.putArray("path"), block.path);
            b.put("delegateKey", block.delegateKey).put("signature", block.signature)
                    .put("delegateCertificate", block.delegateCertificate);
            ArrayNode verdicts = b.putArray("verdicts");
            for (VerdictPart v : block.verdicts) {
                verdicts.addObject().put("bytes", v.bytes).put("monitorKey", v.monitorKey)
                        .put("signature", v.signature).put("certificate", v.certificate);
            }
        }
        if (anchor != null) {
            ObjectNode a = root.putObject("anchor");
            a.put("sequence", anchor.sequence).put("header", anchor.header).put("hash", anchor.hash)
                    .put("leafIndex", anchor.leafIndex).put("treeSize", anchor.treeSize);
            strings(a.putArray("path"), anchor.path);
        }
        if (bitcoin != null) {
            ObjectNode c = root.putObject("bitcoin");
            c.put("network", bitcoin.network).put("tx", bitcoin.tx).put("txid", bitcoin.txid)
                    .put("txIndex", bitcoin.txIndex);
            strings(c.putArray("branch"), bitcoin.branch);
            c.put("blockHash", bitcoin.blockHash).put("height", bitcoin.height).put("header", bitcoin.header);
        }
        return root;
    }

    /** The JSON text: two-space indented, a final newline. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(toTree()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Reads a bundle from a JSON tree (as {@link #toTree()} gives). */
    public static ProofBundle fromJsonTree(JsonNode root) {
        return fromTree(Objects.requireNonNull(root, "root"));
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    // ---------------------------------------------------------------- building

    /** A builder of bundles from the ledger's structures; the hex, ids and hashes are derived. */
    public static Builder builder(VerifyingKey authority) {
        return new Builder(authority);
    }

    /**
     * Assembles a bundle from the structures themselves: the transaction, the block header with the
     * transaction's inclusion proof and the delegate's signature and certificate, the verdicts, the
     * anchor header with the block's inclusion proof, and the Bitcoin evidence. Nothing is verified
     * here: a builder can assemble a bundle that does not verify.
     */
    public static final class Builder {
        private final VerifyingKey authority;
        private TransactionPart transaction;
        private BlockHeader blockHeader;
        private InclusionProof blockProof;
        private byte[] delegateSignature;
        private byte[] delegateCertificate;
        private final List<VerdictPart> verdicts = new ArrayList<>();
        private AnchorPart anchor;
        private BitcoinPart bitcoin;

        private Builder(VerifyingKey authority) {
            this.authority = Objects.requireNonNull(authority, "authority");
        }

        /** The transaction's canonical bytes (its id is their SHA-256). */
        public Builder transaction(byte[] transactionBytes) {
            this.transaction = new TransactionPart(Sha256.hex(transactionBytes), Hex.encode(transactionBytes));
            return this;
        }

        public Builder transaction(Transaction tx) {
            return transaction(tx.toBytes());
        }

        /**
         * The block that seals the transaction.
         *
         * @param proof               the inclusion proof of the transaction id in the block tree
         * @param delegateSignature   the delegate's signature over {@code header.toBytes()}
         * @param delegateCertificate the delegate's {@link SignedCertificate}
         */
        public Builder block(BlockHeader header, InclusionProof proof, byte[] delegateSignature,
                SignedCertificate delegateCertificate) {
            return block(header, proof, delegateSignature, delegateCertificate.toBytes());
        }

        /** As above, with the signed certificate already encoded. */
        public Builder block(BlockHeader header, InclusionProof proof, byte[] delegateSignature,
                byte[] delegateCertificate) {
            this.blockHeader = Objects.requireNonNull(header, "header");
            this.blockProof = Objects.requireNonNull(proof, "proof");
            this.delegateSignature = delegateSignature.clone();
            this.delegateCertificate = delegateCertificate.clone();
            return this;
        }

        /** A monitor's verdict on the block, with its signature and the monitor's signed certificate. */
        public Builder verdict(Verdict verdict, byte[] signature, SignedCertificate certificate) {
            return verdict(verdict.toBytes(), verdict.monitorKey(), signature, certificate.toBytes());
        }

        /** As above, from encoded values. */
        public Builder verdict(byte[] verdictBytes, byte[] monitorKey, byte[] signature, byte[] certificate) {
            verdicts.add(new VerdictPart(Hex.encode(verdictBytes), Hex.encode(monitorKey), Hex.encode(signature),
                    Hex.encode(certificate)));
            return this;
        }

        /** The anchor covering the block, with the block hash's inclusion proof in the anchor tree. */
        public Builder anchor(AnchorHeader header, InclusionProof proof) {
            this.anchor = AnchorPart.of(header, proof);
            return this;
        }

        /**
         * The Bitcoin transaction carrying the anchor hash and the block it was mined in.
         *
         * @param tx      the transaction's serialisation without witness data
         * @param branch  its Merkle branch, from the transaction up
         * @param header  the block's 80-byte header
         */
        public Builder bitcoin(BitcoinNetwork network, byte[] tx, long txIndex, List<byte[]> branch, long height,
                byte[] header) {
            this.bitcoin = BitcoinPart.of(network, tx, txIndex, branch, height, header);
            return this;
        }

        public ProofBundle build() {
            if (transaction == null) {
                throw new IllegalStateException("a bundle needs its transaction");
            }
            BlockPart block = null;
            if (blockHeader != null) {
                byte[] bytes = blockHeader.toBytes();
                block = new BlockPart(blockHeader.chain(), blockHeader.height(), Hex.encode(bytes),
                        Hex.encode(Sha256.hash(bytes)), blockProof.leafIndex(), blockProof.treeSize(),
                        hexes(blockProof.path()), Hex.encode(blockHeader.delegateKey()),
                        Hex.encode(delegateSignature), Hex.encode(delegateCertificate), verdicts);
            }
            return new ProofBundle(FORMAT, authority.toString(), transaction, block, anchor, bitcoin);
        }
    }

    private static List<String> hexes(List<byte[]> values) {
        return values.stream().map(Hex::encode).toList();
    }
}
