package io.marvel.faas.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The median of a run's figures, the value {@code bench-mapreduce} compares. */
final class Medians {
  private Medians() {
  }

  /**
   * @param values the figures of every run (NaN for a run without the figure)
   * @return the median of the figures that are not NaN (the mean of the middle two for an even
   *     count), or NaN when there is none
   */
  static double of(List<Double> values) {
    List<Double> sorted = new ArrayList<>();
    for (double v : values) {
      if (!Double.isNaN(v)) {
        sorted.add(v);
      }
    }
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(sorted);
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
