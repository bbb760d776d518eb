package io.llmgateway.config;

import io.smallrye.config.common.MapBackedConfigSource;
import java.util.Map;

/**
 * Context init parameters (web.xml, Tomcat's context.xml {@code <Parameter>}) as a config source: a
 * per-deployment setting on servers where the environment is shared by every application. Ordered just
 * below system properties so an operator's deployment descriptor wins over the shared environment.
 */
final class ServletContextConfigSource extends MapBackedConfigSource {
    static final int ORDINAL = 350;

    ServletContextConfigSource(Map<String, String> values) {
        super("servlet-context-params", Map.copyOf(values), ORDINAL);
    }
}
