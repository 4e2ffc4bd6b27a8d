package org.emrsb.core.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CID binary and text forms: published vectors, round trips against reference encoders, strict refusals. */
class CidTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String HELLO = "bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq";

    @Test
    void rawLeafOfHelloWorld() {
        Cid cid = Cid.rawLeaf(TestData.sha256("Hello world".getBytes(StandardCharsets.UTF_8)));
        assertEquals(HELLO, cid.toString());
        assertEquals(1, cid.version());
        assertEquals(Cid.RAW, cid.codec());
        assertTrue(cid.isRaw());
        assertEquals(36, cid.bytes().length);
        assertArrayEquals(TestData.sha256("Hello world".getBytes(StandardCharsets.UTF_8)), cid.digest());
        assertEquals(cid, Cid.parse(HELLO));
    }

    /** The same CIDs printed in base32 by Kubo and in base58btc by js-ipfs are equal as CIDs. */
    @ParameterizedTest
    @CsvSource({
        // js-ipfs 0.18.1 add without cid-base (feasibility-ipfs.md)
        "zb2rhdSF9xK1udU39HQ1G3v1rdpDpwoZeNokTeFWWzcuTLKiK, bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq",
        // js-ipfs pin/add answer for a dag-pb root (feasibility-ipfs.md)
        "zdj7WW6AzVRVTWPJnzLAjdzob3BP3uX7X3G3ewWvJcv32wibw, bafybeiajzyiepinb3qltqbs355jindtzkzutadiduvixdbtvncceipubfy",
    })
    void base58AndBase32FormsAreTheSameCid(String base58, String base32) {
        Cid a = Cid.parse(base58);
        Cid b = Cid.parse(base32);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(base32, a.toString());
        assertEquals(base58, b.toBase58());
    }

    @Test
    void goCidHexVector() {
        // ipfs/go-cid cid_test.go TestHexDecode: f0155… decodes to zb2rhhFAEMep…
        Cid cid = Cid.parse("zb2rhhFAEMepUBbGyP1k8tGfz7BSciKXP6GHuUeUsJBaK6cqG");
        assertEquals("015512209d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63", HEX.formatHex(cid.bytes()));
        assertEquals(cid, Cid.fromBytes(HEX.parseHex("015512209d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63")));
    }

    @Test
    void cidV0() {
        // nim-libp2p tests/testcid.nim "CIDv0 test vector"
        String text = "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n";
        Cid cid = Cid.parse(text);
        assertEquals(0, cid.version());
        assertEquals(Cid.DAG_PB, cid.codec());
        assertFalse(cid.isRaw());
        assertEquals(34, cid.bytes().length);
        assertEquals(text, cid.toString());
        assertEquals(text, cid.toBase58());
        assertEquals(cid, Cid.v0(cid.digest()));
        // the same digest as CIDv1 dag-pb is another CID (other bytes)
        assertNotEquals(cid, Cid.dagPb(cid.digest()));
        assertEquals(cid, Cid.fromBytes(cid.bytes()));
    }

    @Test
    void roundTripsAgainstReferenceEncoders() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] digest = new byte[32];
            random.nextBytes(digest);
            if (i % 50 == 0) {
                java.util.Arrays.fill(digest, 0, i % 32, (byte) 0); // leading zero bytes
            }
            for (Cid cid : new Cid[] {Cid.rawLeaf(digest), Cid.dagPb(digest), Cid.v0(digest)}) {
                byte[] bytes = cid.bytes();
                assertEquals(cid, Cid.fromBytes(bytes));
                assertEquals(cid, Cid.parse(cid.toString()));
                assertEquals(cid, Cid.parse(cid.toBase58()));
                assertArrayEquals(digest, cid.digest());
                if (cid.version() == 1) {
                    assertEquals("b" + referenceBase32(bytes), cid.toString());
                    assertEquals("z" + referenceBase58(bytes), cid.toBase58());
                } else {
                    assertEquals(referenceBase58(bytes), cid.toString());
                    assertTrue(cid.toString().startsWith("Qm"));
                    assertEquals(46, cid.toString().length());
                }
            }
        }
    }

    @Test
    void base32AndBase58CodecsRoundTripAnyLength() {
        Random random = new Random(7);
        for (int n = 0; n < 80; n++) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            if (n % 3 == 0 && n > 0) {
                data[0] = 0;
            }
            String b32 = Cid.Base32.encode(data);
            assertEquals(referenceBase32(data), b32);
            assertArrayEquals(data, Cid.Base32.decode(b32, 0));
            String b58 = Cid.Base58.encode(data);
            assertEquals(referenceBase58(data), b58);
            assertArrayEquals(data, Cid.Base58.decode(b58, 0));
        }
    }

    @Test
    void immutable() {
        Cid cid = Cid.parse(HELLO);
        byte[] bytes = cid.bytes();
        bytes[5] ^= 1;
        cid.digest()[0] ^= 1;
        assertEquals(HELLO, cid.toString());
        byte[] digest = TestData.sha256(new byte[0]);
        Cid fromDigest = Cid.rawLeaf(digest);
        digest[0] ^= 1;
        assertEquals("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", fromDigest.toString());
        byte[] binary = Cid.parse(HELLO).bytes();
        Cid fromBinary = Cid.fromBytes(binary);
        binary[10] ^= 1;
        assertEquals(HELLO, fromBinary.toString());
    }

    /** Texts refused by parse, with a fragment of the reason. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                                                | empty",
        "BAFKREIDE5SEMUAFSNDS3UGRVM6FBWUYW2IJPJ43GWJDXEMSTJKFOZI37HQ       | unsupported CID text",
        "bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hQ       | not lower-case base32",
        "bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq====   | not lower-case base32",
        "' bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq'    | unsupported CID text",
        "'bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq '    | not lower-case base32",
        "bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hr       | non-canonical base32",
        "bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37h        | impossible length",
        "bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hqaa     | trailing byte",
        "f015512209d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63 | unsupported CID text",
        "mAVUSIJ2EU1Bb3G8mlnjhaz5WwqKUikHyx5Jhfslh7TY8lbYw                 | unsupported CID text",
        "uAVUSIJ2EU1Bb3G8mlnjhaz5WwqKUikHyx5Jhfslh7TY8lbYw                 | unsupported CID text",
        // dag-cbor (0x71): go-ipfs `ipfs dag put` output quoted in libipld's dag-cbor tests
        "bafyreibvjvcv745gig4mvqs4hctx4zfkono4rjejm2ta6gtyzkqxfjeily       | unsupported codec 0x71",
        // sha2-512: Kubo test/cli/add_test.go shortStringCidV1Sha512
        "bafkrgqbqt3gerhas23vuzrapkdeqf4vu2dwxp3srdj6hvg6nhsug2tgyn6mj3u23yx7utftq3i2ckw2fwdh5qmhid5qf3t35yvkc5e5ottlw6 | unsupported multihash 0x13",
        // nim-libp2p tests/testcid.nim: I and l are not base58
        "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zIII                    | not base58btc",
        "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1                     | unsupported CID text",
        "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1nn                   | unsupported CID text",
        "zb2rhhFAEMepUBbGyP1k8tGfz7BSciKXP6GHuUeUsJBaK6cq0                 | not base58btc",
        "z                                                                 | empty CID",
        "b                                                                 | empty CID",
        // a CIDv0 multihash dressed up as a multibase CIDv1
        "zQmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n                   | must be CIDv1",
    })
    void parseRefuses(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cid.parse(text));
        assertTrue(e.getMessage().contains(reason), () -> "\"" + e.getMessage() + "\" should say " + reason);
    }

    @Test
    void parseRefusesTruncatedExtendedAndV0BinaryInEitherBase() {
        byte[] b = Cid.parse(HELLO).bytes();
        byte[] v0 = Cid.parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n").bytes();
        Object[][] cases = {
            {java.util.Arrays.copyOf(b, 35), "truncated"},
            {java.util.Arrays.copyOf(b, 4), "truncated"},
            {java.util.Arrays.copyOf(b, 37), "trailing"},
            {v0, "must be CIDv1"},
        };
        for (Object[] c : cases) {
            byte[] bytes = (byte[]) c[0];
            for (String text : new String[] {"b" + Cid.Base32.encode(bytes), "z" + Cid.Base58.encode(bytes)}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cid.parse(text), text);
                assertTrue(e.getMessage().contains((String) c[1]), () -> "\"" + e.getMessage() + "\" should say " + c[1]);
            }
        }
    }

    @Test
    void parseRefusesTooLongTextAndNull() {
        assertThrows(IllegalArgumentException.class, () -> Cid.parse("b" + "a".repeat(10_000)));
        assertThrows(NullPointerException.class, () -> Cid.parse(null));
    }

    /** Binary forms refused by fromBytes (hex), with a fragment of the reason. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                                                              | empty",
        // version 0 written out, version 2, version 1 as a two-byte varint
        "00701220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63 | version 0",
        "02551220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63 | version 2",
        "8100551220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63 | non-minimal",
        "01711220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63 | codec 0x71",
        "01d5001220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63 | non-minimal",
        "01551320" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63 | multihash 0x13",
        "01550020" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63 | multihash 0x0",
        "0155121f" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b    | not 31",
        "01551220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b    | truncated",
        "01551220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b6300 | trailing",
        "1220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b6300   | trailing",
        "1220" + "9d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b       | truncated",
        "01                                                                              | truncated",
        "0155                                                                            | truncated",
        "ff                                                                              | truncated",
    })
    void fromBytesRefuses(String hex, String reason) {
        byte[] bytes = HEX.parseHex(hex.strip());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cid.fromBytes(bytes));
        assertTrue(e.getMessage().contains(reason), () -> "\"" + e.getMessage() + "\" should say " + reason);
    }

    @Test
    void factoriesCheckTheDigest() {
        assertThrows(IllegalArgumentException.class, () -> Cid.rawLeaf(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Cid.dagPb(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> Cid.v0(new byte[0]));
        assertThrows(NullPointerException.class, () -> Cid.rawLeaf(null));
        assertThrows(NullPointerException.class, () -> Cid.fromBytes(null));
    }

    @Test
    void equalityIsByBytes() {
        byte[] digest = TestData.sha256(new byte[] {1});
        assertEquals(Cid.rawLeaf(digest), Cid.rawLeaf(digest.clone()));
        assertNotEquals(Cid.rawLeaf(digest), Cid.dagPb(digest));
        assertNotEquals(Cid.rawLeaf(digest), "b" + Cid.rawLeaf(digest));
        assertNotEquals(Cid.rawLeaf(digest), null);
    }

    /** RFC 4648 base32 by bit string: the obvious, slow way. */
    private static String referenceBase32(byte[] data) {
        StringBuilder bits = new StringBuilder();
        for (byte b : data) {
            bits.append(String.format("%8s", Integer.toBinaryString(b & 0xff)).replace(' ', '0'));
        }
        while (bits.length() % 5 != 0) {
            bits.append('0');
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bits.length(); i += 5) {
            out.append(alphabet.charAt(Integer.parseInt(bits.substring(i, i + 5), 2)));
        }
        return out.toString();
    }

    /** Base58btc by BigInteger division. */
    private static String referenceBase58(byte[] data) {
        String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        BigInteger n = new BigInteger(1, data);
        StringBuilder out = new StringBuilder();
        BigInteger base = BigInteger.valueOf(58);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(base);
            out.append(alphabet.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int i = 0; i < data.length && data[i] == 0; i++) {
            out.append('1');
        }
        return out.reverse().toString();
    }
}
