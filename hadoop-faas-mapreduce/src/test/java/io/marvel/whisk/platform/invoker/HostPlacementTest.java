package io.marvel.whisk.platform.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.marvel.whisk.platform.container.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HostPlacementTest {
  private static final List<Placement> HOSTS = List.of(host(0), host(1), host(2));

  private static Placement host(int index) {
    return new Placement("host" + index, List.of("prefix" + index), "198.18.0." + (index + 1),
        Map.of());
  }

  private static List<String> draw(HostPlacement placement, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(placement.next().name());
    }
    return names;
  }

  @Test
  void roundRobinTakesTheHostsInTurn() {
    assertEquals(List.of("host0", "host1", "host2", "host0", "host1", "host2", "host0"),
        draw(HostPlacement.roundRobin(HOSTS), 7));
  }

  @Test
  void randomWithTheSameSeedGivesTheSameHostsAndUsesThemAll() {
    List<String> first = draw(HostPlacement.random(HOSTS, 42), 60);
    assertEquals(first, draw(HostPlacement.random(HOSTS, 42), 60));
    Set<String> used = new TreeSet<>(first);
    assertEquals(Set.of("host0", "host1", "host2"), used);
  }

  @Test
  void needsAHost() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HostPlacement.roundRobin(List.of()));
    assertEquals("a host placement needs at least one host", e.getMessage());
  }
}
