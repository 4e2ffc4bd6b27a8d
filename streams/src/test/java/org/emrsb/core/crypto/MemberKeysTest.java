package org.emrsb.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code emrsb-key/1} member key file: format, round trip, permissions and validation. */
class MemberKeysTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The documented example: role doctor, the RFC 8032 TEST 1 seed and the RFC 7748 section 6.1 private
     * key of Alice, so every value can be checked against the RFCs.
     */
    static final String GOLDEN_FILE = "{\n"
            + "  \"format\": \"emrsb-key/1\",\n"
            + "  \"role\": \"doctor\",\n"
            + "  \"ed25519Public\": \"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\",\n"
            + "  \"ed25519Seed\": \"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\",\n"
            + "  \"x25519Public\": \"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a\",\n"
            + "  \"x25519Private\": \"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a\"\n"
            + "}\n";

    @TempDir
    Path dir;

    private static MemberKeys golden() {
        return new MemberKeys(Role.DOCTOR,
                SigningKey.fromSeed(Hex.decode(KeyTypesTest.ED_SEED, "s")),
                EncryptionKeyPair.fromPrivate(Hex.decode(KeyTypesTest.X_PRIVATE, "x")));
    }

    @Test
    void writesTheDocumentedFormatExactly() throws IOException {
        Path file = dir.resolve("doctor.key");
        golden().write(file);
        assertEquals(GOLDEN_FILE, Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(golden(), MemberKeys.read(file));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void roundTripsEveryRole(Role role) throws IOException {
        MemberKeys keys = MemberKeys.generate(role, RANDOM);
        Path file = dir.resolve(role.id() + ".key");
        keys.write(file);
        MemberKeys read = MemberKeys.read(file);
        assertEquals(keys, read);
        assertEquals(role, read.role());
        assertEquals(keys.verifyingKey(), read.verifyingKey());
        assertEquals(keys.encryptionPublicKey(), read.encryptionPublicKey());
        byte[] message = "round trip".getBytes(StandardCharsets.UTF_8);
        assertTrue(Signatures.verify(keys.verifyingKey(), message, Signatures.sign(read.signingKey(), message)));
    }

    @Test
    void fileIsOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path file = dir.resolve("member.key");
        MemberKeys.generate(Role.PATIENT, RANDOM).write(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void neverOverwritesAKey() throws IOException {
        Path file = dir.resolve("member.key");
        MemberKeys first = MemberKeys.generate(Role.GATEWAY, RANDOM);
        first.write(file);
        assertThrows(FileAlreadyExistsException.class, () -> MemberKeys.generate(Role.GATEWAY, RANDOM).write(file));
        assertEquals(first, MemberKeys.read(file));
    }

    @Test
    void missingFileIsAnIoError() {
        assertThrows(NoSuchFileException.class, () -> MemberKeys.read(dir.resolve("absent.key")));
    }

    static Stream<String> fields() {
        return Stream.of("format", "role", "ed25519Public", "ed25519Seed", "x25519Public", "x25519Private");
    }

    @ParameterizedTest
    @MethodSource("fields")
    void refusesAMissingField(String field) throws IOException {
        String content = GOLDEN_FILE.replaceAll("(?m)^  \"" + field + "\": \"[^\"]*\",?\n", "");
        // keep the JSON valid when the last field was removed
        content = content.replace("\",\n}", "\"\n}");
        assertFalse(content.contains("\"" + field + "\""));
        assertRefused(content, field, "missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519Public", "ed25519Seed", "x25519Public", "x25519Private"})
    void refusesUppercaseHex(String field) throws IOException {
        String value = valueOf(field);
        assertRefused(GOLDEN_FILE.replace(value, value.toUpperCase()), field, "uppercase");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519Public", "ed25519Seed", "x25519Public", "x25519Private"})
    void refusesWrongLengths(String field) throws IOException {
        String value = valueOf(field);
        assertRefused(GOLDEN_FILE.replace(value, value.substring(2)), field, "expected 64");
        assertRefused(GOLDEN_FILE.replace(value, value + "00"), field, "expected 64");
        assertRefused(GOLDEN_FILE.replace(value, "ed25519:" + value.substring(8)), field, "hex");
    }

    @Test
    void refusesAnEd25519PublicKeyThatDoesNotMatchTheSeed() throws IOException {
        String other = Hex.encode(SigningKey.generate(RANDOM).verifyingKey().bytes());
        assertRefused(GOLDEN_FILE.replace(KeyTypesTest.ED_PUBLIC, other), "ed25519Public", "does not match");
    }

    @Test
    void refusesAnEd25519SeedThatDoesNotMatchThePublicKey() throws IOException {
        String other = Hex.encode(SigningKey.generate(RANDOM).seed());
        assertRefused(GOLDEN_FILE.replace(KeyTypesTest.ED_SEED, other), "ed25519Public", "does not match");
    }

    @Test
    void refusesAnX25519PublicKeyThatDoesNotMatchThePrivateKey() throws IOException {
        String other = Hex.encode(EncryptionKeyPair.generate(RANDOM).publicKey().bytes());
        assertRefused(GOLDEN_FILE.replace(KeyTypesTest.X_PUBLIC, other), "x25519Public", "does not match");
        String otherPrivate = Hex.encode(EncryptionKeyPair.generate(RANDOM).privateKey());
        assertRefused(GOLDEN_FILE.replace(KeyTypesTest.X_PRIVATE, otherPrivate), "x25519Public", "does not match");
    }

    @Test
    void refusesTheKeysOfTwoSwappedFields() throws IOException {
        String swapped = GOLDEN_FILE.replace(KeyTypesTest.ED_PUBLIC, "PLACEHOLDER")
                .replace(KeyTypesTest.X_PUBLIC, KeyTypesTest.ED_PUBLIC).replace("PLACEHOLDER", KeyTypesTest.X_PUBLIC);
        assertRefused(swapped, "ed25519Public", "does not match");
    }

    @Test
    void refusesAnotherFormat() throws IOException {
        assertRefused(GOLDEN_FILE.replace("emrsb-key/1", "emrsb-key/2"), "format", "expected \"emrsb-key/1\"");
        assertRefused(GOLDEN_FILE.replace("emrsb-key/1", "EMRSB-KEY/1"), "format", "expected \"emrsb-key/1\"");
    }

    @Test
    void refusesUnknownRoles() throws IOException {
        assertRefused(GOLDEN_FILE.replace("\"doctor\"", "\"nurse\""), "role", "unknown role");
        assertRefused(GOLDEN_FILE.replace("\"doctor\"", "\"Doctor\""), "role", "unknown role");
    }

    @Test
    void refusesUnknownDuplicateAndNonStringFields() throws IOException {
        assertRefused(GOLDEN_FILE.replace("{\n", "{\n  \"comment\": \"x\",\n"), "comment", "unknown field");
        assertRefused(GOLDEN_FILE.replace("{\n", "{\n  \"role\": \"patient\",\n"), null, "Duplicate field 'role'");
        assertRefused(GOLDEN_FILE.replace("\"doctor\"", "7"), "role", "must be a string");
        assertRefused(GOLDEN_FILE.replace("\"" + KeyTypesTest.ED_SEED + "\"", "null"), "ed25519Seed", "must be a string");
    }

    @Test
    void refusesWhatIsNotAKeyFileObject() throws IOException {
        assertRefused("", null, "JSON object");
        assertRefused("[]", null, "JSON object");
        assertRefused("\"emrsb-key/1\"", null, "JSON object");
        assertRefused("{", null, "not valid JSON");
        assertRefused(GOLDEN_FILE + "{}", null, "not valid JSON");
    }

    @Test
    void refusesAHugeFile() throws IOException {
        Path file = dir.resolve("huge.key");
        Files.write(file, new byte[MemberKeys.MAX_FILE_SIZE + 1]);
        KeyFileException e = assertThrows(KeyFileException.class, () -> MemberKeys.read(file));
        assertTrue(e.getMessage().contains("larger than any key file"), e.getMessage());
    }

    private static String valueOf(String field) {
        return switch (field) {
            case "ed25519Public" -> KeyTypesTest.ED_PUBLIC;
            case "ed25519Seed" -> KeyTypesTest.ED_SEED;
            case "x25519Public" -> KeyTypesTest.X_PUBLIC;
            case "x25519Private" -> KeyTypesTest.X_PRIVATE;
            default -> throw new IllegalArgumentException(field);
        };
    }

    private void assertRefused(String content, String field, String problem) throws IOException {
        Path file = Files.createTempFile(dir, "bad", ".key");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        KeyFileException e = assertThrows(KeyFileException.class, () -> MemberKeys.read(file));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith("key file " + file), e.getMessage());
        if (field != null) {
            assertTrue(e.getMessage().contains("field \"" + field + "\""), e.getMessage());
        }
        // private key material from the file never ends up in the message
        for (String secret : new String[] {KeyTypesTest.ED_SEED, KeyTypesTest.X_PRIVATE}) {
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertFalse(e.getMessage().contains(secret.toUpperCase()), e.getMessage());
        }
    }
}
