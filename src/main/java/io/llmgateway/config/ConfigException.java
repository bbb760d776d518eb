package io.llmgateway.config;

/** An invalid configuration value; the message names the key and what was expected, never the value of a secret. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
