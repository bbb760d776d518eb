package io.llmgateway.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate authorities and server identities generated at test time, so no key material is committed and
 * nothing expires in the repository. EC P-256 keys: quick to generate and accepted by every TLS stack in use.
 * Everything uses the JDK's own providers; BouncyCastle only builds and encodes the certificates.
 */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] PASSWORD = "test".toCharArray();

    private TestPki() {
    }

    /** A self-signed CA (CA:true, keyCertSign), valid from an hour ago to a week from now. */
    public static Ca newCa(String commonName) {
        try {
            KeyPair keys = newKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(7))), name,
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new Ca(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create test CA", e);
        }
    }

    /** Writes these CAs' certificates into one PEM bundle (as MULTI_CA_BUNDLE or REQUESTS_CA_BUNDLE hold). */
    public static Path writePem(Path file, List<Ca> cas) {
        return writeCertificates(file, cas.stream().map(Ca::certificate).toList());
    }

    /** Writes certificates into one PEM file, in order. */
    public static Path writeCertificates(Path file, List<X509Certificate> certificates) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : certificates) {
                pem.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A certificate authority that can issue server certificates. */
    public static final class Ca {
        private final X509Certificate certificate;
        private final PrivateKey key;

        private Ca(X509Certificate certificate, PrivateKey key) {
            this.certificate = certificate;
            this.key = key;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /**
         * A server certificate for these DNS names and IP addresses (subjectAltName), serverAuth, valid from an
         * hour ago (clock skew) to a day from now.
         */
        public Server issueServer(List<String> dnsNames, List<String> ipAddresses) {
            if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
                throw new IllegalArgumentException("a server certificate needs at least one name");
            }
            try {
                KeyPair keys = newKeyPair();
                List<GeneralName> names = new ArrayList<>();
                dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
                ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
                String commonName = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
                Instant now = Instant.now();
                JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                        new X500Name("CN=" + commonName), keys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                        .addExtension(Extension.subjectAlternativeName, false,
                                new GeneralNames(names.toArray(GeneralName[]::new)))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                extensions.createSubjectKeyIdentifier(keys.getPublic()))
                        .addExtension(Extension.authorityKeyIdentifier, false,
                                extensions.createAuthorityKeyIdentifier(certificate));
                return new Server(List.of(sign(builder, key), certificate), keys.getPrivate());
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot issue test server certificate", e);
            }
        }

        /** Writes this CA's certificate as PEM. */
        public Path writePem(Path file) {
            return TestPki.writePem(file, List.of(this));
        }

        /** A key store holding only this CA's certificate as a trusted entry. */
        public KeyStore trustStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("ca", certificate);
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A client-side context trusting this CA only (not the JDK's anchors). */
        public SSLContext clientSslContext() {
            try {
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustStore());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A server identity: its key and its chain (leaf first, then the issuing CA). */
    public static final class Server {
        private final List<X509Certificate> chain;
        private final PrivateKey key;

        private Server(List<X509Certificate> chain, PrivateKey key) {
            this.chain = chain;
            this.key = key;
        }

        public X509Certificate certificate() {
            return chain.get(0);
        }

        public List<X509Certificate> chain() {
            return chain;
        }

        public PrivateKey privateKey() {
            return key;
        }

        /** A key store holding the key and chain under alias "server", password "test". */
        public KeyStore keyStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", key, PASSWORD, chain.toArray(X509Certificate[]::new));
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A server-side context presenting this identity. */
        public SSLContext sslContext() {
            try {
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore(), PASSWORD);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
