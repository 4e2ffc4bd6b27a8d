package org.emrsb.app;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a request to the query endpoint asks, read from its path. The routes (all {@code GET}):
 * <pre>
 *   /v1/transactions/{id}               a transaction by id (64 lowercase hex)
 *   /v1/proofs/{id}                     a transaction's proof bundle, as far as it is final
 *   /v1/patients/{pseudonym}/transactions   the ids of a patient's transactions (pseudonym: 64 lowercase hex)
 *   /v1/blocks/{chain}/{height}         a sealed block
 * </pre>
 * A transaction id does not tell which chain holds it; a pseudonym and a chain do (see {@link QueryServer}).
 */
sealed interface QueryRoute {

    /** Every route, as the endpoint lists them in its "no such route" answer. */
    List<String> ROUTES = List.of("/v1/transactions/{id}", "/v1/proofs/{id}", "/v1/patients/{pseudonym}/transactions",
            "/v1/blocks/{chain}/{height}");

    /** {@code /v1/transactions/{id}}. */
    record TransactionById(String id) implements QueryRoute {
    }

    /** {@code /v1/proofs/{id}}. */
    record ProofById(String id) implements QueryRoute {
    }

    /** {@code /v1/patients/{pseudonym}/transactions}. */
    record PatientTransactions(String pseudonym) implements QueryRoute {
    }

    /** {@code /v1/blocks/{chain}/{height}}. */
    record BlockAt(int chain, long height) implements QueryRoute {
    }

    /** A path that names no route (404) or a route with an invalid value (400), with a message saying which. */
    final class InvalidRouteException extends RuntimeException {
        private final int status;

        InvalidRouteException(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** A transaction id or a pseudonym: the lowercase hex of 32 bytes. */
    Pattern HEX_32 = Pattern.compile("[0-9a-f]{64}");
    /** A chain or a height: a decimal number without sign or leading zeros. */
    Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,18}");

    /**
     * The route of a raw (still percent-encoded) request path.
     *
     * @throws InvalidRouteException 404 when no route has this shape, 400 when a value is invalid
     */
    static QueryRoute parse(String rawPath) {
        List<String> segments = segments(rawPath);
        if (segments.size() >= 2 && segments.get(0).equals("v1")) {
            String kind = segments.get(1);
            if (kind.equals("transactions") && segments.size() == 3) {
                return new TransactionById(hex32(segments.get(2), "transaction id"));
            }
            if (kind.equals("proofs") && segments.size() == 3) {
                return new ProofById(hex32(segments.get(2), "transaction id"));
            }
            if (kind.equals("patients") && segments.size() == 4 && segments.get(3).equals("transactions")) {
                return new PatientTransactions(hex32(segments.get(2), "pseudonym"));
            }
            if (kind.equals("blocks") && segments.size() == 4) {
                long chain = number(segments.get(2), "chain");
                if (chain > Integer.MAX_VALUE) {
                    throw new InvalidRouteException(400, "chain " + chain + " is not a chain: chains are partitions");
                }
                return new BlockAt((int) chain, number(segments.get(3), "height"));
            }
        }
        throw new InvalidRouteException(404, "no route " + rawPath + "; routes: GET " + String.join(", GET ", ROUTES));
    }

    /** The decoded segments between slashes; an empty path or a double slash gives an empty segment. */
    private static List<String> segments(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw new InvalidRouteException(404, "no route " + rawPath + "; routes: GET " + String.join(", GET ", ROUTES));
        }
        List<String> decoded = new ArrayList<>();
        for (String segment : rawPath.substring(1).split("/", -1)) {
            try {
                decoded.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new InvalidRouteException(400, "bad percent-encoding in " + rawPath);
            }
        }
        return decoded;
    }

    private static String hex32(String value, String what) {
        if (!HEX_32.matcher(value).matches()) {
            throw new InvalidRouteException(400, what + " must be 64 lowercase hex characters, got '" + shown(value) + "'");
        }
        return value;
    }

    private static long number(String value, String what) {
        if (!NUMBER.matcher(value).matches()) {
            throw new InvalidRouteException(400, what + " must be a whole number from 0, got '" + shown(value) + "'");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidRouteException(400, what + " " + shown(value) + " is too large");
        }
    }

    /** A value as echoed in an error: at most 80 characters. */
    private static String shown(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }
}
