package io.marvel.faas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.junit.jupiter.api.Test;

/** faas-default.xml and FaasConfigKeys list the same keys with the same defaults. */
class FaasConfigKeysTest {
  private static Map<String, String> keysInClass() throws IllegalAccessException {
    Map<String, String> keys = new TreeMap<>();
    for (Field field : FaasConfigKeys.class.getFields()) {
      if (!Modifier.isStatic(field.getModifiers()) || !field.getName().endsWith("_KEY")) {
        continue;
      }
      String base = field.getName().substring(0, field.getName().length() - 4);
      Field fallback;
      try {
        fallback = FaasConfigKeys.class.getField(base + "_DEFAULT");
      } catch (NoSuchFieldException e) {
        throw new AssertionError(field.getName() + " has no " + base + "_DEFAULT", e);
      }
      keys.put((String) field.get(null), String.valueOf(fallback.get(null)));
    }
    return keys;
  }

  /** Parses the XML directly: Configuration drops properties whose value is empty. */
  private static Map<String, String> keysInXml() throws Exception {
    Map<String, String> keys = new TreeMap<>();
    try (InputStream in = FaasConfigKeysTest.class.getClassLoader()
        .getResourceAsStream(FaasConfigKeys.DEFAULT_RESOURCE)) {
      assertNotNull(in, FaasConfigKeys.DEFAULT_RESOURCE + " on the classpath");
      NodeList properties = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)
          .getElementsByTagName("property");
      for (int i = 0; i < properties.getLength(); i++) {
        Element property = (Element) properties.item(i);
        assertTrue(text(property, "description").length() > 20,
            "description of " + text(property, "name"));
        keys.put(text(property, "name"), text(property, "value"));
      }
    }
    return keys;
  }

  private static String text(Element property, String tag) {
    NodeList nodes = property.getElementsByTagName(tag);
    assertEquals(1, nodes.getLength(), tag + " in property");
    return nodes.item(0).getTextContent().trim();
  }

  @Test
  void xmlAndKeysClassListTheSameKeysAndDefaults() throws Exception {
    Map<String, String> xml = keysInXml();
    Map<String, String> code = keysInClass();
    assertFalse(code.isEmpty());
    assertEquals(code.keySet(), xml.keySet());
    for (Map.Entry<String, String> key : code.entrySet()) {
      assertEquals(key.getValue(), xml.get(key.getKey()), "default of " + key.getKey());
    }
  }

  @Test
  void everyKeyIsUnderThePrefixAndDocumented() throws Exception {
    for (String key : keysInXml().keySet()) {
      assertTrue(key.startsWith(FaasConfigKeys.PREFIX), key);
      assertTrue(key.equals(key.toLowerCase()) && !key.contains("_"), key);
    }
  }
}
