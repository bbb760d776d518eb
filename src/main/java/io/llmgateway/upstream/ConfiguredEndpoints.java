package io.llmgateway.upstream;

import io.llmgateway.config.LiveConfig;
import java.net.URI;

/** The operator's upstream: URLs from the current configuration, so a changed {@code .env} applies at once. */
public final class ConfiguredEndpoints implements Endpoints {
    private final LiveConfig config;

    public ConfiguredEndpoints(LiveConfig config) {
        this.config = config;
    }

    @Override
    public URI chatCompletions() {
        return config.current().llmApiUrl();
    }

    @Override
    public URI models() {
        return config.current().modelsApiUrl();
    }

    @Override
    public URI token() {
        return config.current().oauthTokenUrl();
    }

    @Override
    public boolean demo() {
        return false;
    }
}
