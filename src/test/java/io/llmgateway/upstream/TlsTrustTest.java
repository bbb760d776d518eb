package io.llmgateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.LiveConfig;
import io.llmgateway.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTrustTest {
    @TempDir
    Path dir;

    private GatewayConfig config(Map<String, String> params) throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "");
        Map<String, String> all = new HashMap<>(params);
        all.put("GATEWAY_ENV_FILE", env.toString());
        return LiveConfig.load(all).current();
    }

    @Test
    void extraBundlesAddEveryCertificateToTheJdkAnchors() throws Exception {
        // given a bundle file holding two CAs
        TestPki.Ca first = TestPki.newCa("Corp Root");
        TestPki.Ca second = TestPki.newCa("Corp Intercept");
        Path bundle = TestPki.writePem(dir.resolve("corp.pem"), List.of(first, second));

        // when
        X509Certificate[] anchors = TlsTrust.trustManager(config(Map.of("MULTI_CA_BUNDLE", bundle.toString())))
                .getAcceptedIssuers();

        // then
        int jdkAnchors = TlsTrust.trustManager(config(Map.of())).getAcceptedIssuers().length;
        assertThat(jdkAnchors).isGreaterThan(50);
        assertThat(anchors).hasSize(jdkAnchors + 2).contains(first.certificate(), second.certificate());
    }

    @Test
    void aReplacementBundleReplacesTheJdkAnchorsAndExtrasStillAdd() throws Exception {
        // given
        TestPki.Ca internal = TestPki.newCa("Internal");
        TestPki.Ca extra = TestPki.newCa("Extra");

        // when
        X509Certificate[] anchors = TlsTrust.trustManager(config(Map.of(
                "REQUESTS_CA_BUNDLE", internal.writePem(dir.resolve("internal.pem")).toString(),
                "MULTI_CA_BUNDLE", extra.writePem(dir.resolve("extra.pem")).toString()))).getAcceptedIssuers();

        // then
        assertThat(anchors).containsExactlyInAnyOrder(internal.certificate(), extra.certificate());
    }
}
