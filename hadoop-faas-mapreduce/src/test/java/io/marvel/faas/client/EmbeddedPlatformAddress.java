package io.marvel.faas.client;

import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.client.WhiskSettings;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/**
 * For benchmarks: how to reach the embedded platform that this JVM's faas jobs run on, to read
 * its activation records as any OpenWhisk client would.
 */
public final class EmbeddedPlatformAddress {
  private EmbeddedPlatformAddress() {
  }

  /**
   * @param conf the configuration the jobs ran with ({@code apihost=local})
   * @return client settings of the platform serving that configuration (the running one when
   *     it serves it, as for the jobs themselves)
   * @throws IOException if the platform cannot be started for the configuration
   */
  public static WhiskSettings of(Configuration conf) throws IOException {
    return FaasClientJvm.get().platform().clientSettings(FaasSettings.from(conf));
  }
}
