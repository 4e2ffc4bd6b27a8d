package org.emrsb.core.monitor;

import java.util.Objects;

/**
 * What a monitor made of one transaction or block: accepted; rejected by a named check; or waiting,
 * because a check needs data the monitor does not have yet (an epoch the epochs topic has not
 * delivered, a block whose transactions have not been judged). A waiting subject is checked again
 * later from the start; only acceptances and rejections become verdicts.
 */
public sealed interface CheckOutcome {

    /** The one acceptance. */
    CheckOutcome ACCEPTED = new Accepted();

    /** Every check passed. */
    record Accepted() implements CheckOutcome {
    }

    /**
     * A check failed.
     *
     * @param check  its stable name ({@link CheckNames})
     * @param detail what failed, for logs; never an identifier
     */
    record Rejected(String check, String detail) implements CheckOutcome {
        public Rejected {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * A check cannot be decided yet.
     *
     * @param check  the check that waits ({@link CheckNames})
     * @param detail what it waits for
     */
    record Waiting(String check, String detail) implements CheckOutcome {
        public Waiting {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(detail, "detail");
        }
    }

    static CheckOutcome reject(String check, String detail) {
        return new Rejected(check, detail);
    }

    static CheckOutcome waitFor(String check, String detail) {
        return new Waiting(check, detail);
    }
}
