package org.crtrmotion.vm.cpu;

/**
 * The decode cache of one 4 KiB physical page: a decoded instruction per 2-byte slot, filled lazily
 * as instructions are first executed. A slot holding 0 was never decoded.
 */
final class DecodedPage {
  static final int SLOTS = 2048;

  final int pageIndex; // index of the physical page in guest RAM
  final byte[] bytes; // the page's backing array
  final long[] slots = new long[SLOTS]; // decoded instructions, see Decoder

  DecodedPage(int pageIndex, byte[] bytes) {
    this.pageIndex = pageIndex;
    this.bytes = bytes;
  }
}
