package org.emrsb.app;

import org.emrsb.core.crypto.MemberKeys;

/**
 * Test access to what {@code ops/emrsb enroll} publishes, so an integration test can enrol a whole cast
 * without starting a JVM per member. The configuration is this process's (EMRSB_* from the environment).
 */
public final class EnrolmentAccess {

    private EnrolmentAccess() {
    }

    /** The authority enrols {@code member} (its role from its key file) for a year, as {@code ops/emrsb enroll}. */
    public static void enrol(MemberKeys member, String institution, MemberKeys authority) throws Exception {
        EnrollCommand.publish(EmrsbConfig.load(null), member.verifyingKey().toString(),
                EnrollCommand.sign(EnrollCommand.enrolment(member, institution, 365, authority), authority));
    }
}
