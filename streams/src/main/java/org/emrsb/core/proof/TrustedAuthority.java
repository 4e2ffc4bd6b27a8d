package org.emrsb.core.proof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.VerifyingKey;

/**
 * The enrolment authority a verifier trusts, from how a user names it: the key itself,
 * {@code ed25519:<64 lowercase hex>}; or a file, either an {@code emrsb-key/1} key file of role
 * {@code authority} (read with {@link MemberKeys#read}; only its public key is used) or a text file
 * whose only content is the {@code ed25519:<hex>} line (surrounding whitespace and a final newline
 * are allowed).
 */
public final class TrustedAuthority {

    private TrustedAuthority() {
    }

    /**
     * The authority's public key.
     *
     * @throws IllegalArgumentException if the text is neither a valid key nor an existing file, or the
     *                                  file holds neither form, or a key file is not the authority's
     * @throws IOException              if the file cannot be read
     */
    public static VerifyingKey resolve(String text) throws IOException {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("authority: empty");
        }
        if (text.startsWith(VerifyingKey.PREFIX)) {
            return VerifyingKey.parse(text);
        }
        Path path = Path.of(text);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("authority: \"" + text + "\" is neither ed25519:<64 hex> nor a file");
        }
        if (Files.size(path) > MemberKeys.MAX_FILE_SIZE) {
            throw new IllegalArgumentException("authority: " + path + " is too large to be a key file");
        }
        String content = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).strip();
        if (content.startsWith(VerifyingKey.PREFIX)) {
            return VerifyingKey.parse(content);
        }
        MemberKeys keys = MemberKeys.read(path);
        if (keys.role() != Role.AUTHORITY) {
            throw new IllegalArgumentException("authority: " + path + " is the key file of a " + keys.role()
                    + ", not of the authority");
        }
        return keys.verifyingKey();
    }
}
