package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.config.ConfigException;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.LiveConfig;
import io.llmgateway.testing.MutableClock;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesTest {
    private static final Optional<URI> PROXY = Optional.of(URI.create("http://proxy.example:3128"));

    @TempDir
    Path dir;

    private GatewayConfig config(String env) throws Exception {
        Path file = dir.resolve(".env");
        Files.writeString(file, env);
        return LiveConfig.load(Map.of("GATEWAY_ENV_FILE", file.toString())).current();
    }

    @Test
    void withoutAProxyEveryCallGoesDirect() throws Exception {
        // given
        Routes routes = new Routes(new MutableClock(Instant.EPOCH));

        // then
        assertThat(routes.order(config(""))).containsExactly(Routes.DIRECT);
    }

    @Test
    void withAProxyDirectIsTriedFirstAndTheProxyStaysFirstOnceItWasNeededUntilTheReprobe() throws Exception {
        // given
        MutableClock clock = new MutableClock(Instant.EPOCH);
        Routes routes = new Routes(clock);
        GatewayConfig config = config("HTTP_PROXY_URL=http://proxy.example:3128\n");

        // when
        var before = routes.order(config);
        routes.worked(PROXY, config);
        var sticky = routes.order(config);
        clock.advance(Routes.REPROBE.plus(Duration.ofSeconds(1)));
        var reprobed = routes.order(config);

        // then
        assertThat(before).containsExactly(Routes.DIRECT, PROXY);
        assertThat(sticky).containsExactly(PROXY, Routes.DIRECT);
        assertThat(reprobed).containsExactly(Routes.DIRECT, PROXY);
    }

    @Test
    void forceProxyPutsTheProxyFirstWithDirectOnlyAsFallback() throws Exception {
        // given
        Routes routes = new Routes(new MutableClock(Instant.EPOCH));

        // then
        assertThat(routes.order(config("FORCE_PROXY=true\nHTTP_PROXY_URL=http://proxy.example:3128\n")))
                .containsExactly(PROXY, Routes.DIRECT);
    }

    @Test
    void aMissingCaBundleIsAConfigurationErrorNamingKeyAndFile() throws Exception {
        // given (a context parameter, so it wins over a REQUESTS_CA_BUNDLE the machine's environment may set)
        Path file = dir.resolve(".env");
        Files.writeString(file, "");
        GatewayConfig config = LiveConfig.load(Map.of("GATEWAY_ENV_FILE", file.toString(),
                "REQUESTS_CA_BUNDLE", dir.resolve("missing.pem").toString())).current();

        // when / then
        assertThatThrownBy(() -> TlsTrust.sslContext(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REQUESTS_CA_BUNDLE")
                .hasMessageContaining("missing.pem");
    }
}
