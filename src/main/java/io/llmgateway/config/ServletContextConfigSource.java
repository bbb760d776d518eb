package io.llmgateway.config;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Context init parameters (web.xml, Tomcat's context.xml {@code <Parameter>}) as a config source: a
 * per-deployment setting on servers where the environment is shared by every application. Ordered just
 * below system properties so an operator's deployment descriptor wins over the shared environment.
 */
final class ServletContextConfigSource implements ConfigSource {
    static final int ORDINAL = 350;

    private final Map<String, String> values;

    ServletContextConfigSource(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "servlet-context-params";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
