package org.crtrmotion.actors.migration;

/**
 * Bytes a migration put on the link, by what they carried (as framed and compressed on the wire).
 */
public record BytesByKind(long checkpoint, long trace, long pages, long control) {

  public static final BytesByKind NONE = new BytesByKind(0, 0, 0, 0);

  public BytesByKind {
    if (checkpoint < 0 || trace < 0 || pages < 0 || control < 0) {
      throw new IllegalArgumentException("byte counts cannot be negative");
    }
  }

  public long total() {
    return checkpoint + trace + pages + control;
  }

  public BytesByKind plus(BytesByKind other) {
    return new BytesByKind(
        checkpoint + other.checkpoint,
        trace + other.trace,
        pages + other.pages,
        control + other.control);
  }
}
