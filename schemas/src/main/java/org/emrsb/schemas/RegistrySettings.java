package org.emrsb.schemas;

import java.net.URI;
import java.util.Objects;

/**
 * Where the schema registry is and how producers use it.
 *
 * @param baseUrl      the registry's root, e.g. {@code http://127.0.0.1:18081}; the Apicurio native API
 *                     lives under {@code /apis/registry/v2}, the Confluent-compatible one under
 *                     {@code /apis/ccompat/v7}
 * @param autoRegister whether a serializer registers a writer schema it does not find; off in
 *                     deployments where schemas are registered ahead by {@code ops/emrsb schemas register}
 */
public record RegistrySettings(URI baseUrl, boolean autoRegister) {

    public RegistrySettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("schema registry URL must be http(s): " + baseUrl);
        }
        String path = baseUrl.getPath();
        if (path != null && path.endsWith("/")) {
            baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        }
    }

    public static RegistrySettings of(String baseUrl) {
        return new RegistrySettings(URI.create(baseUrl), true);
    }

    /** The Apicurio v2 API, which the Apicurio serdes speak. */
    public URI nativeApi() {
        return URI.create(baseUrl + "/apis/registry/v2");
    }

    /** The Confluent-compatible API, which analysts' tools speak. */
    public URI confluentApi() {
        return URI.create(baseUrl + "/apis/ccompat/v7");
    }
}
