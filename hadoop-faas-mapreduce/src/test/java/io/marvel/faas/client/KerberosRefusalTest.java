package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job of a Kerberos cluster is refused when it is submitted, and leaves nothing behind. */
class KerberosRefusalTest {
  @TempDir
  Path dir;

  @Test
  void aKerberosJobIsRefusedNamingTheSettingAndTheWaysToRunIt() throws Exception {
    Files.writeString(Files.createDirectories(dir.resolve("in")).resolve("a.txt"), "a b\n");
    Configuration conf = new Configuration(false);
    FaasClientProtocolProvider.useFaas(conf);
    conf.set("fs.defaultFS", "file:///");
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "in-jvm");
    conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, dir.resolve("summaries").toString());
    conf.set(MRConfig.TEMP_DIR, dir.resolve("tmp").toString());
    conf.set("hadoop.tmp.dir", dir.resolve("tmp").toString());
    conf.set("hadoop.security.authentication", "kerberos");
    Job job = Job.getInstance(conf, "secure");
    FileInputFormat.addInputPath(job, new org.apache.hadoop.fs.Path(dir.resolve("in").toUri()));
    FileOutputFormat.setOutputPath(job, new org.apache.hadoop.fs.Path(dir.resolve("out").toUri()));

    IOException e = assertThrows(IOException.class, job::submit);
    assertTrue(e.getMessage().contains("this cluster uses kerberos authentication "
        + "(hadoop.security.authentication=kerberos), which the faas framework does not support "
        + "yet") && e.getMessage().contains("-D mapreduce.framework.name=yarn"), e.getMessage());
    try (Stream<Path> staged = Files.find(dir.resolve("tmp"), 20,
        (path, attributes) -> path.toString().contains("job_"))) {
      assertEquals(List.of(), staged.toList(), "the staged job is removed");
    }
    assertTrue(!Files.exists(dir.resolve("out")), "no output dir");
  }
}
