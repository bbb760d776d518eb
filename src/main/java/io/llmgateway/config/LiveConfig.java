package io.llmgateway.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * The current {@link GatewayConfig}: re-read when the {@code .env} file changes, so hot keys apply to the next
 * request. The only class that touches MicroProfile Config. Code uses the MicroProfile API only, so an app
 * server's own implementation works as well as the SmallRye one the WAR brings.
 */
public final class LiveConfig {
    private static final Logger LOG = Logger.getLogger(LiveConfig.class.getName());
    public static final String ENV_FILE_KEY = "GATEWAY_ENV_FILE";

    private final Config config;
    private final DotEnvConfigSource dotEnv;
    private volatile GatewayConfig current;
    private volatile List<String> warnings = List.of();
    private final List<java.util.function.Consumer<GatewayConfig>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The snapshot of the request this thread is serving, between {@link #pin()} and {@link #unpin()}. */
    private final ThreadLocal<GatewayConfig> pinned = new ThreadLocal<>();

    private LiveConfig(Config config, DotEnvConfigSource dotEnv) {
        this.config = config;
        this.dotEnv = dotEnv;
        this.current = GatewayConfig.read(config, dotEnv.file(), null, new ArrayList<>());
    }

    /**
     * Builds the configuration; {@code contextParams} are the servlet context's init parameters (may be empty).
     * Throws {@link ConfigException} naming the key when a value is invalid.
     */
    public static LiveConfig load(Map<String, String> contextParams) {
        ServletContextConfigSource params = new ServletContextConfigSource(contextParams);
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        Config withoutFile = resolver.getBuilder().addDefaultSources().withSources(params).build();
        String envFile = withoutFile.getOptionalValue(ENV_FILE_KEY, String.class).orElse(".env");
        DotEnvConfigSource dotEnv = new DotEnvConfigSource(Path.of(envFile));
        Config config = resolver.getBuilder().addDefaultSources().withSources(params, dotEnv).build();
        LiveConfig live = new LiveConfig(config, dotEnv);
        LOG.info(() -> "Configuration file (.env): " + dotEnv.file()
                + (dotEnv.getPropertyNames().isEmpty() ? " (absent or empty)" : ""));
        return live;
    }

    /**
     * The snapshot for this request: the pinned one on a thread serving a request, otherwise the latest, which costs
     * one file stat when nothing changed.
     */
    public GatewayConfig current() {
        GatewayConfig snapshot = pinned.get();
        if (snapshot != null) {
            return snapshot;
        }
        if (dotEnv.changed()) {
            reload();
        }
        return current;
    }

    /**
     * Pins the latest snapshot to this thread until {@link #unpin()}, so a request sees one configuration from start
     * to end and the file is looked at once per request, not at each of the several lookups a request makes (a stat
     * costs about a microsecond on a small VM).
     */
    public GatewayConfig pin() {
        pinned.remove();
        GatewayConfig snapshot = current();
        pinned.set(snapshot);
        return snapshot;
    }

    /** Ends {@link #pin()}; call it in a {@code finally}, since container threads are reused. */
    public void unpin() {
        pinned.remove();
    }

    /** Under one lock, so no request sees the new file with the old snapshot. */
    private synchronized void reload() {
        if (!dotEnv.reloadIfChanged()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        current = GatewayConfig.read(config, dotEnv.file(), current, problems);
        warnings = List.copyOf(problems);
        LOG.info(() -> "Reloaded configuration from " + dotEnv.file());
        problems.forEach(LOG::warning);
        listeners.forEach(listener -> listener.accept(current));
    }

    /** Calls {@code listener} with the current snapshot now and after every reload. */
    public void watch(java.util.function.Consumer<GatewayConfig> listener) {
        listeners.add(listener);
        listener.accept(current);
    }

    /** Problems found at the last reload (invalid hot values kept at their last good value, restart-only keys). */
    public List<String> warnings() {
        return warnings;
    }

    public Path envFile() {
        return dotEnv.file();
    }
}
