package io.marvel.faas.client;

import io.marvel.faas.FaasConfigKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.hadoop.classification.InterfaceAudience;
import org.apache.hadoop.classification.InterfaceStability;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.protocol.ClientProtocol;
import org.apache.hadoop.mapreduce.protocol.ClientProtocolProvider;

/**
 * Hadoop's entry to the faas framework, found through {@code META-INF/services}: answers for
 * {@code mapreduce.framework.name=faas} and returns null for every other name, so Hadoop moves
 * on to the next provider.
 */
@InterfaceAudience.Private
@InterfaceStability.Unstable
public final class FaasClientProtocolProvider extends ClientProtocolProvider {
  @Override
  public ClientProtocol create(Configuration conf) throws IOException {
    if (!FaasConfigKeys.FRAMEWORK_NAME.equals(conf.get(MRConfig.FRAMEWORK_NAME))) {
      return null;
    }
    return new FaasJobRunner(conf, FaasClientJvm.get());
  }

  @Override
  public ClientProtocol create(InetSocketAddress addr, Configuration conf) throws IOException {
    return create(conf);
  }

  @Override
  public void close(ClientProtocol clientProtocol) {
    // Jobs own their launchers and release them when they end; what the jobs of this JVM share
    // outlives one Cluster (FaasClientJvm).
  }

  /**
   * Selects the faas framework in a configuration, the one-line equivalent of
   * {@code mapreduce.framework.name=faas} in mapred-site.xml.
   *
   * @param conf the configuration to change
   */
  public static void useFaas(Configuration conf) {
    conf.set(MRConfig.FRAMEWORK_NAME, FaasConfigKeys.FRAMEWORK_NAME);
  }
}
