package io.llmgateway.upstream;

import java.time.Instant;

/**
 * What the health page shows about the model catalog.
 *
 * @param size      number of models served by {@code /v1/models}
 * @param source    {@code "catalog"} (fetched from the upstream) or {@code "fallback"} (the configured names)
 * @param fetchedAt when the served catalog was fetched; null if never
 * @param lastError the last fetch failure, if the latest attempt failed; null otherwise
 */
public record CatalogStatus(int size, String source, Instant fetchedAt, String lastError) {
    public static final String CATALOG = "catalog";
    public static final String FALLBACK = "fallback";
}
