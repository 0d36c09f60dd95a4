package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.ActivationStatus;
import io.marvel.whisk.platform.settings.RuntimeImages;
import io.marvel.whisk.testing.ActionJars;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedded platform with its default settings answers as a stock OpenWhisk deployment
 * does: its limits, its refusal of an action it cannot grant, blackbox actions.
 */
class StockModelTest extends PlatformHarness {
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(whisk.apiHost() + "/api/v1" + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            whisk.authKey().getBytes(StandardCharsets.UTF_8)));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String blackbox(String image) {
    return "{\"exec\":{\"kind\":\"blackbox\",\"image\":\"" + image + "\",\"main\":\""
        + ActionJars.PROBE_MAIN + "\",\"code\":\"" + Base64.getEncoder().encodeToString(probeJar)
        + "\"}}";
  }

  /**
   * The field names and units of OpenWhisk's UserLimits as the controller's Limits.scala sends
   * them (Identity.scala: memory and logs in MB, time in ms, maxParameterSize a ByteSize
   * string, maxActionInstances the namespace's concurrent invocations), with the defaults of
   * common/scala/src/main/resources/application.conf.
   */
  @Test
  void limitsAreAStockDeploymentsWithItsFieldNames() throws Exception {
    HttpResponse<String> r = call("GET", "/namespaces/_/limits", null);
    assertEquals(200, r.statusCode());
    assertEquals("{\"invocationsPerMinute\":60000,\"concurrentInvocations\":100,"
        + "\"firesPerMinute\":60000,\"minActionMemory\":128,\"maxActionMemory\":512,"
        + "\"minActionLogs\":0,\"maxActionLogs\":10,\"minActionTimeout\":100,"
        + "\"maxActionTimeout\":300000,\"minActionConcurrency\":1,\"maxActionConcurrency\":1,"
        + "\"maxParameterSize\":\"1048576 B\",\"maxActionInstances\":100}", r.body());
  }

  /** Actions.scala checkActionLimits: a 400 with MemoryLimit.scala's message. */
  @Test
  void anActionLargerThanTheStockLimitIsRefusedAsAStockControllerDoes() throws Exception {
    HttpResponse<String> r = call("PUT", "/namespaces/_/actions/big", "{\"exec\":{\"kind\":"
        + "\"java:8\",\"main\":\"M\",\"code\":\"UEsDBA==\"},\"limits\":{\"memory\":1024}}");
    assertEquals(400, r.statusCode());
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    assertEquals("memory size 1024 MB exceeds allowed threshold of 512 MB",
        body.get("error").getAsString());
    assertEquals(r.headers().firstValue("X-Request-ID").orElseThrow(),
        body.get("code").getAsString());
    assertEquals(404, call("GET", "/namespaces/_/actions/big", null).statusCode());
  }

  @Test
  void blackboxActionOfTheDistributionsImageRunsAsAJvmContainer() throws Exception {
    String image = RuntimeImages.distributionImage();
    assertTrue(image.matches("marvel/task-runtime:\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), image);
    HttpResponse<String> put = call("PUT", "/namespaces/_/actions/boxed", blackbox(image));
    assertEquals(200, put.statusCode(), put.body());
    JsonObject exec = JsonParser.parseString(put.body()).getAsJsonObject()
        .getAsJsonObject("exec");
    assertEquals("blackbox", exec.get("kind").getAsString());
    assertEquals(image, exec.get("image").getAsString());
    Activation a = invoke("boxed", params("x", 1));
    assertEquals(ActivationStatus.SUCCESS, a.status(), String.valueOf(a.result()));
    assertEquals(1, a.result().getAsJsonObject().getAsJsonObject("echo").get("x").getAsInt());
    assertEquals("blackbox", a.annotations().get("kind").getAsString());
  }

  /**
   * DockerContainer.scala fails a container whose image cannot be pulled with
   * BlackboxStartupError(Messages.imagePullError), which ContainerProxy.scala records as a
   * developer error; this platform pulls nothing.
   */
  @Test
  void blackboxActionOfAnotherImageFailsAsAFailedPull() throws Exception {
    assertEquals(200, call("PUT", "/namespaces/_/actions/foreign",
        blackbox("openwhisk/dockerskeleton")).statusCode());
    List<Long> before = whisk.poolSnapshot().pids();
    Activation a = invoke("foreign", new JsonObject());
    assertEquals(ActivationStatus.DEVELOPER_ERROR, a.status());
    assertEquals("Failed to pull container image 'openwhisk/dockerskeleton:latest'.", a.error());
    assertFalse(a.annotations().containsKey("initTime"));
    assertEquals(before, whisk.poolSnapshot().pids(), "no container was started");

  }
}
