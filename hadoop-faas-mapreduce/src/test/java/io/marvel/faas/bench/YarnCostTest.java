package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobCounter;
import org.junit.jupiter.api.Test;

class YarnCostTest {
  @Test
  void taskPartIsTheMapAndReduceMemoryMillisInGibSeconds() {
    Counters counters = new Counters();
    // Two maps of 1024 MiB for 10 s and one reduce of 1024 MiB for 5 s: 25 GiB-s.
    counters.findCounter(JobCounter.MB_MILLIS_MAPS).increment(2 * 1024L * 10_000);
    counters.findCounter(JobCounter.MB_MILLIS_REDUCES).increment(1024L * 5_000);
    // Not memory x time: must not be added.
    counters.findCounter(JobCounter.MILLIS_MAPS).increment(20_000);
    assertEquals(25.0, YarnCost.taskGbSeconds(counters), 1e-9);
  }

  @Test
  void resourceManagerMemorySecondsAreMibSeconds() {
    assertEquals(30.0, YarnCost.gbSeconds(30 * 1024), 1e-9);
  }
}
