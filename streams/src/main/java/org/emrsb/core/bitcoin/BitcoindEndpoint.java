package org.emrsb.core.bitcoin;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A bitcoind JSON-RPC endpoint given as one URL with the RPC credentials in it,
 * {@code http://USER:PASSWORD@HOST:PORT[/wallet/NAME]}. The user name and password are
 * percent-decoded (write {@code %40} for {@code @}, {@code %3A} for a colon in the user name); the
 * password is everything after the first colon. {@link #toString()} never shows the password.
 *
 * @param uri      the URL without its credentials, where the requests go
 * @param user     the RPC user
 * @param password the RPC password
 */
public record BitcoindEndpoint(URI uri, String user, String password) {

    public BitcoindEndpoint {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Parses {@code http(s)://USER:PASSWORD@HOST[:PORT][/PATH]}.
     *
     * @throws IllegalArgumentException if it is not such a URL (no scheme http or https, no host, no
     *                                  credentials, a query or fragment); the message never holds the password
     */
    public static BitcoindEndpoint parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("bitcoind URL: empty");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bitcoind URL: not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("bitcoind URL: the scheme must be http or https, e.g. "
                    + "http://user:password@127.0.0.1:18443");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("bitcoind URL: no host (is a character in the credentials not "
                    + "percent-encoded?)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("bitcoind URL: no query or fragment is allowed");
        }
        String userInfo = uri.getUserInfo();
        int colon = userInfo == null ? -1 : userInfo.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("bitcoind URL: give the RPC credentials as USER:PASSWORD@ before the host");
        }
        String user = userInfo.substring(0, colon);
        String password = userInfo.substring(colon + 1);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        URI bare;
        try {
            bare = new URI(scheme + "://" + hostForUri(uri.getHost()) + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bitcoind URL: " + e.getReason());
        }
        return new BitcoindEndpoint(bare, user, password);
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The value of the HTTP {@code Authorization} header: Basic with {@code user:password}. */
    public String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The URL with the user name and without the password. */
    @Override
    public String toString() {
        return uri.getScheme() + "://" + user + ":***@" + uri.getRawAuthority() + uri.getRawPath();
    }
}
