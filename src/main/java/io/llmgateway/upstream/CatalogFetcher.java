package io.llmgateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;

/** Fetches the upstream model catalog body (from {@code LLM_MODELS_API_URL}); retries are its own business. */
@FunctionalInterface
public interface CatalogFetcher {
    JsonNode fetch() throws Exception;
}
