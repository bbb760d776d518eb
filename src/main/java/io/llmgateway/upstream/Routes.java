package io.llmgateway.upstream;

import io.llmgateway.config.GatewayConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Chooses direct or proxy per call. With {@code FORCE_PROXY} the proxy comes first (direct only as a
 * fallback); otherwise direct first, and after direct failed and the proxy worked, the proxy stays first
 * (sticky) until a re-probe interval passes, so one blip does not pin the gateway to the proxy forever.
 */
final class Routes {
    private static final Logger LOG = Logger.getLogger(Routes.class.getName());
    static final Duration REPROBE = Duration.ofMinutes(5);
    static final Optional<URI> DIRECT = Optional.empty();

    private final Clock clock;
    private volatile Instant proxyPreferredUntil = Instant.MIN;
    private volatile String lastRoute = "none yet";
    private volatile String problem;

    Routes(Clock clock) {
        this.clock = clock;
    }

    List<Optional<URI>> order(GatewayConfig config) {
        if (config.httpProxyUrl() == null) {
            return List.of(DIRECT);
        }
        Optional<URI> proxy = Optional.of(config.httpProxyUrl());
        if (config.forceProxy() || clock.instant().isBefore(proxyPreferredUntil)) {
            return List.of(proxy, DIRECT);
        }
        return List.of(DIRECT, proxy);
    }

    void worked(Optional<URI> route, GatewayConfig config) {
        lastRoute = route.isPresent() ? "proxy" : "direct";
        problem = route.isEmpty() && config.forceProxy() && config.httpProxyUrl() != null
                ? "FORCE_PROXY=true but the proxy is unreachable: calls go direct" : null;
        if (route.isPresent()) {
            if (!config.forceProxy() && clock.instant().isAfter(proxyPreferredUntil)) {
                LOG.info("Direct connection failed and the proxy worked: using the proxy first for " + REPROBE);
            }
            proxyPreferredUntil = clock.instant().plus(REPROBE);
        } else if (config.forceProxy() && config.httpProxyUrl() != null) {
            LOG.warning("FORCE_PROXY=true but the proxy " + GatewayConfig.redactUserInfo(config.httpProxyUrl())
                    + " is unreachable: the call went direct");
        }
    }

    /** What /health shows: the route of the last successful call and any routing problem. */
    NetworkStatus status(GatewayConfig config) {
        return new NetworkStatus(lastRoute, config.forceProxy(),
                config.httpProxyUrl() == null ? null : GatewayConfig.redactUserInfo(config.httpProxyUrl()),
                clock.instant().isBefore(proxyPreferredUntil), problem);
    }

    static String describe(Optional<URI> route) {
        return route.map(uri -> "via proxy " + GatewayConfig.redactUserInfo(uri)).orElse("direct");
    }
}
