package org.emrsb.app;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.emrsb.core.crypto.SecretFile;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.gateway.Gateway;
import org.emrsb.core.gateway.GatewaySecrets;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.masking.MaskingPolicy;
import org.emrsb.core.masking.PolicyException;
import org.emrsb.core.proof.TrustedAuthority;

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

    /** The enrolment authority's key: ed25519:<hex>, its key file, or a file holding the ed25519: line. */
    static VerifyingKey authority(EmrsbConfig config) {
        String value = config.string("governance.authority-key");
        if (value.isEmpty()) {
            throw new EmrsbConfig.ConfigException("governance.authority-key is not set (ed25519:<hex> or a key file);"
                    + " set EMRSB_GOVERNANCE_AUTHORITY_KEY");
        }
        try {
            return TrustedAuthority.resolve(value);
        } catch (IOException | IllegalArgumentException e) {
            throw new EmrsbConfig.ConfigException("governance.authority-key: " + e.getMessage());
        }
    }

    static Path requiredPath(EmrsbConfig config, String key) {
        String value = config.string(key);
        if (value.isEmpty()) {
            throw new EmrsbConfig.ConfigException(key + " is not set; set " + EmrsbConfig.environmentName(key));
        }
        return Path.of(value);
    }

    static MemberKeys readKeys(Path file, String key) {
        try {
            return MemberKeys.read(file);
        } catch (IOException e) {
            throw new EmrsbConfig.ConfigException(key + ": cannot use " + file + ": " + e.getMessage());
        }
    }

    private static byte[] readSecret(Path file) {
        try {
            return SecretFile.read(file, "gateway secret");
        } catch (IOException | IllegalArgumentException e) {
            throw new EmrsbConfig.ConfigException("gateway.secret-file: cannot use " + file + ": " + e.getMessage());
        }
    }
}
