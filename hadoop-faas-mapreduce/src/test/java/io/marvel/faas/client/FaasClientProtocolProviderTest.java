package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.protocol.ClientProtocol;
import org.apache.hadoop.mapreduce.protocol.ClientProtocolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void logRequestsNameTheTaskLogFilesInsteadOfYarnsAggregatedLogs(@TempDir Path summaries)
      throws Exception {
    Configuration conf = new Configuration(false);
    FaasClientProtocolProvider.useFaas(conf);
    conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, summaries.toString());
    ClientProtocol protocol = new FaasClientProtocolProvider().create(conf);
    TaskAttemptID attempt = TaskAttemptID.forName("attempt_faas1_0001_m_000000_0");
    Path log = summaries.resolve("job_faas1_0001.logs").resolve(attempt + ".log");

    IOException none = assertThrows(IOException.class,
        () -> protocol.getLogFileParams(attempt.getJobID(), attempt));
    assertTrue(none.getMessage().contains("there is no " + log + "."), none.getMessage());

    Files.createDirectories(log.getParent());
    Files.writeString(log, "task output");
    IOException one = assertThrows(IOException.class,
        () -> protocol.getLogFileParams(attempt.getJobID(), attempt));
    assertTrue(one.getMessage().endsWith(" is " + log), one.getMessage());
    IOException all = assertThrows(IOException.class,
        () -> protocol.getLogFileParams(attempt.getJobID(), null));
    assertTrue(all.getMessage().contains(" are in " + log.getParent()
        + ", one <attemptId>.log per task attempt"), all.getMessage());
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
