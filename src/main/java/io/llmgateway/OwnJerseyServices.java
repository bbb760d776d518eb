package io.llmgateway;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.jersey.internal.ServiceConfigurationError;
import org.glassfish.jersey.internal.ServiceFinder;

/**
 * Jersey's {@code META-INF/services} lookups, limited to classes the WAR's own Jersey can use.
 *
 * <p>An application server that ships its own Jersey (Payara) lets the WAR's class loader see the server's service
 * files too. Their classes implement the server's copy of Jersey's SPI, not the WAR's: Jersey would instantiate,
 * say, Payara's {@code JsonBindingAutoDiscoverable} and fail the deployment with a {@link ClassCastException}.
 * Such foreign classes are skipped; on a plain servlet container every class passes, so nothing changes there.
 */
final class OwnJerseyServices extends ServiceFinder.ServiceIteratorProvider {
    private static final Logger LOG = Logger.getLogger(OwnJerseyServices.class.getName());

    private final ServiceFinder.ServiceIteratorProvider lookup = new ServiceFinder.DefaultServiceIteratorProvider();

    private OwnJerseyServices() {
    }

    /** Installs the filter for this WAR's Jersey (a static of the Jersey copy the WAR's class loader loaded). */
    static void install() {
        ServiceFinder.setIteratorProvider(new OwnJerseyServices());
    }

    @Override
    public <T> Iterator<Class<T>> createClassIterator(Class<T> service, String serviceName, ClassLoader loader,
            boolean ignoreOnClassNotFound) {
        Iterator<Class<T>> all = lookup.createClassIterator(service, serviceName, loader, ignoreOnClassNotFound);
        return new Iterator<>() {
            private Class<T> next;

            @Override
            public boolean hasNext() {
                while (next == null && all.hasNext()) {
                    Class<T> candidate = all.next();
                    if (service.isAssignableFrom(candidate)) {
                        next = candidate;
                    } else {
                        LOG.log(Level.FINE, () -> "Skipping " + candidate.getName() + " listed for " + serviceName
                                + ": loaded by " + candidate.getClassLoader() + ", not this application's Jersey");
                    }
                }
                return next != null;
            }

            @Override
            public Class<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Class<T> result = next;
                next = null;
                return result;
            }
        };
    }

    @Override
    public <T> Iterator<T> createIterator(Class<T> service, String serviceName, ClassLoader loader,
            boolean ignoreOnClassNotFound) {
        Iterator<Class<T>> classes = createClassIterator(service, serviceName, loader, ignoreOnClassNotFound);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return classes.hasNext();
            }

            @Override
            public T next() {
                Class<T> type = classes.next();
                try {
                    return service.cast(type.getDeclaredConstructor().newInstance());
                } catch (ReflectiveOperationException | LinkageError e) {
                    ServiceConfigurationError error = new ServiceConfigurationError(serviceName + ": provider "
                            + type.getName() + " could not be instantiated: " + e);
                    error.initCause(e);
                    throw error;
                }
            }
        };
    }
}
