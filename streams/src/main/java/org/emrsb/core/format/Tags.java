package org.emrsb.core.format;

/**
 * The domain-separation tags that open every canonical structure (docs/ledger-format.md). A tag names
 * the structure and its layout version, so bytes of one kind can never be taken for another, and a
 * layout change is a new tag.
 */
public final class Tags {

    public static final String SUBMISSION = "emrsb:submission:v1";
    public static final String MASKED_RECORD = "emrsb:masked-record:v1";
    public static final String TRANSACTION = "emrsb:transaction:v1";
    public static final String BLOCK_HEADER = "emrsb:block:v1";
    public static final String ANCHOR_HEADER = "emrsb:anchor:v1";
    public static final String VERDICT = "emrsb:verdict:v1";
    public static final String CERTIFICATE = "emrsb:certificate:v1";
    public static final String VOTE = "emrsb:vote:v1";
    public static final String EPOCH = "emrsb:epoch:v1";
    public static final String VIOLATION = "emrsb:violation:v1";

    private Tags() {
    }
}
