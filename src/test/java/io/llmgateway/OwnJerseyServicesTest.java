package io.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.glassfish.jersey.internal.ServiceFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payara exposes its own Jersey's {@code META-INF/services} files to the WAR; the classes they name implement the
 * server's copy of Jersey's SPI. Here a class loader lists such a foreign class (one that does not implement the
 * service type as this Jersey sees it) next to a real provider.
 */
class OwnJerseyServicesTest {
    public interface Plugin {
    }

    public static final class OwnPlugin implements Plugin {
    }

    @TempDir
    Path dir;

    @Test
    void classesNotImplementingThisJerseysServiceTypeAreSkipped() throws Exception {
        // given
        ClassLoader serverLike = withServiceFile(Plugin.class, "java.lang.String", OwnPlugin.class.getName());
        OwnJerseyServices.install();

        // when
        Class<?>[] classes = ServiceFinder.find(Plugin.class, serverLike, true).toClassArray();
        Plugin[] instances = ServiceFinder.find(Plugin.class, serverLike, true).toArray();

        // then
        assertThat(classes).containsExactly(OwnPlugin.class);
        assertThat(instances).hasSize(1).hasOnlyElementsOfType(OwnPlugin.class);
    }

    /** A class loader that, besides its parent's, serves one extra service file listing {@code classNames}. */
    private ClassLoader withServiceFile(Class<?> service, String... classNames) throws IOException {
        Path file = Files.writeString(dir.resolve(service.getName()), String.join("\n", classNames) + "\n");
        URL extra = file.toUri().toURL();
        return new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                List<URL> urls = new ArrayList<>(Collections.list(super.getResources(name)));
                if (name.equals("META-INF/services/" + service.getName())) {
                    urls.add(extra);
                }
                return Collections.enumeration(urls);
            }
        };
    }
}
