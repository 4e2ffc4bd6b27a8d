package org.emrsb.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.VerifyingKey;

/**
 * The demo's cast, created once under DIR/keys and reused by later runs: the alliance's enrolment
 * authority, the hospital's gateway (key and secret), a doctor and a patient.
 */
record DemoIdentities(Path dir, MemberKeys authority, MemberKeys gateway, MemberKeys doctor, MemberKeys patient) {

    static final String HOSPITAL = "EMRSB Demo Hospital";

    static DemoIdentities prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        DemoIdentities ids = new DemoIdentities(dir,
                DemoCommand.keysOf(Role.AUTHORITY, dir.resolve("authority.key")),
                DemoCommand.keysOf(Role.GATEWAY, dir.resolve("gateway.key")),
                DemoCommand.keysOf(Role.DOCTOR, dir.resolve("doctor.key")),
                DemoCommand.keysOf(Role.PATIENT, dir.resolve("patient.key")));
        if (!Files.exists(ids.gatewaySecretFile())) {
            org.emrsb.core.crypto.SecretFile.create(ids.gatewaySecretFile(), new java.security.SecureRandom());
        }
        return ids;
    }

    Path gatewayKeyFile() {
        return dir.resolve("gateway.key");
    }

    Path gatewaySecretFile() {
        return dir.resolve("gateway.secret");
    }

    /** The authority enrols the gateway, the doctor and the patient (a fresh certificate each run). */
    void enrolAll(EmrsbConfig config) throws Exception {
        for (MemberKeys member : new MemberKeys[] {gateway, doctor, patient}) {
            EnrollCommand.publish(config, member.verifyingKey().toString(),
                    EnrollCommand.sign(EnrollCommand.enrolment(member, HOSPITAL, 365, authority), authority));
        }
    }

    VerifyingKey authorityKey() {
        return authority.verifyingKey();
    }
}
