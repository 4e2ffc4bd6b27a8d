package org.emrsb.core.proof;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link BundleVerifier} checked, step by step, in order. Verification stops at the first failed
 * step, so a failed report ends with it. {@link #verified()} holds when no step failed; a step may be
 * {@link Status#UNVERIFIED} (the Bitcoin height without a node to ask) without failing the bundle.
 */
public record VerificationReport(List<Step> steps) {

    /** How a step ended. */
    public enum Status {
        OK, FAILED, UNVERIFIED
    }

    /**
     * One check.
     *
     * @param name   dotted, stable name, e.g. {@code block.delegate-signature} or {@code block.verdict[1].enrolment}
     * @param detail what was found: the values on success, the reason on failure
     */
    public record Step(String name, Status status, String detail) {
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
        }

        public boolean failed() {
            return status == Status.FAILED;
        }
    }

    public VerificationReport {
        steps = List.copyOf(steps);
    }

    /** Whether no step failed. */
    public boolean verified() {
        return firstFailure().isEmpty();
    }

    /** The step that failed, if any (verification stops there, so there is at most one). */
    public Optional<Step> firstFailure() {
        return steps.stream().filter(Step::failed).findFirst();
    }

    /** The step of this name, if it ran. */
    public Optional<Step> step(String name) {
        return steps.stream().filter(s -> s.name.equals(name)).findFirst();
    }
}
