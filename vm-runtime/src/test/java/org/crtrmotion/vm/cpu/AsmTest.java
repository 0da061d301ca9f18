package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The compressed encoders of {@link Asm} produce the parcels whose expansions (checked against the
 * GNU assembler in {@link RvcTest}) are the intended base instructions, so execution tests built
 * from them test what they say.
 */
class AsmTest {
  private static void assertExpandsTo(int base, int parcel) {
    assertEquals(
        Integer.toHexString(base),
        Integer.toHexString(Rvc.expand(parcel)),
        "parcel 0x" + Integer.toHexString(parcel));
  }

  @Test
  void computationalParcelsExpandToTheirBaseInstructions() {
    assertExpandsTo(addi(0, 0, 0), cNop());
    assertExpandsTo(addi(5, 5, -3), cAddi(5, -3));
    assertExpandsTo(addi(9, 9, 31), cAddi(9, 31));
    assertExpandsTo(addiw(5, 5, -1), cAddiw(5, -1));
    assertExpandsTo(addi(7, 0, -32), cLi(7, -32));
    assertExpandsTo(lui(6, 0xfffe0), cLui(6, 0xfffe0));
    assertExpandsTo(lui(6, 0x1f), cLui(6, 0x1f));
    assertExpandsTo(slli(5, 5, 63), cSlli(5, 63));
    assertExpandsTo(add(5, 0, 6), cMv(5, 6));
    assertExpandsTo(add(5, 5, 6), cAdd(5, 6));
  }

  @Test
  void controlTransferParcelsExpandToTheirBaseInstructions() {
    assertExpandsTo(jalr(0, 6, 0), cJr(6));
    assertExpandsTo(jalr(1, 6, 0), cJalr(6));
    assertExpandsTo(ebreak(), cEbreak());
    for (int off :
        new int[] {
          2, -2, 0x7fe, -0x800, 0x2a, -0x156, 0x400, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200
        }) {
      assertExpandsTo(jal(0, off), cJ(off));
    }
    for (int off : new int[] {2, -2, 0xfe, -0x100, 0x6, 0x18, 0x20, 0x40, 0x80}) {
      assertExpandsTo(beq(9, 0, off), cBeqz(9, off));
      assertExpandsTo(bne(15, 0, off), cBnez(15, off));
    }
  }

  @Test
  void memoryParcelsExpandToTheirBaseInstructions() {
    for (int off : new int[] {0, 4, 8, 16, 32, 64, 124}) {
      assertExpandsTo(lw(8, 9, off), cLw(8, 9, off));
      assertExpandsTo(sw(10, 11, off), cSw(10, 11, off));
    }
    for (int off : new int[] {0, 8, 16, 32, 64, 128, 248}) {
      assertExpandsTo(ld(12, 13, off), cLd(12, 13, off));
      assertExpandsTo(sd(14, 15, off), cSd(14, 15, off));
      assertExpandsTo(fld(8, 10, off), cFld(8, 10, off));
    }
    for (int off : new int[] {0, 8, 16, 32, 64, 128, 256, 504}) {
      assertExpandsTo(ld(5, 2, off), cLdsp(5, off));
      assertExpandsTo(sd(6, 2, off), cSdsp(6, off));
    }
  }
}
