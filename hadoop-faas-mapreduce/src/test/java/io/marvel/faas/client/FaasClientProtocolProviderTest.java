package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.protocol.ClientProtocolProvider;
import org.junit.jupiter.api.Test;

class FaasClientProtocolProviderTest {
  @Test
  void answersOnlyForFaas() throws Exception {
    FaasClientProtocolProvider provider = new FaasClientProtocolProvider();
    Configuration conf = new Configuration(false);
    assertNull(provider.create(conf));
    for (String other : new String[] {"local", "yarn", "classic", "FAAS"}) {
      conf.set(MRConfig.FRAMEWORK_NAME, other);
      assertNull(provider.create(conf), other);
    }
    FaasClientProtocolProvider.useFaas(conf);
    assertInstanceOf(FaasJobRunner.class, provider.create(conf));
  }

  @Test
  void isRegisteredAsService() {
    boolean found = false;
    for (ClientProtocolProvider p : ServiceLoader.load(ClientProtocolProvider.class)) {
      found |= p instanceof FaasClientProtocolProvider;
    }
    assertTrue(found, "META-INF/services lists FaasClientProtocolProvider");
  }
}
