package org.emrsb.core.governance;

import org.emrsb.core.format.FormatException;

/** A delegate's status at a governance epoch. The codes are part of the epoch layout. */
public enum DelegateStatus {
    /** Among the top N by approvals: signs chains and blocks. */
    ACTIVE(1),
    /** Approved by at least one vote but not in the top N. */
    STANDBY(2),
    /** Evicted on evidence of misbehaviour; permanent. */
    EVICTED(3);

    private final int code;

    DelegateStatus(int code) {
        this.code = code;
    }

    /** The layout code: 1 ACTIVE, 2 STANDBY, 3 EVICTED. */
    public int code() {
        return code;
    }

    /** @throws FormatException for an unknown code */
    public static DelegateStatus of(int code) {
        for (DelegateStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new FormatException("epoch: unknown delegate status " + code);
    }
}
