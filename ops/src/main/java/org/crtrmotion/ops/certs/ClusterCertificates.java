package org.crtrmotion.ops.certs;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster CA and one certificate per node, as PKCS12 stores for Artery's TLS: {@code ca.p12} (the
 * CA's key: keep it off the nodes), {@code truststore.p12} (the CA's certificate, for every node)
 * and {@code <node>.p12} (the node's key and its chain). Keys are EC P-256; certificates are signed
 * with SHA-256 by BouncyCastle over the JDK's own providers.
 */
public final class ClusterCertificates {
  /** Every store's alias for what it holds. */
  static final String CA_ALIAS = "crtr-ca";

  static final String NODE_ALIAS = "node";

  private static final Pattern NODE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");

  private final SecureRandom random = new SecureRandom();
  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final Duration validity;

  private ClusterCertificates(KeyPair caKeys, X509Certificate caCertificate, Duration validity) {
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
    this.validity = validity;
  }

  /** A new CA named {@code CN=<name>}. */
  public static ClusterCertificates newCa(String name, Duration validity) {
    try {
      KeyPair keys = ecKeys();
      X500Name subject = new X500Name("CN=" + name);
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(new SecureRandom()),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(validity)),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new ClusterCertificates(keys, sign(b, keys), validity);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the cluster CA: " + e.getMessage(), e);
    }
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /**
   * A node's key and certificate ({@code CN=<node>}, for TLS server and client, with {@code node}
   * and {@code localhost} as DNS names and 127.0.0.1 as address).
   *
   * @throws IllegalArgumentException when {@code node} is not a node or host name
   */
  public NodeCertificate issue(String node) {
    if (!NODE.matcher(node).matches()) {
      throw new IllegalArgumentException(
          "node name '" + node + "': must be 1 to 63 of a-z, 0-9, '.', '-'");
    }
    try {
      KeyPair keys = ecKeys();
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  caCertificate,
                  serial(random),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(validity)),
                  new X500Name("CN=" + node),
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(
                      new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, node),
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                      }))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(caCertificate))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new NodeCertificate(node, keys, sign(b, caKeys), caCertificate);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot issue the certificate of " + node + ": " + e.getMessage(), e);
    }
  }

  /** A node's key with its certificate and the CA's. */
  public record NodeCertificate(
      String node, KeyPair keys, X509Certificate certificate, X509Certificate ca) {}

  /** What {@link #writeAll} wrote. */
  public record Written(Path ca, Path trustStore, List<Path> keyStores) {}

  /** Writes the CA's store, the trust store and one key store per node into {@code dir}. */
  public Written writeAll(Path dir, List<String> nodes, char[] password) throws IOException {
    Files.createDirectories(dir);
    Path ca = dir.resolve("ca.p12");
    KeyStore caStore = emptyStore();
    setKey(caStore, CA_ALIAS, caKeys, password, caCertificate);
    save(caStore, ca, password);
    Path trust = dir.resolve("truststore.p12");
    writeTrustStore(trust, password);
    List<Path> keyStores = new ArrayList<>();
    for (String node : nodes) {
      Path p = dir.resolve(node + ".p12");
      writeKeyStore(issue(node), p, password);
      keyStores.add(p);
    }
    return new Written(ca, trust, keyStores);
  }

  public void writeTrustStore(Path file, char[] password) throws IOException {
    KeyStore store = emptyStore();
    try {
      store.setCertificateEntry(CA_ALIAS, caCertificate);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    save(store, file, password);
  }

  public static void writeKeyStore(NodeCertificate node, Path file, char[] password)
      throws IOException {
    KeyStore store = emptyStore();
    setKey(store, NODE_ALIAS, node.keys(), password, node.certificate(), node.ca());
    save(store, file, password);
  }

  private static void setKey(
      KeyStore store, String alias, KeyPair keys, char[] password, X509Certificate... chain) {
    try {
      store.setKeyEntry(alias, keys.getPrivate(), password, chain);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyStore emptyStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("PKCS12 is not available: " + e.getMessage(), e);
    }
  }

  private static void save(KeyStore store, Path file, char[] password) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }
}
