package io.marvel.whisk.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the TLS context for {@link WhiskSettings}: default, custom CA file, or insecure. */
final class TlsContexts {
  private TlsContexts() {
  }

  static SSLContext forSettings(WhiskSettings settings) throws IOException {
    try {
      if (settings.insecure()) {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        return ctx;
      }
      if (settings.caFile() != null) {
        return withCaFile(settings.caFile());
      }
      return SSLContext.getDefault();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS for " + settings.apiHost() + ": " + e, e);
    }
  }

  private static SSLContext withCaFile(Path caFile) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(caFile)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IOException("cannot read the CA file " + caFile + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw noCertificate(caFile, e);
    }
    if (certs.isEmpty()) {
      throw noCertificate(caFile, null);
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate c : certs) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
    return ctx;
  }

  private static IOException noCertificate(Path caFile, Exception cause) {
    return new IOException("the CA file " + caFile + " holds no PEM certificate; give a file"
        + " with -----BEGIN CERTIFICATE----- blocks", cause);
  }

  /**
   * Accepts every certificate and host name. An extended trust manager, so the JDK does not add
   * its own host-name check around it.
   */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
