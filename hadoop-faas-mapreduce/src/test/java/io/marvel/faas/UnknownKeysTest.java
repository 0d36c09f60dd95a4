package io.marvel.faas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class UnknownKeysTest {
  @Test
  void aMisspelledKeyIsNamedWithTheKeyItWasMeantToBe() {
    Configuration conf = new Configuration(false);
    conf.set("mapreduce.faas.stat.store", "hdfs", "from command line");
    conf.set("mapreduce.faas.max-concurency", "2");
    conf.set("mapreduce.job.reduces", "3");
    List<String> found = UnknownKeys.describe(conf, FaasConfigKeys.PREFIX,
        FaasConfigKeys.DEFAULT_RESOURCE);
    assertEquals(2, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("unknown key mapreduce.faas.max-concurency has no effect")
        && found.get(0).contains("did you mean mapreduce.faas.max-concurrency?"), found.get(0));
    assertTrue(found.get(1).contains("mapreduce.faas.stat.store has no effect (source: from "
        + "command line); did you mean mapreduce.faas.state.store?")
        && found.get(1).contains("listed in faas-default.xml"), found.get(1));
  }

  @Test
  void everyKeyOfTheKeysClassIsKnown() throws Exception {
    Configuration conf = new Configuration(false);
    for (Field field : FaasConfigKeys.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_KEY")) {
        conf.set((String) field.get(null), "x");
      }
    }
    assertTrue(conf.size() > 15, "keys found: " + conf.size());
    assertEquals(List.of(), UnknownKeys.describe(conf, FaasConfigKeys.PREFIX,
        FaasConfigKeys.DEFAULT_RESOURCE));
  }

  @Test
  void keysHadoopItselfListsUnderThePrefixAreKnown() {
    Configuration conf = new Configuration(false);
    conf.set("dfs.datanode.pmem.cache.dirs", "/mnt/pmem1");
    conf.set("dfs.datanode.pmem.cache.recovery", "true");
    conf.set("mapreduce.faas.stat.store", "hdfs");
    List<String> found = UnknownKeys.describe(conf, "dfs.datanode.pmem.",
        FaasConfigKeys.DEFAULT_RESOURCE, "hdfs-default.xml");
    assertEquals(List.of(), found);
  }

  @Test
  void withoutTheDefaultsResourceNothingIsJudged() {
    Configuration conf = new Configuration(false);
    conf.set("dfs.datanode.pmem.prepard-files", "2");
    assertEquals(List.of(), UnknownKeys.describe(conf, "dfs.datanode.pmem.",
        "no-such-default.xml"));
  }
}
