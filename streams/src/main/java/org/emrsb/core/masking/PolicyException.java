package org.emrsb.core.masking;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A masking policy that cannot be used: unreadable, malformed, or a rule whose parameters are wrong
 * or whose key is missing. The message names the policy's source and, for a rule, its number
 * (1-based, in file order), its field and its type.
 */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Integer rule;
    private final String field;

    public PolicyException(String message) {
        this(message, null, null, null);
    }

    public PolicyException(String message, Throwable cause) {
        this(message, null, null, cause);
    }

    PolicyException(String message, Integer rule, String field, Throwable cause) {
        super(message, cause);
        this.rule = rule;
        this.field = field;
    }

    /** The rule's number (1-based) when the problem is in a rule. */
    public OptionalInt rule() {
        return rule == null ? OptionalInt.empty() : OptionalInt.of(rule);
    }

    /** The rule's field path when the problem is in a rule that names one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
