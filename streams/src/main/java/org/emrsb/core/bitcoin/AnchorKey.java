package org.emrsb.core.bitcoin;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.bouncycastle.util.BigIntegers;

/**
 * The anchor wallet's secp256k1 private key, always used with its compressed public key. It pays
 * for and signs the anchor transactions; its only output type is P2PKH (the regtest node validates no
 * other spend, see {@code docs/bitcoin-node.md}).
 *
 * <p>Text forms: WIF (wallet import format, compressed: Base58Check of a version byte, the 32-byte
 * key and {@code 0x01}; version {@code 0x80} on mainnet, {@code 0xef} on testnet and regtest) and the
 * P2PKH address (Base58Check of {@code 0x00} on mainnet, {@code 0x6f} on testnet and regtest, and the
 * HASH160 of the public key). {@link #toString()} shows only the public key; equality is by the
 * private key, compared in constant time.
 */
public final class AnchorKey {

    /** The length of a private key and of its WIF payload without the compression flag. */
    public static final int SIZE = 32;

    private final byte[] secret;
    private final BigInteger d;
    private final byte[] publicKey;

    private AnchorKey(BigInteger d) {
        if (!Secp256k1.isValidPrivate(d)) {
            throw new IllegalArgumentException("a secp256k1 private key is in 1..n-1");
        }
        this.d = d;
        this.secret = BigIntegers.asUnsignedByteArray(SIZE, d);
        this.publicKey = Secp256k1.compressedPublicKey(d);
    }

    /**
     * The key with these 32 big-endian bytes.
     *
     * @throws IllegalArgumentException unless 32 bytes encoding a number in 1..n-1
     */
    public static AnchorKey fromBytes(byte[] privateKey) {
        if (privateKey == null || privateKey.length != SIZE) {
            throw new IllegalArgumentException("a secp256k1 private key is " + SIZE + " bytes");
        }
        return new AnchorKey(new BigInteger(1, privateKey));
    }

    /** A new random key. */
    public static AnchorKey generate(SecureRandom random) {
        byte[] bytes = new byte[SIZE];
        while (true) {
            random.nextBytes(bytes);
            BigInteger d = new BigInteger(1, bytes);
            if (Secp256k1.isValidPrivate(d)) {
                Arrays.fill(bytes, (byte) 0);
                return new AnchorKey(d);
            }
        }
    }

    /**
     * Parses a compressed-key WIF of {@code network}.
     *
     * @throws IllegalArgumentException on bad Base58Check, a version byte of another network, an
     *                                  uncompressed key, or a key outside 1..n-1; the message never
     *                                  holds the key
     */
    public static AnchorKey fromWif(String wif, BitcoinNetwork network) {
        byte[] data = Base58Check.decode(wif == null ? null : wif.strip(), "WIF private key");
        int version = data[0] & 0xff;
        if (version != wifVersion(network)) {
            throw new IllegalArgumentException("WIF private key: version byte 0x" + Integer.toHexString(version)
                    + " is not " + network + "'s 0x" + Integer.toHexString(wifVersion(network)));
        }
        if (data.length == 1 + SIZE) {
            throw new IllegalArgumentException("WIF private key: an uncompressed key; only compressed keys are used");
        }
        if (data.length != 1 + SIZE + 1 || data[1 + SIZE] != 0x01) {
            throw new IllegalArgumentException("WIF private key: expected 32 key bytes and the compression flag 0x01, got "
                    + (data.length - 1) + " bytes");
        }
        try {
            return fromBytes(Arrays.copyOfRange(data, 1, 1 + SIZE));
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /** The compressed-key WIF on {@code network}. */
    public String toWif(BitcoinNetwork network) {
        byte[] payload = Arrays.copyOf(secret, SIZE + 1);
        payload[SIZE] = 0x01;
        try {
            return Base58Check.encode(wifVersion(network), payload);
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    /** The 32-byte private key, big-endian. */
    public byte[] privateKeyBytes() {
        return secret.clone();
    }

    /** The compressed SEC1 public key, 33 bytes. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** {@code RIPEMD-160(SHA-256(publicKey))}: what a P2PKH output locks to. */
    public byte[] hash160() {
        return hash160(publicKey);
    }

    /** {@code OP_DUP OP_HASH160 <20 bytes> OP_EQUALVERIFY OP_CHECKSIG}: this key's P2PKH locking script. */
    public byte[] p2pkhScript() {
        return p2pkhScript(hash160());
    }

    /** The P2PKH address on {@code network}. */
    public String address(BitcoinNetwork network) {
        return Base58Check.encode(addressVersion(network), hash160());
    }

    /**
     * The scriptSig that spends this key's P2PKH output with {@code signature} (DER plus the hash-type
     * byte): {@code <push signature> <push publicKey>}.
     */
    byte[] p2pkhScriptSig(byte[] signature) {
        byte[] script = new byte[1 + signature.length + 1 + publicKey.length];
        script[0] = (byte) signature.length;
        System.arraycopy(signature, 0, script, 1, signature.length);
        script[1 + signature.length] = (byte) publicKey.length;
        System.arraycopy(publicKey, 0, script, 2 + signature.length, publicKey.length);
        return script;
    }

    /** {@code (r, s)} over {@code hash}: RFC 6979, low S. */
    BigInteger[] sign(byte[] hash) {
        return Secp256k1.sign(d, hash);
    }

    /** The locking script {@code 76 a9 14 <hash160> 88 ac}. */
    public static byte[] p2pkhScript(byte[] hash160) {
        if (hash160 == null || hash160.length != 20) {
            throw new IllegalArgumentException("a P2PKH script locks to a 20-byte hash");
        }
        byte[] script = new byte[25];
        script[0] = 0x76;
        script[1] = (byte) 0xa9;
        script[2] = 0x14;
        System.arraycopy(hash160, 0, script, 3, 20);
        script[23] = (byte) 0x88;
        script[24] = (byte) 0xac;
        return script;
    }

    /** {@code RIPEMD-160(SHA-256(data))}. */
    public static byte[] hash160(byte[] data) {
        byte[] sha;
        try {
            sha = MessageDigest.getInstance("SHA-256", "SUN").digest(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        RIPEMD160Digest ripemd = new RIPEMD160Digest();
        ripemd.update(sha, 0, sha.length);
        byte[] out = new byte[20];
        ripemd.doFinal(out, 0);
        return out;
    }

    static int wifVersion(BitcoinNetwork network) {
        return Objects.requireNonNull(network, "network") == BitcoinNetwork.MAINNET ? 0x80 : 0xef;
    }

    static int addressVersion(BitcoinNetwork network) {
        return Objects.requireNonNull(network, "network") == BitcoinNetwork.MAINNET ? 0x00 : 0x6f;
    }

    /** {@code AnchorKey[secp256k1:<compressed public key hex>]}; never the private key. */
    @Override
    public String toString() {
        return "AnchorKey[secp256k1:" + org.emrsb.core.crypto.Hex.encode(publicKey) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnchorKey other && MessageDigest.isEqual(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }
}
