package org.emrsb.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.gateway.Gateway;
import org.emrsb.core.gateway.GatewaySecrets;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.masking.MaskingPolicy;
import org.emrsb.core.masking.PolicyException;

/** The gateway's keys, secret and policy, read and checked at start-up with errors that name the setting. */
final class GatewaySettings {

    final MemberKeys keys;
    final GatewaySecrets secrets;
    final MaskingPolicy policy;

    private GatewaySettings(MemberKeys keys, GatewaySecrets secrets, MaskingPolicy policy) {
        this.keys = keys;
        this.secrets = secrets;
        this.policy = policy;
    }

    static GatewaySettings load(EmrsbConfig config) {
        MemberKeys keys = readKeys(requiredPath(config, "gateway.key-file"), "gateway.key-file");
        if (keys.role() != Role.GATEWAY) {
            throw new EmrsbConfig.ConfigException("gateway.key-file holds a " + keys.role() + " key, not a gateway key");
        }
        GatewaySecrets secrets = new GatewaySecrets(readSecret(requiredPath(config, "gateway.secret-file")));
        try {
            MaskingPolicy policy = MaskingPolicy.named(config.string("gateway.policy"), secrets.maskingKeys());
            return new GatewaySettings(keys, secrets, policy);
        } catch (PolicyException e) {
            throw new EmrsbConfig.ConfigException("gateway.policy: " + e.getMessage());
        }
    }

    Gateway gateway(MemberDirectory members) {
        return new Gateway(keys, secrets, policy, members, Clock.systemUTC(), new SecureRandom());
    }

    /** The enrolment authority's key: ed25519:<hex>, or the path of its key file. */
    static VerifyingKey authority(EmrsbConfig config) {
        String value = config.string("governance.authority-key");
        if (value.isEmpty()) {
            throw new EmrsbConfig.ConfigException("governance.authority-key is not set (ed25519:<hex> or a key file);"
                    + " set EMRSB_GOVERNANCE_AUTHORITY_KEY");
        }
        if (value.startsWith(VerifyingKey.PREFIX)) {
            try {
                return VerifyingKey.parse(value);
            } catch (IllegalArgumentException e) {
                throw new EmrsbConfig.ConfigException("governance.authority-key: " + e.getMessage());
            }
        }
        return readKeys(Path.of(value), "governance.authority-key").verifyingKey();
    }

    /** Writes a new random 32-byte secret as hex, owner-only, never overwriting. */
    static void writeSecret(Path file) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.writeString(Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))), Hex.encode(secret) + "\n",
                StandardCharsets.US_ASCII);
    }

    private static Path requiredPath(EmrsbConfig config, String key) {
        String value = config.string(key);
        if (value.isEmpty()) {
            throw new EmrsbConfig.ConfigException(key + " is not set; set " + EmrsbConfig.environmentName(key));
        }
        return Path.of(value);
    }

    private static MemberKeys readKeys(Path file, String key) {
        try {
            return MemberKeys.read(file);
        } catch (IOException e) {
            throw new EmrsbConfig.ConfigException(key + ": cannot use " + file + ": " + e.getMessage());
        }
    }

    private static byte[] readSecret(Path file) {
        try {
            return Hex.decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), 32, "gateway secret");
        } catch (IOException | IllegalArgumentException e) {
            throw new EmrsbConfig.ConfigException("gateway.secret-file: cannot use " + file + ": " + e.getMessage());
        }
    }
}
