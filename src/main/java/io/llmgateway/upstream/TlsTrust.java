package io.llmgateway.upstream;

import io.llmgateway.config.ConfigException;
import io.llmgateway.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The one TLS trust used for token, catalog and inference calls alike: the anchors (the JDK's, or the bundle in
 * {@code REQUESTS_CA_BUNDLE}/{@code SSL_CERT_FILE} instead) plus every PEM in {@code MULTI_CA_BUNDLE}; or no
 * verification at all with {@code DISABLE_SSL_VERIFY}. Anchors are merged into one KeyStore because {@code SSLContext.init} only
 * consults the first trust manager.
 */
final class TlsTrust {
    private static final Logger LOG = Logger.getLogger(TlsTrust.class.getName());

    private TlsTrust() {
    }

    static SSLContext sslContext(GatewayConfig config) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager(config)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot initialise TLS: " + e.getMessage(), e);
        }
    }

    static X509TrustManager trustManager(GatewayConfig config) throws GeneralSecurityException {
        if (config.disableSslVerify()) {
            LOG.warning("DISABLE_SSL_VERIFY=true: TLS certificates and host names are NOT verified for any "
                    + "upstream call. Use this only for debugging.");
            return new TrustAll();
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            anchors.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<X509Certificate> certificates = new ArrayList<>(config.caBundle() != null
                ? readPem(config.caBundle(), "REQUESTS_CA_BUNDLE/SSL_CERT_FILE")
                : List.of(defaultTrustManager(null).getAcceptedIssuers()));
        for (Path bundle : config.extraCaBundles()) {
            certificates.addAll(readPem(bundle, "MULTI_CA_BUNDLE"));
        }
        int i = 0;
        for (X509Certificate certificate : certificates) {
            anchors.setCertificateEntry("ca-" + i++, certificate);
        }
        return defaultTrustManager(anchors);
    }

    private static X509TrustManager defaultTrustManager(KeyStore anchors) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X509TrustManager available");
    }

    private static List<X509Certificate> readPem(Path file, String key) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (read.isEmpty()) {
                throw new ConfigException(key + ": no PEM certificate in " + file.toAbsolutePath());
            }
            return read.stream().map(X509Certificate.class::cast).toList();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key + ": cannot read CA bundle " + file.toAbsolutePath() + " (" + e.getMessage() + ")");
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
