package org.emrsb.core.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * A member's keys: its {@link Role}, Ed25519 signing key and X25519 encryption key pair, stored in one
 * owner-only file.
 *
 * <p>File format {@code emrsb-key/1}: a UTF-8 JSON object with exactly these six string fields (all
 * key material is lowercase hex of 32 bytes, 64 characters; public keys without their text prefix):
 *
 * <pre>
 * {
 *   "format": "emrsb-key/1",
 *   "role": "doctor",
 *   "ed25519Public": "&lt;64 hex&gt;",
 *   "ed25519Seed": "&lt;64 hex&gt;",
 *   "x25519Public": "&lt;64 hex&gt;",
 *   "x25519Private": "&lt;64 hex&gt;"
 * }
 * </pre>
 *
 * Reading refuses unknown, missing, duplicate or non-string fields, another format, uppercase hex, wrong
 * lengths, and public keys that do not match their private keys; each error names the field.
 */
public final class MemberKeys {

    /** The value of the {@code "format"} field. */
    public static final String FORMAT = "emrsb-key/1";
    /** The largest key file {@link #read} accepts; a valid one is about 370 bytes. */
    public static final int MAX_FILE_SIZE = 64 * 1024;

    static final String F_FORMAT = KeyFileJson.FORMAT_FIELD;
    static final String F_ROLE = "role";
    static final String F_ED_PUBLIC = "ed25519Public";
    static final String F_ED_SEED = "ed25519Seed";
    static final String F_X_PUBLIC = "x25519Public";
    static final String F_X_PRIVATE = "x25519Private";
    private static final List<String> FIELDS = List.of(F_FORMAT, F_ROLE, F_ED_PUBLIC, F_ED_SEED, F_X_PUBLIC, F_X_PRIVATE);

    private final Role role;
    private final SigningKey signingKey;
    private final EncryptionKeyPair encryptionKeys;

    /** A member's keys. */
    public MemberKeys(Role role, SigningKey signingKey, EncryptionKeyPair encryptionKeys) {
        this.role = Objects.requireNonNull(role, "role");
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.encryptionKeys = Objects.requireNonNull(encryptionKeys, "encryptionKeys");
    }

    /** Fresh keys for {@code role} from {@code random}. */
    public static MemberKeys generate(Role role, SecureRandom random) {
        return new MemberKeys(role, SigningKey.generate(random), EncryptionKeyPair.generate(random));
    }

    public Role role() {
        return role;
    }

    public SigningKey signingKey() {
        return signingKey;
    }

    public VerifyingKey verifyingKey() {
        return signingKey.verifyingKey();
    }

    public EncryptionKeyPair encryptionKeys() {
        return encryptionKeys;
    }

    public X25519PublicKey encryptionPublicKey() {
        return encryptionKeys.publicKey();
    }

    /**
     * Writes the key file at {@code path}, which must not exist yet (a key is never overwritten). Where
     * the file system supports POSIX permissions the file is created {@code rw-------} (and set so again
     * whatever the umask); elsewhere it is made readable and writable by its owner only, as far as the
     * platform allows. The content is flushed to the device before returning; on failure a partly
     * written file is removed.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists
     */
    public void write(Path path) throws IOException {
        KeyFileJson.writeOwnerOnly(path, toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads and validates a key file written by {@link #write}.
     *
     * @throws KeyFileException if the content is not a valid {@code emrsb-key/1} file (the message and
     *                          {@link KeyFileException#field()} name the field at fault)
     * @throws IOException      if the file cannot be read
     */
    public static MemberKeys read(Path path) throws IOException {
        return KeyFileJson.read(path, "key file", MAX_FILE_SIZE, MemberKeys::fromJson);
    }

    /** Parses and validates the {@code emrsb-key/1} JSON in {@code content}; {@code source} names it in errors. */
    static MemberKeys fromJson(byte[] content, String source) throws KeyFileException {
        JsonNode root = KeyFileJson.parseObject(content, source, FIELDS, FORMAT);
        Role role = KeyFileJson.decoded(root, F_ROLE, source, Role::fromId);
        SigningKey signingKey = SigningKey.fromSeed(hex32(root, F_ED_SEED, source));
        byte[] edPublic = hex32(root, F_ED_PUBLIC, source);
        if (!signingKey.verifyingKey().equals(publicOrNull(edPublic))) {
            throw new KeyFileException(source, F_ED_PUBLIC, "does not match the public key of \"" + F_ED_SEED
                    + "\" (expected " + Hex.encode(signingKey.verifyingKey().rawBytes()) + ")");
        }
        EncryptionKeyPair encryptionKeys = EncryptionKeyPair.fromPrivate(hex32(root, F_X_PRIVATE, source));
        byte[] xPublic = hex32(root, F_X_PUBLIC, source);
        if (!MessageDigest.isEqual(encryptionKeys.publicKey().rawBytes(), xPublic)) {
            throw new KeyFileException(source, F_X_PUBLIC, "does not match the public key of \"" + F_X_PRIVATE
                    + "\" (expected " + Hex.encode(encryptionKeys.publicKey().rawBytes()) + ")");
        }
        return new MemberKeys(role, signingKey, encryptionKeys);
    }

    private static VerifyingKey publicOrNull(byte[] encoded) {
        try {
            return VerifyingKey.of(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] hex32(JsonNode root, String field, String source) throws KeyFileException {
        return KeyFileJson.decoded(root, field, source, value -> Hex.decode(value, 32, "32-byte hex value"));
    }

    /**
     * The file content: the six fields in the documented order, two-space indented, LF line ends, a final
     * LF. Contains the private keys.
     */
    String toJson() {
        return "{\n"
                + "  \"" + F_FORMAT + "\": \"" + FORMAT + "\",\n"
                + "  \"" + F_ROLE + "\": \"" + role.id() + "\",\n"
                + "  \"" + F_ED_PUBLIC + "\": \"" + Hex.encode(signingKey.verifyingKey().rawBytes()) + "\",\n"
                + "  \"" + F_ED_SEED + "\": \"" + Hex.encode(signingKey.rawSeed()) + "\",\n"
                + "  \"" + F_X_PUBLIC + "\": \"" + Hex.encode(encryptionKeys.publicKey().rawBytes()) + "\",\n"
                + "  \"" + F_X_PRIVATE + "\": \"" + Hex.encode(encryptionKeys.privateKey()) + "\"\n"
                + "}\n";
    }

    /** Role and public keys only. */
    @Override
    public String toString() {
        return "MemberKeys[role=" + role.id() + ", " + signingKey.verifyingKey() + ", " + encryptionKeys.publicKey() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberKeys other && role == other.role && signingKey.equals(other.signingKey)
                && encryptionKeys.equals(other.encryptionKeys);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, signingKey, encryptionKeys);
    }
}
