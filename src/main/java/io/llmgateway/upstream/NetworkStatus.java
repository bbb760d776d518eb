package io.llmgateway.upstream;

/**
 * How upstream calls are routed, for /health.
 *
 * @param lastRoute     "direct", "proxy" or "none yet": the route of the last call that reached a server
 * @param forceProxy    {@code FORCE_PROXY}
 * @param proxy         {@code HTTP_PROXY_URL} with any credentials redacted, or null
 * @param proxyPreferred true while the proxy is tried first because direct failed recently (sticky)
 * @param problem       a routing problem worth a warning, or null
 */
public record NetworkStatus(String lastRoute, boolean forceProxy, String proxy, boolean proxyPreferred, String problem) {
}
