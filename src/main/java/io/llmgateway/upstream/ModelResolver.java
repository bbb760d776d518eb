package io.llmgateway.upstream;

import java.util.ArrayList;
import java.util.List;

/**
 * Resolves the model a client asks for to the upstream model id; shared by every dialect. Immutable: build one
 * per configuration snapshot.
 *
 * <p>First the first matching alias replaces the requested name. The name is then looked up in the verified
 * catalog (the models the upstream itself listed) as is, with the prefix added when missing, and with the
 * prefix removed when present; the first listed spelling wins.
 *
 * <table>
 *   <caption>Decision rules</caption>
 *   <tr><th>request</th><th>verified catalog</th><th>no catalog to verify against</th></tr>
 *   <tr><td>no model, default configured</td><td>default, in its listed spelling if any</td>
 *       <td>default, prefix added</td></tr>
 *   <tr><td>no model, no default</td><td>not found</td><td>not found</td></tr>
 *   <tr><td>name (after alias) listed</td><td>the listed spelling</td><td>—</td></tr>
 *   <tr><td>name not listed, fallback on, default configured</td><td>default</td>
 *       <td>name, prefix added</td></tr>
 *   <tr><td>name not listed, otherwise</td><td>not found, listing the catalog</td><td>name, prefix added</td></tr>
 * </table>
 *
 * <p>Without a verified catalog (no {@code LLM_MODELS_API_URL}, no successful fetch yet, or an empty catalog)
 * an explicitly requested name is passed through unverified rather than replaced by the default: the gateway
 * cannot tell a typo from a model it simply has not heard of, and silently answering with another model (for
 * every client, during a catalog outage) is worse than letting the upstream reject an unknown name with its
 * own error. Clients that send names the upstream lacks (Claude Code's {@code claude-*}) are mapped with
 * aliases. The prefix is still added, as the seed did: configuring it declares how upstream names are spelt.
 */
public final class ModelResolver {
    private final List<ModelAlias> aliases;
    private final String prefix;
    private final boolean fallback;
    private final String defaultModel;

    /**
     * @param aliases      from {@code GATEWAY_MODEL_ALIASES}, tried in order
     * @param prefix       {@code LLM_MODEL_PREFIX}, e.g. {@code oca/}; null or blank for none
     * @param fallback     {@code LLM_MODEL_FALLBACK}: send an unlisted model to the default model instead of 404
     * @param defaultModel the first {@code LLM_MODEL_NAME} entry; null or blank for none
     */
    public ModelResolver(List<ModelAlias> aliases, String prefix, boolean fallback, String defaultModel) {
        this.aliases = List.copyOf(aliases);
        this.prefix = prefix == null || prefix.isBlank() ? null : prefix.strip();
        this.fallback = fallback;
        this.defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel.strip();
    }

    /**
     * @param requested       the client's {@code model}; null or blank asks for the default
     * @param verifiedCatalog the upstream's own catalog ({@link ModelCatalog#verifiedModels()}); empty when
     *                        there is nothing to verify against
     */
    public Resolution resolve(String requested, List<ModelInfo> verifiedCatalog) {
        if (requested == null || requested.isBlank()) {
            return defaultModel == null
                    ? Resolution.notFound(null, "No model was requested and no default model is configured.",
                            ids(verifiedCatalog))
                    : Resolution.found(spellingOfDefault(verifiedCatalog), "no model requested: the default model");
        }
        String name = requested.strip();
        ModelAlias alias = firstAliasFor(name);
        String candidate = alias == null ? name : alias.model();
        String via = alias == null ? "" : "alias '" + alias.pattern() + "' gave '" + candidate + "'; ";
        if (verifiedCatalog.isEmpty()) {
            return Resolution.found(withPrefix(candidate), via + "no catalog to verify against: passed through");
        }
        String listed = listedSpelling(candidate, verifiedCatalog);
        if (listed != null) {
            return Resolution.found(listed, via + "listed in the catalog");
        }
        if (fallback && defaultModel != null) {
            return Resolution.found(spellingOfDefault(verifiedCatalog),
                    via + "'" + candidate + "' is not in the catalog: the default model (LLM_MODEL_FALLBACK)");
        }
        // Naming the alias target tells an administrator which GATEWAY_MODEL_ALIASES rule is wrong
        String target = alias != null ? " (alias for '" + candidate + "')" : "";
        return Resolution.notFound(name, "The model '" + name + "'" + target + " does not exist.",
                ids(verifiedCatalog));
    }

    // Plain loops: this runs on every inference request, and stream pipelines cost more than the lookups.
    private ModelAlias firstAliasFor(String name) {
        for (ModelAlias alias : aliases) {
            if (alias.matches(name)) {
                return alias;
            }
        }
        return null;
    }

    /** The default as listed; unlisted (or unverifiable) it is sent as configured, prefix added like any name. */
    private String spellingOfDefault(List<ModelInfo> catalog) {
        String listed = listedSpelling(defaultModel, catalog);
        return listed != null ? listed : withPrefix(defaultModel);
    }

    /** The name as listed: as given, else with the prefix added when missing or removed when present; or null. */
    private String listedSpelling(String name, List<ModelInfo> catalog) {
        if (isListed(name, catalog)) {
            return name;
        }
        if (prefix == null) {
            return null;
        }
        String other = !name.startsWith(prefix) ? prefix + name
                : name.length() > prefix.length() ? name.substring(prefix.length()) : null;
        return other != null && isListed(other, catalog) ? other : null;
    }

    private static boolean isListed(String id, List<ModelInfo> catalog) {
        for (ModelInfo model : catalog) {
            if (model.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> ids(List<ModelInfo> catalog) {
        List<String> ids = new ArrayList<>(catalog.size());
        for (ModelInfo model : catalog) {
            ids.add(model.id());
        }
        return ids;
    }

    private String withPrefix(String name) {
        return prefix == null || name.startsWith(prefix) ? name : prefix + name;
    }
}
