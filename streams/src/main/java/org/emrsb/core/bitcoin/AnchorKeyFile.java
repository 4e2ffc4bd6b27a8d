package org.emrsb.core.bitcoin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.emrsb.core.crypto.KeyFileException;

/**
 * The anchor wallet's key on disk, following the member key file's conventions ({@code emrsb-key/1}
 * in {@code docs/ledger-format.md} §4.3): one owner-only UTF-8 JSON object, written exclusively and
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

    static final String F_FORMAT = "format";
    static final String F_NETWORK = "network";
    static final String F_WIF = "wif";
    static final String F_ADDRESS = "address";
    private static final List<String> FIELDS = List.of(F_FORMAT, F_NETWORK, F_WIF, F_ADDRESS);

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
     * Writes the file at {@code path}, which must not exist yet, mode {@code rw-------} where the file
     * system has POSIX permissions; flushed to the device; a partly written file is removed on failure.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists
     */
    public void write(Path path) throws IOException {
        byte[] content = toJson().getBytes(StandardCharsets.UTF_8);
        boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        boolean created = false;
        try (FileChannel channel = FileChannel.open(path,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            created = true;
            if (posix) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            }
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            if (created) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Reads and validates a file written by {@link #write}.
     *
     * @throws KeyFileException if the content is not a valid {@code emrsb-anchor-key/1} file (the message
     *                          names the file and the field at fault, never the key)
     * @throws IOException      if the file cannot be read
     */
    public static AnchorKeyFile read(Path path) throws IOException {
        String source = "anchor key file " + path;
        long size = Files.size(path);
        if (size > MAX_FILE_SIZE) {
            throw new KeyFileException(source, null, size + " bytes is larger than any anchor key file (" + MAX_FILE_SIZE + ")");
        }
        return fromJson(Files.readAllBytes(path), source);
    }

    /** Parses and validates {@code emrsb-anchor-key/1} JSON; {@code source} names it in errors. */
    static AnchorKeyFile fromJson(byte[] content, String source) throws KeyFileException {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new KeyFileException(source, null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new KeyFileException(source, null, "not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new KeyFileException(source, null, "expected a JSON object with fields " + FIELDS);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new KeyFileException(source, name, "unknown field (expected exactly " + FIELDS + ")");
            }
        }
        String format = text(root, F_FORMAT, source);
        if (!FORMAT.equals(format)) {
            throw new KeyFileException(source, F_FORMAT, "expected \"" + FORMAT + "\", found \"" + format + "\"");
        }
        BitcoinNetwork network;
        try {
            network = BitcoinNetwork.fromId(text(root, F_NETWORK, source));
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(source, F_NETWORK, e.getMessage());
        }
        AnchorKey key;
        try {
            key = AnchorKey.fromWif(text(root, F_WIF, source), network);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(source, F_WIF, e.getMessage());
        }
        String address = text(root, F_ADDRESS, source);
        if (!key.address(network).equals(address)) {
            throw new KeyFileException(source, F_ADDRESS, "\"" + address + "\" is not the " + network
                    + " address of the key (expected " + key.address(network) + ")");
        }
        return new AnchorKeyFile(network, key);
    }

    private static String text(JsonNode root, String field, String source) throws KeyFileException {
        JsonNode node = root.get(field);
        if (node == null) {
            throw new KeyFileException(source, field, "missing");
        }
        if (!node.isTextual()) {
            throw new KeyFileException(source, field, "must be a string, found "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node.textValue();
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "AnchorKeyFile[" + network + ", " + key.address(network) + "]";
    }
}
