package org.emrsb.core.governance;

import java.util.Optional;

/**
 * The enrolled members as the stages see them: for a member key, the certificate in force (the latest
 * one the enrolment authority issued for it, already checked against the authority's key). Stages back
 * it with a global state store over governance.members; tests with a map.
 */
@FunctionalInterface
public interface MemberDirectory {

    /** The certificate in force for an Ed25519 member key, if the member was ever enrolled. */
    Optional<SignedCertificate> certificate(byte[] memberKey);
}
