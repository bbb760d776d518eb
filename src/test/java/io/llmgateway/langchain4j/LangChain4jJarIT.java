package io.llmgateway.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The library a plain Java application uses, as that application gets it: Maven resolves the consumer POM in
 * src/test/resources/langchain4j-consumer against the freshly built llm-gateway-langchain4j jar and POM (laid
 * out in a scratch local repository, with ~/.m2 as a read-only tail, so nothing is installed), and a separate
 * JVM with exactly that classpath runs the demo against the built-in simulated upstream. Runs in
 * {@code ./mvnw verify} (failsafe, after {@code package}).
 */
class LangChain4jJarIT {
    private static final long PROCESS_TIMEOUT_SECONDS = 300;

    private final Path work = Path.of(property("langchain4j.it.dir"));
    private final String version = property("project.version");

    @Test
    void aConsumerGetsNoServerClassesAndRunsTheDemoFromTheJarAlone() throws Exception {
        // given the artifact as a repository holds it, and an application that depends on it
        Path repository = work.resolve("repository");
        Path artifactDir = repository.resolve("io/llmgateway/llm-gateway-langchain4j/" + version);
        Files.createDirectories(artifactDir);
        Files.copy(Path.of(property("langchain4j.jar")), artifactDir.resolve("llm-gateway-langchain4j-" + version + ".jar"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of(property("langchain4j.pom")), artifactDir.resolve("llm-gateway-langchain4j-" + version + ".pom"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path consumer = work.resolve("consumer");
        Files.createDirectories(consumer);
        Files.writeString(consumer.resolve("pom.xml"), resource("pom.xml")
                .replace("@gateway.version@", version)
                .replace("@langchain4j.version@", property("langchain4j.version")));
        Files.writeString(consumer.resolve("ConsumerCheck.java"), resource("ConsumerCheck.java"));
        Path classpathFile = consumer.resolve("classpath.txt");

        // when Maven resolves it and a JVM runs on exactly that classpath
        Run resolve = run(consumer, List.of(property("maven.home") + "/bin/mvn", "-B", "-q",
                "-Dmaven.repo.local=" + repository, "-Dmaven.repo.local.tail=" + property("local.repository"),
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                "-Dmdep.includeScope=runtime", "-Dmdep.outputFile=" + classpathFile));
        assertThat(resolve.exitCode()).as(resolve.output()).isZero();
        String classpath = Files.readString(classpathFile).strip();
        Run demo = run(consumer, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "ConsumerCheck.java"));

        // then
        List<String> jars = Arrays.stream(classpath.split(File.pathSeparator))
                .map(entry -> Path.of(entry).getFileName().toString()).toList();
        assertThat(jars).contains("llm-gateway-langchain4j-" + version + ".jar")
                .anyMatch(jar -> jar.startsWith("httpclient5-"))
                .noneMatch(jar -> jar.startsWith("jersey-") || jar.startsWith("jakarta.ws.rs")
                        || jar.startsWith("jakarta.servlet") || jar.startsWith("jtokkit") || jar.startsWith("slf4j-jdk14"));
        assertThat(jars).filteredOn(jar -> jar.startsWith("jackson-core-") || jar.startsWith("jackson-databind-"))
                .extracting(jar -> jar.substring(jar.lastIndexOf('-') + 1)).hasSize(2).containsOnly(jars.stream()
                        .filter(jar -> jar.startsWith("jackson-databind-")).findFirst().orElseThrow()
                        .substring("jackson-databind-".length()));
        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("absent jakarta.servlet.Servlet", "absent org.glassfish.jersey.server.ResourceConfig",
                        "absent org.glassfish.jersey.servlet.ServletContainer", "absent io.llmgateway.GatewayBootstrap",
                        "absent io.llmgateway.openai.ChatCompletionsServlet", "absent io.llmgateway.demo.DemoUpstreamServlet")
                .doesNotContain("LOADABLE")
                .contains("BUILT GatewayChatModel[")
                .contains("SIMULATED upstream", "== 1. Streaming, synchronously", "== 2. Blocking call",
                        "== 3. Streaming, asynchronously");
        assertThat(demo.output().split("The capital of Germany is Berlin\\.", -1)).hasSize(4);
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs a command with the tests' hermetic environment: demo mode, no proxy, no developer .env. */
    private Run run(Path directory, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.remove("MAVEN_PROJECTBASEDIR");
        environment.remove("MAVEN_OPTS");
        for (String key : List.of("LLM_API_URL", "LLM_API_KEY", "HTTP_PROXY_URL", "FORCE_PROXY", "SSL_CERT_FILE",
                "REQUESTS_CA_BUNDLE", "MULTI_CA_BUNDLE", "DISABLE_SSL_VERIFY")) {
            environment.remove(key);
        }
        environment.put("GATEWAY_ENV_FILE", work.resolve("no-such.env").toString());
        Process process = builder.start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = LangChain4jJarIT.class.getResourceAsStream("/langchain4j-consumer/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set: run this test with ./mvnw verify");
        }
        return value;
    }
}
