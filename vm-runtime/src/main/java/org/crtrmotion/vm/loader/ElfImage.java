package org.crtrmotion.vm.loader;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A parsed RV64 executable, ready to copy into guest memory.
 *
 * @param entry the ELF entry point, moved to its physical address when it lies in an executable
 *     segment whose physical and virtual addresses differ (as QEMU's {@code load_elf} does)
 * @param segments the non-empty {@code PT_LOAD} segments in program-header order, each at its
 *     {@code p_paddr}
 * @param symbols defined symbols by name with their link-time values ({@code st_value}); empty for
 *     a stripped image. Global and weak symbols win over local ones of the same name. QEMU's HTIF
 *     uses {@code tohost}/{@code fromhost} values unchanged as physical addresses, and so should
 *     we.
 */
public record ElfImage(long entry, List<Segment> segments, Map<String, Long> symbols)
    implements BootImage {

  public ElfImage {
    segments = Segments.checked(segments);
    // Sorted, not Map.copyOf: that one's iteration order changes from one JVM run to the next.
    symbols = Collections.unmodifiableMap(new TreeMap<>(symbols));
  }

  public OptionalLong symbol(String name) {
    Long value = symbols.get(name);
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
