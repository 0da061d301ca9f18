package org.crtrmotion.vm.loader;

/**
 * A boot image the machine cannot load. The message always names what is wrong and where (which
 * header, which offset), because the person reading it usually has only the file and the message.
 */
public final class ImageFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ImageFormatException(String message) {
    super(message);
  }

  public ImageFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
