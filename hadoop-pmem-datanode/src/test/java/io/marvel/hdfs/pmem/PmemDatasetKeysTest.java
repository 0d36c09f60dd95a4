package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The keys class and hdfs-pmem-default.xml list the same keys with the same defaults. */
class PmemDatasetKeysTest {
  @Test
  void keysClassAndDefaultXmlAgree() throws IllegalAccessException {
    Map<String, String> fromClass = new TreeMap<>();
    Map<String, Field> fields = new HashMap<>();
    for (Field field : PmemDatasetKeys.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        fields.put(field.getName(), field);
      }
    }
    for (Field field : fields.values()) {
      if (field.getName().endsWith("_KEY")) {
        String base = field.getName().substring(0, field.getName().length() - 4);
        Field defaultField = fields.get(base + "_DEFAULT");
        assertNotNull(defaultField, "no default for " + field.getName());
        fromClass.put((String) field.get(null), String.valueOf(defaultField.get(null)));
      }
    }
    Configuration xml = new Configuration(false);
    xml.addResource(PmemDatasetKeys.DEFAULT_RESOURCE);
    Map<String, String> fromXml = new TreeMap<>();
    for (Map.Entry<String, String> entry : xml) {
      if (entry.getKey().startsWith(PmemDatasetKeys.PREFIX)) {
        fromXml.put(entry.getKey(), entry.getValue());
      }
    }
    assertEquals(fromClass, fromXml);
  }
}
