package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.whisk.client.Activation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The controller's status codes and error bodies over raw HTTP, as OpenWhisk answers them. */
class ControllerApiTest extends PlatformHarness {
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  private String auth;

  @BeforeAll
  void deployProbe() throws IOException {
    auth = "Basic " + Base64.getEncoder().encodeToString(
        whisk.authKey().getBytes(StandardCharsets.UTF_8));
    client.deploy(probe("api"));
  }

  private HttpResponse<String> call(String method, String path, String body, boolean withAuth)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(whisk.apiHost() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (withAuth) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> call(String method, String path, String body)
      throws IOException, InterruptedException {
    return call(method, path, body, true);
  }

  private static String error(HttpResponse<String> r) {
    JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
    assertEquals(r.headers().firstValue("X-Request-ID").orElse(null), o.get("code").getAsString(),
        "the error code is the transaction id");
    return o.get("error").getAsString();
  }

  @Test
  void infoNeedsNoAuthButNamespacesDo() throws Exception {
    HttpResponse<String> info = call("GET", "/api/v1", null, false);
    assertEquals(200, info.statusCode());
    assertTrue(info.body().contains("\"api_version\""), info.body());
    HttpResponse<String> none = call("GET", "/api/v1/namespaces/_/actions", null, false);
    assertEquals(401, none.statusCode());
    assertTrue(error(none).contains("requires authentication"), none.body());
    assertEquals("Basic realm=\"OpenWhisk secure realm\"",
        none.headers().firstValue("WWW-Authenticate").orElse(""));
    HttpResponse<String> names = call("GET", "/api/v1/namespaces", null);
    assertEquals("[\"guest\"]", names.body());
  }

  @Test
  void anotherNamespaceIsForbidden() throws Exception {
    HttpResponse<String> r = call("GET", "/api/v1/namespaces/someone/actions", null);
    assertEquals(403, r.statusCode());
    assertTrue(error(r).contains("not authorized to access 'someone'"), r.body());
  }

  @Test
  void unknownRoutesAndMissingEntitiesAre404() throws Exception {
    HttpResponse<String> route = call("GET", "/api/v2/whatever", null);
    assertEquals(404, route.statusCode());
    assertEquals("The requested resource does not exist.", error(route));
    assertEquals(404, call("GET", "/api/v1/namespaces/_/triggers", null).statusCode());
    assertEquals(404, call("GET", "/api/v1/namespaces/_/actions/nope", null).statusCode());
    assertEquals(404, call("GET", "/api/v1/namespaces/_/activations/"
        + "0123456789abcdef0123456789abcdef", null).statusCode());
  }

  @Test
  void malformedBodiesAre400() throws Exception {
    HttpResponse<String> json = call("PUT", "/api/v1/namespaces/_/actions/x", "{not json");
    assertEquals(400, json.statusCode());
    assertTrue(error(json).startsWith("The request content was malformed"), json.body());
    assertEquals(400, call("PUT", "/api/v1/namespaces/_/actions/x", "[1]").statusCode());
    assertEquals(400, call("POST", "/api/v1/namespaces/_/actions/api", "[1]").statusCode());
    assertEquals(400, call("GET", "/api/v1/namespaces/_/actions/-bad", null).statusCode());
    HttpResponse<String> id = call("GET", "/api/v1/namespaces/_/activations/xyz", null);
    assertEquals(400, id.statusCode());
    assertTrue(error(id).contains("'xyz' is not valid"), id.body());
    HttpResponse<String> limit = call("GET", "/api/v1/namespaces/_/actions?limit=500", null);
    assertEquals(400, limit.statusCode());
    assertTrue(error(limit).contains("0 to 200"), limit.body());
  }

  @Test
  void creatingAnExistingActionWithoutOverwriteIs409() throws Exception {
    HttpResponse<String> r = call("PUT", "/api/v1/namespaces/_/actions/api?",
        "{\"exec\":{\"kind\":\"java:8\",\"main\":\"M\",\"code\":\"UEsDBA==\"}}");
    assertEquals(409, r.statusCode());
    assertEquals("resource already exists", error(r));
  }

  @Test
  void oversizedInvokeIs413AndBadTimeoutIs400() throws Exception {
    String big = "{\"a\":\"" + "x".repeat(1024 * 1024) + "\"}";
    HttpResponse<String> r = call("POST", "/api/v1/namespaces/_/actions/api", big);
    assertEquals(413, r.statusCode());
    assertTrue(error(r).startsWith("Request larger than allowed: "), r.body());
    HttpResponse<String> t = call("POST",
        "/api/v1/namespaces/_/actions/api?blocking=true&timeout=70000", "{}");
    assertEquals(400, t.statusCode());
    assertEquals("Timeout must be number of milliseconds up to 60000.", error(t));
  }

  @Test
  void wrongMethodIs405() throws Exception {
    assertEquals(405, call("DELETE", "/api/v1/namespaces/_/activations", null).statusCode());
  }

  @Test
  void blockingInvokeThatOutlastsItsWaitIs202AndCanBePolled() throws Exception {
    HttpResponse<String> r = call("POST",
        "/api/v1/namespaces/_/actions/api?blocking=true&timeout=100", "{\"sleepMs\":1500}");
    assertEquals(202, r.statusCode(), r.body());
    String id = JsonParser.parseString(r.body()).getAsJsonObject().get("activationId")
        .getAsString();
    assertEquals(id, r.headers().firstValue("x-openwhisk-activation-id").orElse(null));
    Activation a = client.awaitActivation(id, Duration.ofSeconds(60));
    assertTrue(a.success());
  }

  @Test
  void blockingResultOnlyAndActivationListing() throws Exception {
    HttpResponse<String> r = call("POST",
        "/api/v1/namespaces/_/actions/api?blocking=true&result=true", "{\"k\":\"v\"}");
    assertEquals(200, r.statusCode());
    JsonObject result = JsonParser.parseString(r.body()).getAsJsonObject();
    assertEquals("v", result.getAsJsonObject("echo").get("k").getAsString());
    HttpResponse<String> failed = call("POST",
        "/api/v1/namespaces/_/actions/api?blocking=true", "{\"error\":\"no\"}");
    assertEquals(502, failed.statusCode());
    JsonObject record = JsonParser.parseString(failed.body()).getAsJsonObject();
    assertEquals("application error", record.getAsJsonObject("response").get("status")
        .getAsString());
    HttpResponse<String> list = call("GET", "/api/v1/namespaces/_/activations?name=api&limit=1",
        null);
    JsonElement first = JsonParser.parseString(list.body()).getAsJsonArray().get(0);
    assertEquals(1, first.getAsJsonObject().get("statusCode").getAsInt());
    HttpResponse<String> both = call("GET", "/api/v1/namespaces/_/activations?count=true"
        + "&docs=true", null);
    assertEquals(400, both.statusCode());
  }
}
