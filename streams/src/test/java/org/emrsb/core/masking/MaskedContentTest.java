package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.emrsb.core.format.BodyFormat;
import org.emrsb.core.format.CanonicalJson;
import org.emrsb.core.format.MaskedRecord;
import org.junit.jupiter.api.Test;

/**
 * The masked-content rules: what they find, what they deliberately do not, and that nothing the paper
 * profile writes is ever taken for a leak (a false positive would evict an honest delegate).
 */
class MaskedContentTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static String residentId(String first17) {
        return first17 + ResidentIds.checkDigit(first17);
    }

    /** A valid ID whose check digit is X. */
    private static String residentIdEndingInX() {
        for (int n = 0; n < 1000; n++) {
            String first17 = "11010119491231" + String.format("%03d", n);
            if (ResidentIds.checkDigit(first17) == 'X') {
                return first17 + 'X';
            }
        }
        throw new IllegalStateException("no X check digit among 1000 sequences");
    }

    private static Optional<String> scan(String body) {
        return MaskedContent.residentId(body.getBytes(StandardCharsets.UTF_8));
    }

    private static MaskedRecord record(String body, byte[] policyHash) {
        return new MaskedRecord("s", 1, BodyFormat.FLAT_JSON, body.getBytes(StandardCharsets.UTF_8), "paper", "1",
                policyHash, new byte[32], new byte[32], new byte[32], new byte[32], List.of());
    }

    private static Optional<String> underPaper(String body) {
        return MaskedContent.leak(record(body, MaskingPolicy.paper().hash()));
    }

    @Test
    void findsAValidResidentIdAnywhereInTheBody() {
        String id = residentId("11010119491231002");
        assertTrue(scan("{\"idNumber\":\"" + id + "\"}").isPresent());
        assertTrue(scan("{\"note\":\"patient ID:" + id + ", seen today\"}").isPresent());
        assertTrue(scan(id).isPresent());
        assertTrue(scan("{\"id\":\"" + residentIdEndingInX() + "\"}").isPresent());
        assertTrue(scan("{\"id\":\"" + residentIdEndingInX().toLowerCase() + "\"}").isPresent());
        assertFalse(scan("{\"idNumber\":\"" + id + "\"}").get().contains(id), "the message never repeats the ID");
    }

    @Test
    void leavesWhatIsNotSoundlyAnId() {
        String id = residentId("11010119491231002");
        char wrong = id.charAt(17) == '0' ? '1' : '0';
        assertEquals(Optional.empty(), scan("{\"id\":\"" + id.substring(0, 17) + wrong + "\"}")); // check digit
        assertEquals(Optional.empty(), scan("{\"id\":\"533527195809210238\"}")); // the paper's own (invalid) sample
        assertEquals(Optional.empty(), scan("{\"id\":\"9" + id + "\"}"));        // inside a longer run of digits
        assertEquals(Optional.empty(), scan("{\"id\":\"110101491231002\"}"));     // 15 digits: no check digit
        assertEquals(Optional.empty(), scan("{\"id\":\"110101*****0029\"}"));     // masked
        assertEquals(Optional.empty(), scan("{\"t\":1795000000000,\"n\":123456789012345680000}"));
    }

    @Test
    void underThePaperProfileTheAlwaysMaskedFieldsMustCarryTheirMasks() {
        assertTrue(underPaper("{\"idNumber\":\"533527195809210238\"}").isPresent()); // invalid ID, unmasked
        assertTrue(underPaper("{\"idNumber\":533527195809210200}").isPresent());
        assertTrue(underPaper("{\"phone\":\"13800138000\"}").isPresent());
        assertTrue(underPaper("{\"mobile\":13800138000}").isPresent());
        assertEquals(Optional.empty(), underPaper("{\"idNumber\":\"533527*****0238\",\"phone\":\"138****8000\"}"));
        assertEquals(Optional.empty(), underPaper("{\"idNumber\":\"*****\",\"mobile\":\"****\"}"));
    }

    @Test
    void underThePaperProfileANameOfSeveralUnitsMustBeMasked() {
        for (String raw : List.of("YangYang", "Sihua Wu", "王小明", "Xiao Ming Li")) {
            assertTrue(underPaper("{\"name\":\"" + raw + "\"}").isPresent(), raw);
        }
        for (String masked : List.of("* Yang", "** Wu", "王**", "Yang", "王", "", "Smith")) {
            assertEquals(Optional.empty(), underPaper("{\"name\":\"" + masked + "\"}"), masked);
        }
    }

    @Test
    void otherPoliciesAreJudgedByTheResidentIdScanOnly() {
        MaskedRecord other = record("{\"name\":\"YangYang\",\"idNumber\":\"533527195809210238\"}", new byte[32]);
        assertEquals(Optional.empty(), MaskedContent.leak(other));
        assertEquals(Optional.empty(), underPaper("not json " + "{"));
    }

    @Test
    void anAttachmentWithoutAWrappedKeyIsALeak() {
        MaskedRecord.EncryptedAttachmentRef sealed = new MaskedRecord.EncryptedAttachmentRef("image/png", 4, 20,
                new byte[32], new byte[12], List.of(new byte[MaskedRecord.WRAPPED_KEY_SIZE]));
        MaskedRecord.EncryptedAttachmentRef bare = new MaskedRecord.EncryptedAttachmentRef("image/png", 4, 20,
                new byte[32], new byte[12], List.of());
        assertEquals(Optional.empty(), MaskedContent.undecryptableAttachment(List.of(sealed)));
        assertTrue(MaskedContent.undecryptableAttachment(List.of(sealed, bare)).get().startsWith("attachment 1"));
    }

    /** Soundness: whatever the paper profile writes for these fields, the rules find nothing. */
    @Test
    void nothingThePaperProfileWritesIsALeak() {
        Random random = new Random(7);
        for (int i = 0; i < 3000; i++) {
            ObjectNode raw = JSON.objectNode();
            raw.set("name", value(random, names(random)));
            raw.set("idNumber", value(random, ids(random)));
            raw.set("phone", value(random, phone(random)));
            raw.set("mobile", value(random, phone(random)));
            raw.put("disease", "flu");
            ObjectNode masked = MaskingPolicy.paper().mask(raw).masked();
            byte[] body = CanonicalJson.canonicalize(masked);
            MaskedRecord record = record(new String(body, StandardCharsets.UTF_8), MaskingPolicy.paper().hash());
            assertEquals(Optional.empty(), MaskedContent.leak(record), () -> "leak reported for " + raw + " -> " + masked);
        }
    }

    private static final String[] SYLLABLES = {"yang", "wu", "si", "hua", "xiao", "ming", "li", "zhang", "wei", "fang",
        "chen", "jing", "an", "er", "ou", "xian", "qiang"};
    private static final String[] HAN = {"王", "小", "明", "李", "张", "伟", "芳", "陈", "静"};

    private static String names(Random r) {
        StringBuilder sb = new StringBuilder();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int i = 0; i <= r.nextInt(4); i++) {
                    sb.append(HAN[r.nextInt(HAN.length)]);
                }
            }
            case 1 -> sb.append("Mary-Jane O'Neil ").append(capital(SYLLABLES[r.nextInt(SYLLABLES.length)]));
            case 2 -> sb.append(r.nextBoolean() ? " " : "").append(capital(SYLLABLES[r.nextInt(SYLLABLES.length)]));
            default -> {
                int tokens = 1 + r.nextInt(3);
                for (int t = 0; t < tokens; t++) {
                    if (t > 0) {
                        sb.append(' ');
                    }
                    for (int s = 0; s <= r.nextInt(3); s++) {
                        String syllable = SYLLABLES[r.nextInt(SYLLABLES.length)];
                        sb.append(s == 0 ? capital(syllable) : syllable);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String ids(Random r) {
        StringBuilder first17 = new StringBuilder("11010119").append(50 + r.nextInt(50)).append("0101");
        while (first17.length() < 17) {
            first17.append(r.nextInt(10));
        }
        return switch (r.nextInt(4)) {
            case 0 -> residentId(first17.toString());
            case 1 -> first17.toString() + r.nextInt(10);
            case 2 -> first17.substring(0, 15);
            default -> first17.substring(0, r.nextInt(17));
        };
    }

    private static String phone(Random r) {
        StringBuilder sb = new StringBuilder(r.nextBoolean() ? "+86 " : "");
        for (int i = 0; i < r.nextInt(14); i++) {
            sb.append(r.nextInt(10));
        }
        return sb.toString();
    }

    /** The text, or the same as a number, or another JSON type, as a careless feed would send it. */
    private static JsonNode value(Random r, String text) {
        String digits = text.replaceAll("[^0-9]", "");
        List<JsonNode> forms = new ArrayList<>(List.of(JSON.textNode(text), JSON.textNode(text), JSON.textNode(text),
                JSON.nullNode(), JSON.booleanNode(true), JSON.arrayNode().add(text), JSON.objectNode().put("v", text)));
        if (!digits.isEmpty() && digits.length() < 16) {
            forms.add(JSON.numberNode(Long.parseLong(digits)));
        }
        return forms.get(r.nextInt(forms.size()));
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
