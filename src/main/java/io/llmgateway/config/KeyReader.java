package io.llmgateway.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Reads one typed value per key. At startup ({@code previous == null}) an invalid value is a
 * {@link ConfigException} naming the key; on a hot reload it keeps the last good value and records a warning.
 */
final class KeyReader {
    private final Config config;
    private final GatewayConfig previous;
    private final List<String> warnings;

    KeyReader(Config config, GatewayConfig previous, List<String> warnings) {
        this.config = config;
        this.previous = previous;
        this.warnings = warnings;
    }

    /**
     * The raw text from the highest source that has a non-blank value. Blank counts as unset (as in
     * MicroProfile Config), so an exported but empty variable does not hide the {@code .env} value. Raw means
     * unexpanded: expressions must not rewrite a token or a proxy password that contains '$'.
     */
    Optional<String> raw(String key) {
        for (ConfigSource source : config.getConfigSources()) {
            String value = source.getValue(key);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    <T> T read(String key, Function<String, T> parser, T defaultValue, Function<GatewayConfig, T> last) {
        Optional<String> raw = raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return parser.apply(raw.get());
        } catch (RuntimeException e) {
            String problem = "Invalid " + key + ": " + e.getMessage();
            if (previous == null) {
                throw new ConfigException(problem);
            }
            warnings.add(problem + "; keeping the last good value");
            return last.apply(previous);
        }
    }

    /** A key that needs a restart: a changed value is reported and the running value kept. */
    <T> T restartOnly(String key, T fresh, Function<GatewayConfig, T> running) {
        if (previous == null) {
            return fresh;
        }
        T current = running.apply(previous);
        if (!java.util.Objects.equals(current, fresh)) {
            warnings.add(key + " changed; it takes effect after a restart");
        }
        return current;
    }
}
