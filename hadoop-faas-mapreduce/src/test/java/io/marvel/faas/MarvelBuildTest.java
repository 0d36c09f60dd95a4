package io.marvel.faas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.marvel.MarvelBuild;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class MarvelBuildTest {
  /** The version, and so the default task image, comes from the build: the module's pom. */
  @Test
  void isTheVersionOfTheBuild() throws Exception {
    Element parent = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Path.of("pom.xml").toFile()).getElementsByTagName("parent").item(0);
    String pomVersion = parent.getElementsByTagName("version").item(0).getTextContent().trim();
    assertEquals(pomVersion, MarvelBuild.VERSION);
    assertEquals("marvel/task-runtime:" + pomVersion, MarvelBuild.TASK_IMAGE);
    assertEquals(MarvelBuild.TASK_IMAGE, FaasConfigKeys.ACTION_IMAGE_DEFAULT);
  }
}
