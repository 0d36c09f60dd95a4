package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class PmemDatasetFactoryTest {
  @Test
  void aMisspelledPmemKeyIsNamedWithTheKeyItWasMeantToBeAndStockHdfsKeysAreKnown() {
    Configuration conf = new Configuration(false);
    conf.set(PmemDatasetKeys.PREPARED_FILES_KEY, "2");
    conf.set("dfs.datanode.pmem.prepard-files", "2");
    conf.set("dfs.datanode.data.dir", "[NVDIMM]/mnt/pmem0/dn");
    conf.set("dfs.datanode.pmem.cache.recovery", "true");
    conf.set("dfs.datanode.pmem.cache.dirs", "/mnt/pmem1");
    assertEquals(List.of("unknown key dfs.datanode.pmem.prepard-files has no effect; did you mean "
        + "dfs.datanode.pmem.prepared-files? Every key is listed in hdfs-pmem-default.xml"),
        PmemDatasetFactory.unknownKeys(conf));
  }
}
