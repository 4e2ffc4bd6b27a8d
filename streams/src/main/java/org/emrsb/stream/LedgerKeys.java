package org.emrsb.stream;

/**
 * The keys of the ledger's state stores (see {@link Stores}). Numbers are zero-padded to a fixed width
 * so that the stores' byte order is numeric order and a range or prefix scan walks a chain in sequence.
 */
final class LedgerKeys {

    private LedgerKeys() {
    }

    static String chain(long chain) {
        return String.format("%010d", chain);
    }

    /** {@code <chain:10>/<n:19>}: a sequence or a height on a chain. */
    static String onChain(long chain, long n) {
        return chain(chain) + "/" + String.format("%019d", n);
    }

    /** The prefix of every key of a chain in a {@link #onChain} store. */
    static String chainPrefix(long chain) {
        return chain(chain) + "/";
    }

    /** {@code <pseudonym>/<chain:10>/<sequence:19>}. */
    static String patient(String pseudonym, long chain, long sequence) {
        return patientPrefix(pseudonym) + onChain(chain, sequence);
    }

    static String patientPrefix(String pseudonym) {
        return pseudonym + "/";
    }

    static String pending(long counter) {
        return String.format("%019d", counter);
    }
}
