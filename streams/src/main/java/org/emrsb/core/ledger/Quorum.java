package org.emrsb.core.ledger;

import java.util.Locale;

/**
 * How many monitors must accept a transaction or a block for it to count (DESIGN §3, paper §4.3
 * step 5): a fixed number, or a majority of the monitors enrolled at the time. Zero is a ledger
 * without monitors, where everything a delegate signs counts at once (a bootstrap alliance or a test).
 * A subject is decided as soon as the outcome cannot change: accepted when the accepting monitors reach
 * the quorum, rejected when so many rejected that the rest cannot reach it any more.
 */
public record Quorum(boolean majority, int fixed) {

    /** What the verdicts so far decide. */
    public enum Decision { ACCEPTED, REJECTED, PENDING }

    public Quorum {
        if (fixed < 0) {
            throw new IllegalArgumentException("a quorum is at least 0, was " + fixed);
        }
    }

    /** A majority of the enrolled monitors. */
    public static Quorum ofMajority() {
        return new Quorum(true, 0);
    }

    /** Exactly {@code n} accepting monitors; 0 for no monitors. */
    public static Quorum of(int n) {
        return new Quorum(false, n);
    }

    /**
     * Reads {@code majority} or a number.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Quorum parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("majority")) {
            return ofMajority();
        }
        try {
            return of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a quorum is 'majority' or a number of monitors (0 for none), not '"
                    + text + "'");
        }
    }

    /** Whether the ledger runs without monitors: every signed transaction is accepted at once. */
    public boolean none() {
        return !majority && fixed == 0;
    }

    /** The accepting monitors needed when {@code enrolled} monitors are enrolled. */
    public int required(int enrolled) {
        return majority ? enrolled / 2 + 1 : fixed;
    }

    /**
     * The decision after {@code accepts} distinct monitors accepted and {@code rejects} rejected, of
     * {@code enrolled} enrolled monitors.
     */
    public Decision decide(int accepts, int rejects, int enrolled) {
        int required = required(enrolled);
        if (accepts >= required) {
            return Decision.ACCEPTED;
        }
        int undecided = Math.max(0, enrolled - accepts - rejects);
        return accepts + undecided < required && rejects > 0 ? Decision.REJECTED : Decision.PENDING;
    }

    @Override
    public String toString() {
        return majority ? "majority" : Integer.toString(fixed);
    }
}
