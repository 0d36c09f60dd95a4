package io.marvel.faas;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.hadoop.conf.Configuration;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Finds configuration keys under one of Marvel's prefixes that its {@code *-default.xml} does not
 * list. Hadoop ignores an unknown key without a word, so a misspelled
 * {@code mapreduce.faas.stat.store} would silently run with the default; each one found is
 * described with the known key closest to it.
 */
public final class UnknownKeys {
  private UnknownKeys() {
  }

  /**
   * @param conf the configuration to look through
   * @param prefix the keys to judge, e.g. {@code mapreduce.faas.}
   * @param defaultResource Marvel's resource listing every key it knows under the prefix; when it
   *     is not on the class path nothing can be judged and nothing is reported
   * @param otherResources resources of Hadoop's that may list keys under the same prefix (HDFS
   *     has dfs.datanode.pmem.cache.*), read when present
   * @return one sentence per unknown key, sorted by key
   */
  public static List<String> describe(Configuration conf, String prefix, String defaultResource,
      String... otherResources) {
    Set<String> known = knownKeys(defaultResource);
    if (!known.isEmpty()) {
      for (String other : otherResources) {
        known.addAll(knownKeys(other));
      }
    }
    Set<String> unknown = new TreeSet<>();
    if (known.isEmpty()) {
      return List.of();
    }
    for (Map.Entry<String, String> entry : conf) {
      if (entry.getKey().startsWith(prefix) && !known.contains(entry.getKey())) {
        unknown.add(entry.getKey());
      }
    }
    List<String> sentences = new ArrayList<>();
    for (String key : unknown) {
      sentences.add("unknown key " + key + " has no effect (" + source(conf, key)
          + "); did you mean " + closest(key, known) + "? Every key is listed in "
          + defaultResource);
    }
    return sentences;
  }

  static String closest(String key, Set<String> known) {
    LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
    return known.stream().min(Comparator.comparingInt((String k) -> distance.apply(key, k))
        .thenComparing(Comparator.naturalOrder())).orElseThrow();
  }

  private static String source(Configuration conf, String key) {
    String[] sources = conf.getPropertySources(key);
    return "source: " + (sources == null || sources.length == 0 ? "programmatically"
        : sources[sources.length - 1]);
  }

  /** The names in the resource; read as XML, since Configuration drops keys with no value. */
  private static Set<String> knownKeys(String resource) {
    Set<String> keys = new TreeSet<>();
    URL url = UnknownKeys.class.getClassLoader().getResource(resource);
    if (url == null) {
      return keys;
    }
    try (InputStream in = url.openStream()) {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      NodeList names = factory.newDocumentBuilder().parse(in).getElementsByTagName("name");
      for (int i = 0; i < names.getLength(); i++) {
        keys.add(names.item(i).getTextContent().trim());
      }
    } catch (IOException | ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("cannot read " + url + ", which ships with Marvel", e);
    }
    return keys;
  }
}
