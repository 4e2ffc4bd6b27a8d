package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The query endpoint's paths: every route, and a clear 404 or 400 for everything else. */
class QueryRouteTest {

    private static final String ID = "0123456789abcdef".repeat(4);

    @Test
    void eachRouteIsReadWithItsKey() {
        assertEquals(new QueryRoute.TransactionById(ID), QueryRoute.parse("/v1/transactions/" + ID));
        assertEquals(new QueryRoute.ProofById(ID), QueryRoute.parse("/v1/proofs/" + ID));
        assertEquals(new QueryRoute.PatientTransactions(ID), QueryRoute.parse("/v1/patients/" + ID + "/transactions"));
        assertEquals(new QueryRoute.BlockAt(3, 12), QueryRoute.parse("/v1/blocks/3/12"));
        assertEquals(new QueryRoute.BlockAt(0, 0), QueryRoute.parse("/v1/blocks/0/0"));
    }

    @Test
    void percentEncodedSegmentsAreDecodedBeforeTheyAreJudged() {
        assertEquals(new QueryRoute.TransactionById(ID), QueryRoute.parse("/v1/transactions/" + ID.substring(0, 63) + "%66"));
        assertEquals(400, refused("/v1/transactions/%zz").status());
        assertEquals(400, refused("/v1/transactions/" + ID.substring(0, 63) + "+").status());
    }

    @Test
    void pathsOfNoRouteAre404AndListTheRoutes() {
        for (String path : new String[] {"/", "", "/v1", "/v1/transactions", "/v2/transactions/" + ID,
                "/v1/transactions/" + ID + "/", "/v1/patients/" + ID, "/v1/blocks/3", "/v1/blocks/3/4/5",
                "/v1//transactions/" + ID, "v1/transactions/" + ID}) {
            QueryRoute.InvalidRouteException e = refused(path);
            assertEquals(404, e.status(), path);
            assertTrue(e.getMessage().contains("routes: GET /v1/transactions/{id}, GET /v1/proofs/{id}"), e.getMessage());
        }
    }

    @Test
    void idsAndPseudonymsMustBe64LowercaseHex() {
        for (String bad : new String[] {ID.toUpperCase(java.util.Locale.ROOT), ID.substring(1), ID + "0", "not-an-id",
                ID.substring(0, 63) + "g"}) {
            QueryRoute.InvalidRouteException e = refused("/v1/proofs/" + bad);
            assertEquals(400, e.status(), bad);
            assertTrue(e.getMessage().startsWith("transaction id must be 64 lowercase hex characters"), e.getMessage());
        }
        QueryRoute.InvalidRouteException e = refused("/v1/patients/Alice/transactions");
        assertEquals("pseudonym must be 64 lowercase hex characters, got 'Alice'", e.getMessage());
    }

    @Test
    void chainsAndHeightsAreWholeNumbersFromZero() {
        for (String bad : new String[] {"-1", "01", "1.0", "x", "+3", " 3"}) {
            assertEquals(400, refused("/v1/blocks/" + bad + "/0").status(), bad);
            assertEquals(400, refused("/v1/blocks/0/" + bad).status(), bad);
        }
        assertTrue(refused("/v1/blocks/99999999999999999999/0").getMessage().contains("must be a whole number"));
        assertTrue(refused("/v1/blocks/0/9999999999999999999").getMessage().contains("too large"));
        assertTrue(refused("/v1/blocks/2147483648/0").getMessage().contains("chains are partitions"));
        assertEquals(new QueryRoute.BlockAt(Integer.MAX_VALUE, Long.MAX_VALUE),
                QueryRoute.parse("/v1/blocks/2147483647/" + Long.MAX_VALUE));
    }

    @Test
    void aLongBadValueIsShortenedInTheMessage() {
        String message = refused("/v1/transactions/" + "x".repeat(500)).getMessage();
        assertTrue(message.length() < 200, message);
        assertTrue(message.endsWith("...'"), message);
    }

    private static QueryRoute.InvalidRouteException refused(String path) {
        return assertThrows(QueryRoute.InvalidRouteException.class, () -> QueryRoute.parse(path));
    }
}
