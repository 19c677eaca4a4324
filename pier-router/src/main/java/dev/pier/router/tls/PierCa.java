package dev.pier.router.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Pier's own certificate authority (like mkcert): an EC P-256 key and a self-signed root created
 * at first start in a directory of its own ({@code ca.pem}, and {@code ca-key.pem} readable by
 * the owner only), loaded at later starts. It issues server certificates for any names; users
 * trust the root ({@code pier certs:ca}) to get warning-free HTTPS on their own machine.
 */
public final class PierCa {
  static final String CERT_FILE = "ca.pem";
  static final String KEY_FILE = "ca-key.pem";
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Leaf validity: within the 398 days browsers accept. */
  static final Duration LEAF_VALIDITY = Duration.ofDays(397);
  /** Leaves are valid from a little before now, for clients whose clock is behind. */
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final String SIGNATURE = "SHA256withECDSA";

  private final PrivateKey key;
  private final X509Certificate cert;
  private final SecureRandom random = new SecureRandom();

  private PierCa(PrivateKey key, X509Certificate cert) {
    this.key = key;
    this.cert = cert;
  }

  /**
   * Loads the CA from {@code dir}, creating it (and the directory, owner-only) if missing. At
   * every start the directory is made 0700 and the key file 0600 again, whatever loosened them.
   */
  public static PierCa openOrCreate(Path dir, String name) {
    try {
      Path certFile = dir.resolve(CERT_FILE);
      Path keyFile = dir.resolve(KEY_FILE);
      if (Files.exists(certFile) && Files.exists(keyFile)) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        return new PierCa(Pem.privateKey(Files.readString(keyFile)),
            Pem.certificates(Files.readString(certFile)).getFirst());
      }
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      PierCa ca = create(name);
      writeOwnerOnly(keyFile, Pem.encode(ca.key));
      writeOwnerOnly(certFile, Pem.encode(ca.cert));
      return ca;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the Pier CA in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A new CA that lives in memory only (tests). */
  public static PierCa create(String name) {
    KeyPair pair = newKeyPair();
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=" + name + ",O=Pier");
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(64, new SecureRandom()), Date.from(now.minus(BACKDATE)),
          Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new PierCa(pair.getPrivate(), sign(b, pair.getPrivate()));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the Pier CA: " + e.getMessage(), e);
    }
  }

  /** The root certificate. */
  public X509Certificate certificate() {
    return cert;
  }

  /** The root certificate in PEM, what {@code curl --cacert} and trust stores take. */
  public String rootPem() {
    return Pem.encode(cert);
  }

  /** Issues a server certificate (new key) for {@code names}; the first is also its CN. */
  public IssuedCertificate issue(List<String> names) {
    Instant now = Instant.now();
    return issue(names, now.minus(BACKDATE), now.plus(LEAF_VALIDITY));
  }

  /** As {@link #issue(List)}, valid from {@code notBefore} to {@code notAfter} (tests). */
  public IssuedCertificate issue(List<String> names, Instant notBefore, Instant notAfter) {
    if (names.isEmpty()) throw new IllegalArgumentException("no names");
    KeyPair pair = newKeyPair();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      GeneralName[] san = names.stream()
          .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert,
          new BigInteger(64, random), Date.from(notBefore),
          Date.from(notAfter), new X500Name("CN=" + names.getFirst()),
          pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(cert));
      return new IssuedCertificate(pair.getPrivate(), List.of(sign(b, key), cert));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 key generator: " + e.getMessage(), e);
    }
  }

  private static void writeOwnerOnly(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  /** PEM encoding and decoding of keys and certificates. */
  public static final class Pem {
    private Pem() {}

    public static String encode(Object keyOrCert) {
      StringWriter out = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(out)) {
        if (keyOrCert instanceof PrivateKey k) {
          w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null));
        } else {
          w.writeObject(keyOrCert);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }

    /** The certificates of {@code pem}, in order; throws IllegalArgumentException on garbage. */
    public static List<X509Certificate> certificates(String pem) {
      List<X509Certificate> out = new java.util.ArrayList<>();
      try (PEMParser p = new PEMParser(new StringReader(pem))) {
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
        for (Object o; (o = p.readObject()) != null; ) {
          if (!(o instanceof org.bouncycastle.cert.X509CertificateHolder h)) {
            throw new IllegalArgumentException("expected only certificates in the PEM file");
          }
          out.add(conv.getCertificate(h));
        }
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        if (e instanceof IllegalArgumentException iae) throw iae;
        throw new IllegalArgumentException("not a PEM certificate file: " + e.getMessage(), e);
      }
      if (out.isEmpty()) throw new IllegalArgumentException("no certificate in the PEM file");
      return out;
    }

    /** The private key of {@code pem} (PKCS#8 or a traditional key pair). */
    public static PrivateKey privateKey(String pem) {
      try (PEMParser p = new PEMParser(new StringReader(pem))) {
        Object o = p.readObject();
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        if (o instanceof PEMKeyPair kp) return conv.getKeyPair(kp).getPrivate();
        if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) return conv.getPrivateKey(info);
        throw new IllegalArgumentException("no private key in the PEM file");
      } catch (IOException | RuntimeException e) {
        if (e instanceof IllegalArgumentException iae) throw iae;
        throw new IllegalArgumentException("not a PEM key file: " + e.getMessage(), e);
      }
    }
  }
}
