package io.llmgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    @TempDir
    Path dir;

    @Test
    void serverCertificateChainsToItsCaUnderPkixValidation() throws Exception {
        // given
        TestPki.Ca ca = TestPki.newCa("Test CA");
        TestPki.Server server = ca.issueServer(List.of("localhost"), List.of("127.0.0.1"));

        // when
        X509TrustManager trust = trustManager(ca.trustStore());

        // then
        trust.checkServerTrusted(server.chain().toArray(X509Certificate[]::new), "ECDHE_ECDSA");
        assertThat(server.certificate().getIssuerX500Principal())
                .isEqualTo(ca.certificate().getSubjectX500Principal());
    }

    @Test
    void serverCertificateIsRejectedByAnotherCa() throws Exception {
        // given
        TestPki.Server server = TestPki.newCa("Test CA").issueServer(List.of("localhost"), List.of());

        // when
        X509TrustManager other = trustManager(TestPki.newCa("Other CA").trustStore());

        // then
        assertThatThrownBy(() -> other.checkServerTrusted(server.chain().toArray(X509Certificate[]::new),
                "ECDHE_ECDSA")).isInstanceOf(CertificateException.class);
    }

    @Test
    void caIsMarkedAsCaAndServerIsNot() {
        // given
        TestPki.Ca ca = TestPki.newCa("Test CA");

        // when
        TestPki.Server server = ca.issueServer(List.of("localhost"), List.of());

        // then
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.certificate().getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(server.certificate().getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void serverCertificateCarriesTheRequestedSubjectAlternativeNames() throws Exception {
        // given
        TestPki.Ca ca = TestPki.newCa("Test CA");

        // when
        TestPki.Server server = ca.issueServer(List.of("localhost", "upstream.test"),
                List.of("127.0.0.1", "127.0.0.2"));

        // then
        Collection<List<?>> names = server.certificate().getSubjectAlternativeNames();
        assertThat(names).containsExactlyInAnyOrder(
                List.of(DNS_NAME, "localhost"), List.of(DNS_NAME, "upstream.test"),
                List.of(IP_ADDRESS, "127.0.0.1"), List.of(IP_ADDRESS, "127.0.0.2"));
    }

    @Test
    void pemBundleRoundTripsSeveralCertificates() throws Exception {
        // given
        TestPki.Ca first = TestPki.newCa("First CA");
        TestPki.Ca second = TestPki.newCa("Second CA");

        // when
        Path bundle = TestPki.writePem(dir.resolve("bundle.pem"), List.of(first, second));

        // then
        assertThat(Files.readString(bundle)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(readCertificates(bundle)).containsExactly(first.certificate(), second.certificate());
    }

    @Test
    void singleCaPemRoundTrips() throws Exception {
        // given
        TestPki.Ca ca = TestPki.newCa("Test CA");

        // when
        Path pem = ca.writePem(dir.resolve("ca.pem"));

        // then
        assertThat(readCertificates(pem)).containsExactly(ca.certificate());
    }

    private static List<Certificate> readCertificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    private static X509TrustManager trustManager(KeyStore anchors) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(anchors);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }
}
