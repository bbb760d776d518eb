package io.llmgateway.upstream;

import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.LiveConfig;
import java.util.List;
import java.util.Optional;

/**
 * The model catalog and model-name resolution as the dialects see them; the resolver follows the current
 * configuration snapshot, so alias, prefix and fallback changes in {@code .env} apply to the next request.
 */
public final class Models {
    private final LiveConfig config;
    private final ModelCatalog catalog;
    private final String fixedDefault;
    private volatile Resolver resolver;

    private record Resolver(GatewayConfig config, ModelResolver resolver, List<ModelAlias> aliases) {
    }

    /** {@code fixedDefault}: the default model regardless of {@code LLM_MODEL_NAME} (the demo's), or null. */
    public Models(LiveConfig config, ModelCatalog catalog, String fixedDefault) {
        this.config = config;
        this.catalog = catalog;
        this.fixedDefault = fixedDefault;
    }

    /** Validates {@code GATEWAY_MODEL_ALIASES} at startup, so a typo stops the deployment naming the key. */
    public static void validateAliases(GatewayConfig config) {
        try {
            ModelAlias.parseList(config.modelAliases());
        } catch (IllegalArgumentException e) {
            throw new io.llmgateway.config.ConfigException("Invalid GATEWAY_MODEL_ALIASES: " + e.getMessage());
        }
    }

    public Resolution resolve(String requested) {
        return resolver().resolve(requested, catalog.verifiedModels());
    }

    public List<ModelInfo> list() {
        return catalog.models();
    }

    public List<ModelInfo> refresh() {
        try {
            return catalog.refresh();
        } catch (IllegalStateException e) {
            return catalog.models(); // the previous catalog stays served; the failure shows on /health
        }
    }

    public Optional<ModelInfo> find(String id) {
        return catalog.find(id);
    }

    public CatalogStatus status() {
        return catalog.status();
    }

    private ModelResolver resolver() {
        GatewayConfig current = config.current();
        Resolver cached = resolver;
        if (cached == null || cached.config() != current) {
            List<ModelAlias> aliases;
            try {
                aliases = ModelAlias.parseList(current.modelAliases());
            } catch (IllegalArgumentException e) {
                // a bad hot edit: keep resolving with the last good rules (the reload already warned)
                aliases = cached == null ? List.of() : cached.aliases();
            }
            cached = new Resolver(current, new ModelResolver(aliases, current.modelPrefix(), current.modelFallback(),
                    fixedDefault != null ? fixedDefault : current.defaultModel()), aliases);
            resolver = cached;
        }
        return cached.resolver();
    }
}
