package org.crtrmotion.vm.loader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.crtrmotion.vm.loader.BootImage.Segment;

/** Holds every {@link BootImage} to its promise: at least one segment, none overlapping. */
final class Segments {

  private Segments() {}

  static List<Segment> checked(List<Segment> segments) {
    List<Segment> copy = List.copyOf(segments);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("an image needs at least one segment");
    }
    List<Segment> byAddress = new ArrayList<>(copy);
    byAddress.sort(Comparator.comparing(Segment::physicalAddress, Long::compareUnsigned));
    for (int i = 1; i < byAddress.size(); i++) {
      if (byAddress.get(i - 1).overlaps(byAddress.get(i))) {
        throw new IllegalArgumentException(
            "segments overlap: " + byAddress.get(i - 1) + " and " + byAddress.get(i));
      }
    }
    return copy;
  }
}
