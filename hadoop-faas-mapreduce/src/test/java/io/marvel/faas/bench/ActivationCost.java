package io.marvel.faas.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.client.WhiskException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a faas job costs on a serverless platform, in OpenWhisk's billing unit: the sum over the
 * job's activations of the action's memory limit × the activation's duration, in GiB-seconds.
 * The figures come from the platform's activation records ({@code limits.memory} annotation,
 * {@code end - start}, which on a cold container includes its {@code /init}); the job's
 * activations are the ones its summary names (every attempt, failed ones included). Containers
 * kept warm between activations hold memory too, but OpenWhisk does not bill that time.
 */
final class ActivationCost {
  private static final double MIB_PER_GIB = 1024.0;

  private ActivationCost() {
  }

  /**
   * @param activations activation records
   * @return the sum of memory × duration, GiB-seconds
   * @throws IllegalArgumentException if a record has no memory limit annotation
   */
  static double gbSeconds(List<Activation> activations) {
    double sum = 0;
    for (Activation a : activations) {
      sum += memoryMb(a) / MIB_PER_GIB * a.duration() / 1000.0;
    }
    return sum;
  }

  /**
   * @param activation an activation record
   * @return the action's memory limit the activation ran with, MiB
   * @throws IllegalArgumentException if the record has no {@code limits.memory} annotation
   */
  static int memoryMb(Activation activation) {
    JsonElement limits = activation.annotations().get("limits");
    if (limits == null || !limits.isJsonObject() || !limits.getAsJsonObject().has("memory")) {
      throw new IllegalArgumentException("activation " + activation.activationId()
          + " has no limits.memory annotation: " + activation.annotations());
    }
    return limits.getAsJsonObject().get("memory").getAsInt();
  }

  /**
   * @param summary a faas job summary ({@code <summary dir>/<jobId>.json})
   * @return the ids of the activations of every attempt it lists
   * @throws IOException if it cannot be read
   */
  static List<String> activationIds(Path summary) throws IOException {
    JsonObject json = JsonParser.parseString(Files.readString(summary, StandardCharsets.UTF_8))
        .getAsJsonObject();
    JsonArray attempts = json.getAsJsonArray("attempts");
    List<String> ids = new ArrayList<>();
    for (JsonElement attempt : attempts) {
      JsonElement id = attempt.getAsJsonObject().get("activationId");
      if (id != null && !id.getAsString().isEmpty()) {
        ids.add(id.getAsString());
      }
    }
    return ids;
  }

  /**
   * @param summary a faas job summary
   * @return the ids of the warm-up activations run for the job ahead of its tasks (no attempts)
   * @throws IOException if it cannot be read
   */
  static List<String> warmUpActivationIds(Path summary) throws IOException {
    JsonObject json = JsonParser.parseString(Files.readString(summary, StandardCharsets.UTF_8))
        .getAsJsonObject();
    List<String> ids = new ArrayList<>();
    JsonArray warmUps = json.getAsJsonArray("warmUps");
    for (JsonElement warmUp : warmUps == null ? new JsonArray() : warmUps) {
      String id = warmUp.getAsJsonObject().get("activationId").getAsString();
      if (!id.isEmpty() && !id.equals("none")) {
        ids.add(id);
      }
    }
    return ids;
  }

  /**
   * @param client a client of the platform the job ran on
   * @param ids activation ids
   * @return their records
   * @throws IOException if the platform does not have one of them (its record store is bounded)
   *     or cannot be reached
   */
  static List<Activation> records(WhiskClient client, List<String> ids) throws IOException {
    List<Activation> records = new ArrayList<>();
    for (String id : ids) {
      try {
        records.add(client.getActivation(id).orElseThrow(() -> new IOException("the platform"
            + " has no record of activation " + id + "; it keeps a bounded number of records")));
      } catch (WhiskException e) {
        throw new IOException("cannot read activation " + id + ": " + e.getMessage(), e);
      }
    }
    return records;
  }
}
