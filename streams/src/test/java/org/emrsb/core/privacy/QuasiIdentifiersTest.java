package org.emrsb.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.emrsb.core.format.CanonicalJsonException;
import org.emrsb.core.format.Sha256;
import org.junit.jupiter.api.Test;

/** Golden class texts and keys of masked bodies, and the paths' syntax. */
class QuasiIdentifiersTest {

    private final QuasiIdentifiers qi = QuasiIdentifiers.parse(" age, gender ,address ");

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theClassIsTheCanonicalObjectOfTheQuasiIdentifiersOnly() {
        String body = "{\"name\":\"** Wu\",\"idNumber\":\"533527*****0238\",\"gender\":\"F\",\"age\":\"[60, 65]\","
                + "\"address\":\"chaoyang district, Beijing\",\"diagnosis\":\"flu\"}";
        assertEquals("{\"address\":\"chaoyang district, Beijing\",\"age\":\"[60, 65]\",\"gender\":\"F\"}",
                qi.classText(json(body)));
        assertEquals(List.of("age", "gender", "address"), qi.names());
    }

    @Test
    void theKeyIsTheSha256OfTheClassTextAndIgnoresOtherFieldsAndMemberOrder() {
        String a = "{\"age\":\"[60, 65]\",\"gender\":\"F\",\"address\":\"Beijing\",\"diagnosis\":\"flu\"}";
        String b = "{\"diagnosis\":\"asthma\",\"address\":\"Beijing\",\"gender\":\"F\",\"age\":\"[60, 65]\"}";
        String expected = Sha256.hex(Sha256.hash(json("{\"address\":\"Beijing\",\"age\":\"[60, 65]\",\"gender\":\"F\"}")));
        assertEquals(expected, qi.classKey(json(a)));
        assertEquals(expected, qi.classKey(json(b)));
        assertTrue(expected.matches("[0-9a-f]{64}"));
    }

    @Test
    void aMissingQuasiIdentifierIsItsOwnValueDistinctFromNullAndFromText() {
        String absent = qi.classKey(json("{\"age\":\"[60, 65]\",\"gender\":\"F\"}"));
        String isNull = qi.classKey(json("{\"age\":\"[60, 65]\",\"gender\":\"F\",\"address\":null}"));
        String isText = qi.classKey(json("{\"age\":\"[60, 65]\",\"gender\":\"F\",\"address\":\"absent\"}"));
        assertNotEquals(absent, isNull);
        assertNotEquals(absent, isText);
        assertNotEquals(isNull, isText);
        assertEquals("{\"age\":\"[60, 65]\",\"gender\":\"F\"}", qi.classText(json("{\"age\":\"[60, 65]\",\"gender\":\"F\"}")));
        assertEquals("{}", qi.classText(json("{}")));
    }

    @Test
    void valuesCompareAsCanonicalJson() {
        QuasiIdentifiers age = QuasiIdentifiers.parse("age");
        assertNotEquals(age.classKey(json("{\"age\":60}")), age.classKey(json("{\"age\":\"60\"}")));
        assertEquals(age.classKey(json("{\"age\":60}")), age.classKey(json("{\"age\":60.0}")));
        assertEquals(age.classKey(json("{\"age\":{\"lo\":60,\"hi\":65}}")), age.classKey(json("{\"age\":{\"hi\":65,\"lo\":60}}")));
    }

    @Test
    void nestedPathsAndArrayIndexesReachIntoFhirResources() {
        QuasiIdentifiers fhir = QuasiIdentifiers.parse("gender,birthDate,address[0].postalCode,name[0].given[1]");
        String patient = "{\"resourceType\":\"Patient\",\"gender\":\"female\",\"birthDate\":\"1958\","
                + "\"address\":[{\"postalCode\":\"100\",\"city\":\"*\"},{\"postalCode\":\"200\"}],"
                + "\"name\":[{\"given\":[\"*\",\"**\"]}]}";
        assertEquals("{\"address[0].postalCode\":\"100\",\"birthDate\":\"1958\",\"gender\":\"female\","
                + "\"name[0].given[1]\":\"**\"}", fhir.classText(json(patient)));
        // an index on an object, past an array's end: absent; a null value: present
        assertEquals("{\"birthDate\":null,\"gender\":\"male\"}", fhir.classText(json(
                "{\"gender\":\"male\",\"address\":{\"postalCode\":\"1\"},\"name\":[],\"birthDate\":null}")));
    }

    @Test
    void aBodyThatIsNotAnObjectOrNotIJsonIsRefused() {
        assertThrows(QuasiIdentifiers.NotAnObjectException.class, () -> qi.classKey(json("[1,2]")));
        assertThrows(CanonicalJsonException.class, () -> qi.classKey(json("{\"age\":1,\"age\":2}")));
        assertThrows(CanonicalJsonException.class, () -> qi.classKey(json("not json")));
    }

    @Test
    void malformedListsAreRefusedWithTheReason() {
        for (String bad : List.of("", " ", "age,,gender", "age,age", "a..b", ".a", "a.", "contacts[*].phone", "a[-1]",
                "a[01]", "a[x]", "a]b", "a[1", "a[1]b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuasiIdentifiers.parse(bad),
                    "'" + bad + "'");
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
        assertEquals(List.of("a[0][2].b"), QuasiIdentifiers.parse("a[0][2].b").names());
    }
}
