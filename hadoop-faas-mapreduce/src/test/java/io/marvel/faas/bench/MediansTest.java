package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MediansTest {
  @Test
  void middleOfAnOddCountWhateverTheOrder() {
    assertEquals(40.0, Medians.of(List.of(41.0, 38.0, 40.0)));
    assertEquals(7.0, Medians.of(List.of(7.0)));
  }

  @Test
  void meanOfTheMiddleTwoOfAnEvenCount() {
    assertEquals(25.0, Medians.of(List.of(30.0, 10.0, 20.0, 90.0)));
  }

  @Test
  void runsWithoutTheFigureAreLeftOut() {
    assertEquals(2.0, Medians.of(List.of(Double.NaN, 1.0, 3.0, Double.NaN)));
    assertTrue(Double.isNaN(Medians.of(List.of(Double.NaN))));
    assertTrue(Double.isNaN(Medians.of(List.of())));
  }
}
