package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.mapred.JobID;
import org.junit.jupiter.api.Test;

/** The per-JVM owner: shared until closed, then replaced; job ids stay unique. */
class FaasClientJvmTest {
  @Test
  void sharedUntilClosedThenANewOne() {
    FaasClientJvm first = FaasClientJvm.get();
    assertSame(first, FaasClientJvm.get(), "every runner of the JVM shares one");
    org.apache.hadoop.mapreduce.JobID a = first.newJobId();
    org.apache.hadoop.mapreduce.JobID b = first.newJobId();
    assertNotEquals(a, b);
    first.close();
    assertTrue(first.credentialsCloser().isShutdown(), "close stops what it started");
    FaasClientJvm second = FaasClientJvm.get();
    assertNotSame(first, second, "a closed one is replaced at the next use");
    second.close();
  }

  @Test
  void aJobIdParsedFromAStringFindsTheSameKey() {
    org.apache.hadoop.mapreduce.JobID id = new org.apache.hadoop.mapreduce.JobID("faas1", 7);
    assertNotEquals(id, JobID.forName(id.toString()), "the old API's class never equals");
    assertTrue(FaasClientJvm.key(JobID.forName(id.toString())).equals(id));
  }
}
