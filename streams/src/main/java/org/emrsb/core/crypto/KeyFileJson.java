package org.emrsb.core.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The conventions every JSON key file shares ({@code emrsb-key/1}, {@code emrsb-anchor-key/1}; see
 * {@code docs/ledger-format.md} §4.3): written exclusively, owner-only and flushed; read with a size
 * bound as one JSON object of known string fields, duplicates and trailing tokens refused, a
 * {@code "format"} field naming the format. Every error names the file and the field, never a key.
 */
public final class KeyFileJson {

    /** The name of the field that names the format, in every key file. */
    public static final String FORMAT_FIELD = "format";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private KeyFileJson() {
    }

    /** The strict mapper key files are read with; also fit to write them. */
    public static JsonMapper mapper() {
        return JSON;
    }

    /**
     * Writes {@code content} to {@code path}, which must not exist yet (a key is never overwritten). Where
     * the file system supports POSIX permissions the file is created {@code rw-------} (and set so again
     * whatever the umask); elsewhere it is made readable and writable by its owner only, as far as the
     * platform allows. The content is flushed to the device before returning; on failure a partly
     * written file is removed.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists
     */
    public static void writeOwnerOnly(Path path, byte[] content) throws IOException {
        boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        boolean created = false;
        try (FileChannel channel = FileChannel.open(path,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            created = true;
            restrictToOwner(path, posix);
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

    private static void restrictToOwner(Path path, boolean posix) throws IOException {
        if (posix) {
            Files.setPosixFilePermissions(path, OWNER_ONLY);
            return;
        }
        java.io.File file = path.toFile();
        // Best effort where there are no POSIX permissions: clear everyone's bits, then grant the owner's.
        file.setReadable(false, false);
        file.setWritable(false, false);
        file.setExecutable(false, false);
        file.setReadable(true, true);
        file.setWritable(true, true);
    }

    /** Parses a key file's content; {@code source} names the file in errors. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(byte[] content, String source) throws KeyFileException;
    }

    /**
     * Reads the file at {@code path} and parses it with {@code parser}, naming it "{@code kind path}" in
     * errors.
     *
     * @param kind what the file is ("key file")
     * @throws KeyFileException if the file is larger than {@code maxSize} bytes or does not parse
     * @throws IOException      if the file cannot be read
     */
    public static <T> T read(Path path, String kind, int maxSize, Parser<T> parser) throws IOException {
        String source = kind + " " + path;
        long size = Files.size(path);
        if (size > maxSize) {
            throw new KeyFileException(source, null, size + " bytes is larger than any " + kind + " (" + maxSize + ")");
        }
        return parser.parse(Files.readAllBytes(path), source);
    }

    /**
     * Parses {@code content} as one JSON object whose field names are all in {@code fields} and whose
     * {@value #FORMAT_FIELD} field is the string {@code format}; fields are checked in that order.
     *
     * @throws KeyFileException naming {@code source} and the field at fault
     */
    public static JsonNode parseObject(byte[] content, String source, List<String> fields, String format)
            throws KeyFileException {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new KeyFileException(source, null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new KeyFileException(source, null, "not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new KeyFileException(source, null, "expected a JSON object with fields " + fields);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new KeyFileException(source, name, "unknown field (expected exactly " + fields + ")");
            }
        }
        String found = text(root, FORMAT_FIELD, source);
        if (!format.equals(found)) {
            throw new KeyFileException(source, FORMAT_FIELD, "expected \"" + format + "\", found \"" + found + "\"");
        }
        return root;
    }

    /**
     * The string value of {@code field}.
     *
     * @throws KeyFileException if the field is missing or not a string
     */
    public static String text(JsonNode root, String field, String source) throws KeyFileException {
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

    /**
     * The string value of {@code field} decoded by {@code decode}, whose {@link IllegalArgumentException}
     * becomes a {@link KeyFileException} naming the field.
     *
     * @throws KeyFileException if the field is missing, not a string, or does not decode
     */
    public static <T> T decoded(JsonNode root, String field, String source, Function<String, T> decode)
            throws KeyFileException {
        String value = text(root, field, source);
        try {
            return decode.apply(value);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(source, field, e.getMessage());
        }
    }
}
