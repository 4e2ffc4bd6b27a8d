package org.emrsb.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.VerifyingKey;

/**
 * The demo's cast, created once under DIR/keys and reused by later runs: the alliance's enrolment
 * authority, the hospital's gateway (key and secret), a doctor, a patient and a monitoring authority; and a
 * delegate institution,
 * new on every run ({@code delegate.key} in the run's output folder), so that every run's vote elects it
 * in a new governance epoch, which is then the epoch in force even on a cluster other runs share.
 */
record DemoIdentities(Path dir, MemberKeys authority, MemberKeys gateway, MemberKeys doctor, MemberKeys patient,
        MemberKeys monitor, MemberKeys delegate) {

    static final String HOSPITAL = "EMRSB Demo Hospital";

    static final String BOARD_INSTITUTION = "EMRSB Demo Board Hospital";
    static final String MONITORING_AUTHORITY = "EMRSB Demo Health Commission";

    static DemoIdentities prepare(Path dir, Path delegateKeyFile) throws IOException {
        Files.createDirectories(dir);
        DemoIdentities ids = new DemoIdentities(dir,
                DemoCommand.keysOf(Role.AUTHORITY, dir.resolve("authority.key")),
                DemoCommand.keysOf(Role.GATEWAY, dir.resolve("gateway.key")),
                DemoCommand.keysOf(Role.DOCTOR, dir.resolve("doctor.key")),
                DemoCommand.keysOf(Role.PATIENT, dir.resolve("patient.key")),
                DemoCommand.keysOf(Role.MONITOR, dir.resolve("monitor.key")),
                fresh(Role.DELEGATE, delegateKeyFile));
        if (!Files.exists(ids.gatewaySecretFile())) {
            org.emrsb.core.crypto.SecretFile.create(ids.gatewaySecretFile(), new java.security.SecureRandom());
        }
        return ids;
    }

    private static MemberKeys fresh(Role role, Path file) throws IOException {
        Files.deleteIfExists(file);
        return DemoCommand.keysOf(role, file);
    }

    Path gatewayKeyFile() {
        return dir.resolve("gateway.key");
    }

    /**
     * The alliance's anchor key (regtest), made on first use: the anchor stage's state (its coins, the
     * chain of anchor transactions) belongs to this wallet, so every run keeps it.
     */
    static Path anchorKeyFile(Path dir) throws IOException {
        Path file = dir.resolve("anchor.key");
        if (!java.nio.file.Files.exists(file)) {
            new org.emrsb.core.bitcoin.AnchorKeyFile(org.emrsb.core.bitcoin.BitcoinNetwork.REGTEST,
                    org.emrsb.core.bitcoin.AnchorKey.generate(new java.security.SecureRandom())).write(file);
        }
        return file;
    }

    Path monitorKeyFile() {
        return dir.resolve("monitor.key");
    }

    Path gatewaySecretFile() {
        return dir.resolve("gateway.secret");
    }

    /** The authority enrols the gateway, the doctor, the patient, the delegate and the monitor (a fresh certificate each run). */
    void enrolAll(EmrsbConfig config) throws Exception {
        for (MemberKeys member : new MemberKeys[] {gateway, doctor, patient}) {
            EnrollCommand.publish(config, member.verifyingKey().toString(),
                    EnrollCommand.sign(EnrollCommand.enrolment(member, HOSPITAL, 365, authority), authority));
        }
        EnrollCommand.publish(config, delegate.verifyingKey().toString(),
                EnrollCommand.sign(EnrollCommand.enrolment(delegate, BOARD_INSTITUTION, 365, authority), authority));
        EnrollCommand.publish(config, monitor.verifyingKey().toString(),
                EnrollCommand.sign(EnrollCommand.enrolment(monitor, MONITORING_AUTHORITY, 365, authority), authority));
    }

    /** The doctor and the patient approve the delegate: it enters the board in a new epoch. */
    void elect(EmrsbConfig config) throws Exception {
        for (MemberKeys voter : new MemberKeys[] {doctor, patient}) {
            VoteCommand.publish(config, voter, java.util.List.of(delegate.verifyingKey().bytes()));
        }
    }

    VerifyingKey authorityKey() {
        return authority.verifyingKey();
    }
}
