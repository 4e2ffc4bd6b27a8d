package org.emrsb.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.emrsb.core.masking.MaskingKeys;
import org.emrsb.schemas.RegistrySettings;
import org.emrsb.stream.Topics;

/**
 * The product's configuration: documented defaults ({@code emrsb-defaults.properties}), overridden by
 * a file, then the environment ({@code EMRSB_KAFKA_BOOTSTRAP}), then system properties
 * ({@code -Demrsb.kafka.bootstrap}). Unknown keys are refused so a typo never silently does nothing.
 */
public final class EmrsbConfig {

    private static final String DEFAULTS = "/emrsb-defaults.properties";
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /** A value and the layer it came from. */
    public record Setting(String value, String source) {
    }

    private final Map<String, Setting> settings;

    private EmrsbConfig(Map<String, Setting> settings) {
        this.settings = Collections.unmodifiableMap(settings);
    }

    /** Loads defaults, then {@code file} (may be null), then the environment and system properties. */
    public static EmrsbConfig load(Path file, Map<String, String> environment, Properties systemProperties) {
        Map<String, Setting> settings = new TreeMap<>();
        readDefaults().forEach((k, v) -> settings.put(k, new Setting(v, "default")));
        if (file != null) {
            readFile(file).forEach((k, v) -> settings.put(k, new Setting(v, file.toString())));
        }
        for (String key : Map.copyOf(settings).keySet()) {
            String env = environment.get(environmentName(key));
            if (env != null) {
                settings.put(key, new Setting(env, "env " + environmentName(key)));
            }
            String sys = systemProperties.getProperty("emrsb." + key);
            if (sys != null) {
                settings.put(key, new Setting(sys, "-Demrsb." + key));
            }
        }
        return new EmrsbConfig(settings);
    }

    /** The configuration of this process: {@code file}, or the file named by EMRSB_CONFIG, or none. */
    public static EmrsbConfig load(Path file) {
        Path chosen = file;
        if (chosen == null && System.getenv("EMRSB_CONFIG") != null) {
            chosen = Path.of(System.getenv("EMRSB_CONFIG"));
        }
        return load(chosen, System.getenv(), System.getProperties());
    }

    public static String environmentName(String key) {
        return "EMRSB_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, String> readDefaults() {
        try (InputStream in = EmrsbConfig.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the class path");
            }
            Properties props = new Properties();
            props.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return toMap(props);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS, e);
        }
    }

    private static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = toMap(props);
        Map<String, String> defaults = readDefaults();
        for (String key : values.keySet()) {
            if (!defaults.containsKey(key)) {
                throw new ConfigException(file + ": unknown key '" + key + "' (known keys: " + defaults.keySet() + ")");
            }
        }
        return values;
    }

    private static Map<String, String> toMap(Properties props) {
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k).trim()));
        return map;
    }

    /** This configuration with some keys set by a program (e.g. the demo's own identities). */
    public EmrsbConfig with(Map<String, String> overrides, String source) {
        Map<String, Setting> copy = new TreeMap<>(settings);
        overrides.forEach((key, value) -> {
            if (!copy.containsKey(key)) {
                throw new ConfigException("unknown configuration key '" + key + "'");
            }
            copy.put(key, new Setting(value, source));
        });
        return new EmrsbConfig(copy);
    }

    /** Every key with its effective value and source, sorted by key. */
    public Map<String, Setting> settings() {
        return settings;
    }

    public String string(String key) {
        Setting setting = settings.get(key);
        if (setting == null) {
            throw new ConfigException("unknown configuration key '" + key + "'");
        }
        return setting.value();
    }

    public int integer(String key, int min, int max) {
        String value = string(key);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw invalid(key, "a whole number from " + min + " to " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(key, "a whole number from " + min + " to " + max);
        }
    }

    public boolean bool(String key) {
        String value = string(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, "true or false");
        };
    }

    public Duration duration(String key) {
        String value = string(key);
        Matcher m = SHORT_DURATION.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(key, "a duration such as 30s, 10m, 7d or PT10M");
        }
    }

    private ConfigException invalid(String key, String expected) {
        Setting setting = settings.get(key);
        return new ConfigException("configuration key '" + key + "' = '" + setting.value() + "' (from "
                + setting.source() + ") is not " + expected);
    }

    public String kafkaBootstrap() {
        return string("kafka.bootstrap");
    }

    public RegistrySettings registry() {
        try {
            return new RegistrySettings(java.net.URI.create(string("registry.url")), bool("registry.auto-register"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("configuration key 'registry.url': " + e.getMessage());
        }
    }

    public String ipfsApi() {
        return string("ipfs.api");
    }

    public Topics topics() {
        return new Topics(
                integer("topics.partitions", 1, 10_000),
                (short) integer("topics.replication-factor", 1, Short.MAX_VALUE),
                duration("topics.restricted.retention"),
                duration("topics.transit.retention"));
    }

    /**
     * The keys of keyed masking rules (pseudonyms, date shifts), derived from the secret file named by
     * {@code gateway.secret-file} (64 lowercase hex characters); {@link MaskingKeys#none()} when the key
     * is empty.
     *
     * @throws ConfigException naming the key, the file and its source when the file is unreadable or
     *                         does not hold a secret
     */
    public MaskingKeys maskingKeys() {
        String file = string("gateway.secret-file");
        if (file.isEmpty()) {
            return MaskingKeys.none();
        }
        Setting setting = settings.get("gateway.secret-file");
        try {
            return MaskingKeys.fromSecretFile(Path.of(file));
        } catch (IOException | RuntimeException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof IOException ? "cannot read it (" + e.getClass().getSimpleName() + ")"
                    : e.getMessage();
            throw new ConfigException("configuration key 'gateway.secret-file' = '" + file + "' (from "
                    + setting.source() + "): " + why);
        }
    }

    /** A setting that cannot be used as given; the message names the key, the value and its source. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
