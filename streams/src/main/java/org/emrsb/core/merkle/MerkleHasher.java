package org.emrsb.core.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.Objects;

/**
 * The RFC 6962 / RFC 9162 section 2.1.1 tree hashing with SHA-256, and nothing else: no tree
 * shape, no proof arithmetic, no storage.
 *
 * <ul>
 *   <li>leaf hash: {@code SHA-256(0x00 || data)}</li>
 *   <li>node hash: {@code SHA-256(0x01 || left || right)}</li>
 *   <li>empty tree hash: {@code SHA-256("")}</li>
 * </ul>
 *
 * <p>The distinct 0x00 / 0x01 prefixes give second-preimage resistance: a leaf can never be
 * passed off as an interior node.
 *
 * <p>Thread-safe. The digest comes from the JDK's own "SUN" provider on purpose: the streams
 * module has BouncyCastle on its class path, and if it were ever registered first a plain
 * {@code getInstance("SHA-256")} would hand back its (several times slower) digest. Each thread
 * reuses one digest, cloned once from a prototype, so the hot path does no provider lookup and
 * allocates only the 32-byte result.
 */
public final class MerkleHasher {

    /** Length in bytes of every hash this class produces or accepts. */
    public static final int HASH_LENGTH = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final MerkleHasher INSTANCE = new MerkleHasher();

    private final MessageDigest prototype = newSha256();
    private final ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(this::cloneDigest);
    private final byte[] emptyRoot = digest().digest();

    private MerkleHasher() {
    }

    /** The shared RFC 6962 SHA-256 hasher. */
    public static MerkleHasher sha256() {
        return INSTANCE;
    }

    /** The root of the empty tree, {@code SHA-256("")}; a fresh copy on every call. */
    public byte[] emptyRoot() {
        return emptyRoot.clone();
    }

    /** {@code SHA-256(0x00 || data)}. Any length of data is accepted, including empty. */
    public byte[] hashLeaf(byte[] data) {
        Objects.requireNonNull(data, "leaf data must not be null");
        MessageDigest md = digest();
        md.update(LEAF_PREFIX);
        md.update(data);
        return md.digest();
    }

    /**
     * {@code SHA-256(0x01 || left || right)}.
     *
     * @throws IllegalArgumentException if either child is not a {@value #HASH_LENGTH}-byte hash
     */
    public byte[] hashChildren(byte[] left, byte[] right) {
        checkHash(left, "left child hash");
        checkHash(right, "right child hash");
        return hashChildrenUnchecked(left, right);
    }

    /**
     * The node hash without the length checks, for callers in this package whose inputs are
     * already validated (tree building, proof walks), and for the RFC's own test vector, whose
     * "children" are short strings.
     */
    byte[] hashChildrenUnchecked(byte[] left, byte[] right) {
        MessageDigest md = digest();
        md.update(NODE_PREFIX);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /**
     * Throws unless {@code hash} is a non-null {@value #HASH_LENGTH}-byte array.
     *
     * @param what names the value in the message, e.g. "leaf hash"
     */
    public static void checkHash(byte[] hash, String what) {
        Objects.requireNonNull(hash, () -> what + " must not be null");
        if (hash.length != HASH_LENGTH) {
            throw new IllegalArgumentException(
                    what + " must be " + HASH_LENGTH + " bytes, got " + hash.length);
        }
    }

    private MessageDigest digest() {
        return digests.get();
    }

    private MessageDigest cloneDigest() {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256(); // not the case for the JDK digests; kept as a safe fallback
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256", "SUN");
        } catch (NoSuchProviderException e) {
            return anySha256(); // a JDK build without "SUN": take the default provider
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
    }

    private static MessageDigest anySha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
    }
}
