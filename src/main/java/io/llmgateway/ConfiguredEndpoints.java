package io.llmgateway;

import io.llmgateway.config.LiveConfig;
import io.llmgateway.upstream.Endpoints;
import java.net.URI;

/** The operator's upstream: URLs from the current configuration, so a changed {@code .env} applies at once. */
final class ConfiguredEndpoints implements Endpoints {
    private final LiveConfig config;

    ConfiguredEndpoints(LiveConfig config) {
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
