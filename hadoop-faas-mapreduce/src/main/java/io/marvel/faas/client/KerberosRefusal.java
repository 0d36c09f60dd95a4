package io.marvel.faas.client;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.security.SecurityUtil;
import org.apache.hadoop.security.UserGroupInformation.AuthenticationMethod;

/**
 * Refuses jobs of a secure (Kerberos) cluster at submission. The faas framework does not yet hand
 * a job's delegation tokens to its activations, so on a secure cluster its tasks would reach HDFS
 * without credentials and fail late, or not at all where a misconfigured service lets them in.
 */
final class KerberosRefusal {
  private KerberosRefusal() {
  }

  /**
   * @throws IOException naming the setting and the ways to run the job, if the configuration
   *     asks for any authentication other than simple
   */
  static void check(String jobId, Configuration job) throws IOException {
    AuthenticationMethod method = SecurityUtil.getAuthenticationMethod(job);
    if (method != AuthenticationMethod.SIMPLE) {
      throw new IOException("job " + jobId + " not submitted: this cluster uses "
          + method.toString().toLowerCase() + " authentication ("
          + CommonConfigurationKeysPublic.HADOOP_SECURITY_AUTHENTICATION + "="
          + job.get(CommonConfigurationKeysPublic.HADOOP_SECURITY_AUTHENTICATION)
          + "), which the faas framework does not support yet: its activations would run "
          + "without the job's delegation tokens. Run the job with -D "
          + "mapreduce.framework.name=yarn on this cluster, or with faas on a cluster whose "
          + CommonConfigurationKeysPublic.HADOOP_SECURITY_AUTHENTICATION + " is simple");
    }
  }
}
