package org.emrsb.core.bitcoin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.emrsb.core.crypto.KeyFileException;
import org.emrsb.core.crypto.KeyFileJson;

/**
 * The anchor wallet's key on disk, following the member key file's conventions ({@code emrsb-key/1}
 * in {@code docs/ledger-format.md} §4.3, kept in {@link KeyFileJson}): one owner-only UTF-8 JSON object, written exclusively and
 * never over an existing file, read strictly, every error naming the file and the field.
 *
 * <p>Format {@code emrsb-anchor-key/1}, exactly these four string fields:
 *
 * <pre>
 * {
 *   "format": "emrsb-anchor-key/1",
 *   "network": "regtest",
 *   "wif": "&lt;compressed-key WIF of that network&gt;",
 *   "address": "&lt;its P2PKH address on that network&gt;"
 * }
 * </pre>
 *
 * {@code address} is redundant on purpose, like the public keys of {@code emrsb-key/1}: an operator can
 * see where to send funds without decoding the key, and a reader refuses a file whose address does not
 * match its key. The WIF's version byte must match {@code network}.
 *
 * @param network the network the key is for
 * @param key     the key
 */
public record AnchorKeyFile(BitcoinNetwork network, AnchorKey key) {

    /** The value of the {@code "format"} field. */
    public static final String FORMAT = "emrsb-anchor-key/1";
    /** The largest file {@link #read} accepts; a valid one is about 150 bytes. */
    public static final int MAX_FILE_SIZE = 64 * 1024;

    static final String F_FORMAT = KeyFileJson.FORMAT_FIELD;
    static final String F_NETWORK = "network";
    static final String F_WIF = "wif";
    static final String F_ADDRESS = "address";
    private static final List<String> FIELDS = List.of(F_FORMAT, F_NETWORK, F_WIF, F_ADDRESS);

    private static final JsonMapper JSON = KeyFileJson.mapper();

    public AnchorKeyFile {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(key, "key");
    }

    /** The JSON text of the file, with a final newline. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode().put(F_FORMAT, FORMAT).put(F_NETWORK, network.id())
                .put(F_WIF, key.toWif(network)).put(F_ADDRESS, key.address(network));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the file at {@code path}, which must not exist yet, owner-only ({@code rw-------} where the
     * file system has POSIX permissions); flushed to the device; a partly written file is removed on failure.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists
     */
    public void write(Path path) throws IOException {
        KeyFileJson.writeOwnerOnly(path, toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads and validates a file written by {@link #write}.
     *
     * @throws KeyFileException if the content is not a valid {@code emrsb-anchor-key/1} file (the message
     *                          names the file and the field at fault, never the key)
     * @throws IOException      if the file cannot be read
     */
    public static AnchorKeyFile read(Path path) throws IOException {
        return KeyFileJson.read(path, "anchor key file", MAX_FILE_SIZE, AnchorKeyFile::fromJson);
    }

    /** Parses and validates {@code emrsb-anchor-key/1} JSON; {@code source} names it in errors. */
    static AnchorKeyFile fromJson(byte[] content, String source) throws KeyFileException {
        JsonNode root = KeyFileJson.parseObject(content, source, FIELDS, FORMAT);
        BitcoinNetwork network = KeyFileJson.decoded(root, F_NETWORK, source, BitcoinNetwork::fromId);
        AnchorKey key = KeyFileJson.decoded(root, F_WIF, source, wif -> AnchorKey.fromWif(wif, network));
        String address = KeyFileJson.text(root, F_ADDRESS, source);
        if (!key.address(network).equals(address)) {
            throw new KeyFileException(source, F_ADDRESS, "\"" + address + "\" is not the " + network
                    + " address of the key (expected " + key.address(network) + ")");
        }
        return new AnchorKeyFile(network, key);
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "AnchorKeyFile[" + network + ", " + key.address(network) + "]";
    }
}
