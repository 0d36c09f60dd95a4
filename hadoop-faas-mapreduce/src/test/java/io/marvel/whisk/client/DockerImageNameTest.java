package io.marvel.whisk.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerImageNameTest {
  /**
   * The names OpenWhisk's own test accepts and refuses
   * ({@code tests/src/test/scala/org/apache/openwhisk/core/entity/test/ExecManifestTests.scala},
   * "ImageName.fromString"), and Marvel's default.
   */
  @Test
  void acceptsWhatOpenWhisksImageNameParserAccepts() {
    for (String name : List.of("i", "i:t", "ii:tt", "p/i", "pre/img:t", "hostname:1234/img",
        "hostname:1234/img:t", "pre1/pre2/img:t", "hostname:1234/pre1/pre2/img",
        "hostname.com:3121/pre1/pre2/img:t",
        "hostname.com:3121/pre1/pre2/img:t@sha256:"
            + "77af4d6b9913e693e8d0b4b294fa62ade6054e6b2f1ffb617ac955dd63fb0182",
        "marvel/task-runtime:0.1.0-SNAPSHOT", "openwhisk/java8action",
        "registry.example.com:5000/marvel/task-runtime:0.1.0")) {
      assertTrue(DockerImageName.isValid(name), name);
    }
    for (String name : List.of("ABC", "x:8080:10/abc", "p/a:x:y", "p/a:t@sha256:77af4d6b9",
        "", "Marvel/task-runtime", "marvel/task runtime", "marvel/task-runtime:")) {
      assertFalse(DockerImageName.isValid(name), name);
    }
  }
}
