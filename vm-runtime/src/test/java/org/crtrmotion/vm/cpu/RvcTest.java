package org.crtrmotion.vm.cpu;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.crtrmotion.vm.cpu.GnuBinutils.Instruction;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The expected words in the tables below were produced by the GNU assembler from the base
 * instruction in each description (with {@code .option norvc}), not by {@link Rvc}; the parcels
 * come from assembling the compressed form, or are written by hand for HINTs, which the assembler
 * will not emit. Each table puts immediates at their extremes and then walks a single one bit
 * through every immediate bit, because the scrambled RVC immediates are where expanders go wrong
 * and an all-ones immediate cannot catch two swapped bits.
 */
class RvcTest {

  @Nested
  class Quadrant0 {

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x0040 | 0x00410413 | c.addi4spn x8,x2,4 -> addi x8,x2,4",
          "0x1ffc | 0x3fc10793 | c.addi4spn x15,x2,1020 -> addi x15,x2,1020",
          "0x0024 | 0x00810493 | c.addi4spn x9,x2,8 -> addi x9,x2,8",
          "0x0804 | 0x01010493 | c.addi4spn x9,x2,16 -> addi x9,x2,16",
          "0x1004 | 0x02010493 | c.addi4spn x9,x2,32 -> addi x9,x2,32",
          "0x0084 | 0x04010493 | c.addi4spn x9,x2,64 -> addi x9,x2,64",
          "0x0104 | 0x08010493 | c.addi4spn x9,x2,128 -> addi x9,x2,128",
          "0x0204 | 0x10010493 | c.addi4spn x9,x2,256 -> addi x9,x2,256",
          "0x0404 | 0x20010493 | c.addi4spn x9,x2,512 -> addi x9,x2,512"
        })
    void addi4spnAddsZeroExtendedImmediateScaledByFourToStackPointer(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x2380 | 0x0007b407 | c.fld f8,0(x15) -> fld f8,0(x15)",
          "0x3c7c | 0x0f843787 | c.fld f15,248(x8) -> fld f15,248(x8)",
          "0x2704 | 0x00873487 | c.fld f9,8(x14) -> fld f9,8(x14)",
          "0x2b04 | 0x01073487 | c.fld f9,16(x14) -> fld f9,16(x14)",
          "0x3304 | 0x02073487 | c.fld f9,32(x14) -> fld f9,32(x14)",
          "0x2324 | 0x04073487 | c.fld f9,64(x14) -> fld f9,64(x14)",
          "0x2344 | 0x08073487 | c.fld f9,128(x14) -> fld f9,128(x14)"
        })
    void fldLoadsDoubleFromBasePlusOffsetScaledByEight(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x4380 | 0x0007a403 | c.lw x8,0(x15) -> lw x8,0(x15)",
          "0x5c7c | 0x07c42783 | c.lw x15,124(x8) -> lw x15,124(x8)",
          "0x4344 | 0x00472483 | c.lw x9,4(x14) -> lw x9,4(x14)",
          "0x4704 | 0x00872483 | c.lw x9,8(x14) -> lw x9,8(x14)",
          "0x4b04 | 0x01072483 | c.lw x9,16(x14) -> lw x9,16(x14)",
          "0x5304 | 0x02072483 | c.lw x9,32(x14) -> lw x9,32(x14)",
          "0x4324 | 0x04072483 | c.lw x9,64(x14) -> lw x9,64(x14)"
        })
    void lwLoadsWordFromBasePlusOffsetScaledByFour(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x6380 | 0x0007b403 | c.ld x8,0(x15) -> ld x8,0(x15)",
          "0x7c7c | 0x0f843783 | c.ld x15,248(x8) -> ld x15,248(x8)",
          "0x6704 | 0x00873483 | c.ld x9,8(x14) -> ld x9,8(x14)",
          "0x6b04 | 0x01073483 | c.ld x9,16(x14) -> ld x9,16(x14)",
          "0x7304 | 0x02073483 | c.ld x9,32(x14) -> ld x9,32(x14)",
          "0x6324 | 0x04073483 | c.ld x9,64(x14) -> ld x9,64(x14)",
          "0x6344 | 0x08073483 | c.ld x9,128(x14) -> ld x9,128(x14)"
        })
    void ldTakesTheRv32FlwOpcodeAndLoadsDoubleWord(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0xa380 | 0x0087b027 | c.fsd f8,0(x15) -> fsd f8,0(x15)",
          "0xbc7c | 0x0ef43c27 | c.fsd f15,248(x8) -> fsd f15,248(x8)",
          "0xa704 | 0x00973427 | c.fsd f9,8(x14) -> fsd f9,8(x14)",
          "0xab04 | 0x00973827 | c.fsd f9,16(x14) -> fsd f9,16(x14)",
          "0xb304 | 0x02973027 | c.fsd f9,32(x14) -> fsd f9,32(x14)",
          "0xa324 | 0x04973027 | c.fsd f9,64(x14) -> fsd f9,64(x14)",
          "0xa344 | 0x08973027 | c.fsd f9,128(x14) -> fsd f9,128(x14)"
        })
    void fsdStoresDoubleToBasePlusOffsetScaledByEight(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0xc380 | 0x0087a023 | c.sw x8,0(x15) -> sw x8,0(x15)",
          "0xdc7c | 0x06f42e23 | c.sw x15,124(x8) -> sw x15,124(x8)",
          "0xc344 | 0x00972223 | c.sw x9,4(x14) -> sw x9,4(x14)",
          "0xc704 | 0x00972423 | c.sw x9,8(x14) -> sw x9,8(x14)",
          "0xcb04 | 0x00972823 | c.sw x9,16(x14) -> sw x9,16(x14)",
          "0xd304 | 0x02972023 | c.sw x9,32(x14) -> sw x9,32(x14)",
          "0xc324 | 0x04972023 | c.sw x9,64(x14) -> sw x9,64(x14)"
        })
    void swStoresWordToBasePlusOffsetScaledByFour(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0xe380 | 0x0087b023 | c.sd x8,0(x15) -> sd x8,0(x15)",
          "0xfc7c | 0x0ef43c23 | c.sd x15,248(x8) -> sd x15,248(x8)",
          "0xe704 | 0x00973423 | c.sd x9,8(x14) -> sd x9,8(x14)",
          "0xeb04 | 0x00973823 | c.sd x9,16(x14) -> sd x9,16(x14)",
          "0xf304 | 0x02973023 | c.sd x9,32(x14) -> sd x9,32(x14)",
          "0xe324 | 0x04973023 | c.sd x9,64(x14) -> sd x9,64(x14)",
          "0xe344 | 0x08973023 | c.sd x9,128(x14) -> sd x9,128(x14)"
        })
    void sdTakesTheRv32FswOpcodeAndStoresDoubleWord(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }
  }

  @Nested
  class Quadrant1 {

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x0001 | 0x00000013 | c.nop -> addi x0,x0,0",
          "0x0005 | 0x00100013 | hint c.addi x0,1 -> addi x0,x0,1",
          "0x107d | 0xfff00013 | hint c.addi x0,-1 -> addi x0,x0,-1",
          "0x1001 | 0xfe000013 | hint c.addi x0,-32 -> addi x0,x0,-32",
          "0x007d | 0x01f00013 | hint c.addi x0,31 -> addi x0,x0,31"
        })
    void nopAndItsHintsAddToX0(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x1081 | 0xfe008093 | c.addi x1,-32 -> addi x1,x1,-32",
          "0x0ffd | 0x01ff8f93 | c.addi x31,31 -> addi x31,x31,31",
          "0x147d | 0xfff40413 | c.addi x8,-1 -> addi x8,x8,-1",
          "0x0785 | 0x00178793 | c.addi x15,1 -> addi x15,x15,1",
          "0x0789 | 0x00278793 | c.addi x15,2 -> addi x15,x15,2",
          "0x0791 | 0x00478793 | c.addi x15,4 -> addi x15,x15,4",
          "0x07a1 | 0x00878793 | c.addi x15,8 -> addi x15,x15,8",
          "0x07c1 | 0x01078793 | c.addi x15,16 -> addi x15,x15,16",
          "0x0281 | 0x00028293 | hint c.addi x5,0 -> addi x5,x5,0"
        })
    void addiAddsSignExtendedImmediateInPlace(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x3081 | 0xfe00809b | c.addiw x1,-32 -> addiw x1,x1,-32",
          "0x2ffd | 0x01ff8f9b | c.addiw x31,31 -> addiw x31,x31,31",
          "0x2781 | 0x0007879b | c.addiw x15,0 -> addiw x15,x15,0",
          "0x2405 | 0x0014041b | c.addiw x8,1 -> addiw x8,x8,1",
          "0x2409 | 0x0024041b | c.addiw x8,2 -> addiw x8,x8,2",
          "0x2411 | 0x0044041b | c.addiw x8,4 -> addiw x8,x8,4",
          "0x2421 | 0x0084041b | c.addiw x8,8 -> addiw x8,x8,8",
          "0x2441 | 0x0104041b | c.addiw x8,16 -> addiw x8,x8,16"
        })
    void addiwTakesTheRv32JalOpcodeAndAddsWordImmediate(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x5081 | 0xfe000093 | c.li x1,-32 -> addi x1,x0,-32",
          "0x4ffd | 0x01f00f93 | c.li x31,31 -> addi x31,x0,31",
          "0x4501 | 0x00000513 | c.li x10,0 -> addi x10,x0,0",
          "0x4405 | 0x00100413 | c.li x8,1 -> addi x8,x0,1",
          "0x4409 | 0x00200413 | c.li x8,2 -> addi x8,x0,2",
          "0x4411 | 0x00400413 | c.li x8,4 -> addi x8,x0,4",
          "0x4421 | 0x00800413 | c.li x8,8 -> addi x8,x0,8",
          "0x4441 | 0x01000413 | c.li x8,16 -> addi x8,x0,16",
          "0x4015 | 0x00500013 | hint c.li x0,5 -> addi x0,x0,5",
          "0x5001 | 0xfe000013 | hint c.li x0,-32 -> addi x0,x0,-32"
        })
    void liAddsSignExtendedImmediateToX0(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x7101 | 0xe0010113 | c.addi16sp x2,-512 -> addi x2,x2,-512",
          "0x617d | 0x1f010113 | c.addi16sp x2,496 -> addi x2,x2,496",
          "0x717d | 0xff010113 | c.addi16sp x2,-16 -> addi x2,x2,-16",
          "0x6141 | 0x01010113 | c.addi16sp x2,16 -> addi x2,x2,16",
          "0x6105 | 0x02010113 | c.addi16sp x2,32 -> addi x2,x2,32",
          "0x6121 | 0x04010113 | c.addi16sp x2,64 -> addi x2,x2,64",
          "0x6109 | 0x08010113 | c.addi16sp x2,128 -> addi x2,x2,128",
          "0x6111 | 0x10010113 | c.addi16sp x2,256 -> addi x2,x2,256"
        })
    void addi16spAdjustsStackPointerBySignedMultipleOfSixteen(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x7081 | 0xfffe00b7 | c.lui x1,0xfffe0 -> lui x1,0xfffe0",
          "0x6ffd | 0x0001ffb7 | c.lui x31,0x1f -> lui x31,0x1f",
          "0x71fd | 0xfffff1b7 | c.lui x3,0xfffff -> lui x3,0xfffff",
          "0x6405 | 0x00001437 | c.lui x8,1 -> lui x8,1",
          "0x6409 | 0x00002437 | c.lui x8,2 -> lui x8,2",
          "0x6411 | 0x00004437 | c.lui x8,4 -> lui x8,4",
          "0x6421 | 0x00008437 | c.lui x8,8 -> lui x8,8",
          "0x6441 | 0x00010437 | c.lui x8,16 -> lui x8,16",
          "0x6005 | 0x00001037 | hint c.lui x0,0x1 -> lui x0,1",
          "0x7001 | 0xfffe0037 | hint c.lui x0,0xfffe0 -> lui x0,0xfffe0"
        })
    void luiLoadsSignExtendedUpperImmediate(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x8005 | 0x00145413 | c.srli x8,1 -> srli x8,x8,1",
          "0x93fd | 0x03f7d793 | c.srli x15,63 -> srli x15,x15,63",
          "0x8089 | 0x0024d493 | c.srli x9,2 -> srli x9,x9,2",
          "0x8091 | 0x0044d493 | c.srli x9,4 -> srli x9,x9,4",
          "0x80a1 | 0x0084d493 | c.srli x9,8 -> srli x9,x9,8",
          "0x80c1 | 0x0104d493 | c.srli x9,16 -> srli x9,x9,16",
          "0x9081 | 0x0204d493 | c.srli x9,32 -> srli x9,x9,32",
          "0x8001 | 0x00045413 | hint c.srli64 x8 -> srli x8,x8,0",
          "0x8381 | 0x0007d793 | hint c.srli64 x15 -> srli x15,x15,0"
        })
    void srliShiftsRightLogicallyBySixBitAmount(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x947d | 0x43f45413 | c.srai x8,63 -> srai x8,x8,63",
          "0x8785 | 0x4017d793 | c.srai x15,1 -> srai x15,x15,1",
          "0x8489 | 0x4024d493 | c.srai x9,2 -> srai x9,x9,2",
          "0x8491 | 0x4044d493 | c.srai x9,4 -> srai x9,x9,4",
          "0x84a1 | 0x4084d493 | c.srai x9,8 -> srai x9,x9,8",
          "0x84c1 | 0x4104d493 | c.srai x9,16 -> srai x9,x9,16",
          "0x9481 | 0x4204d493 | c.srai x9,32 -> srai x9,x9,32",
          "0x8401 | 0x40045413 | hint c.srai64 x8 -> srai x8,x8,0",
          "0x8781 | 0x4007d793 | hint c.srai64 x15 -> srai x15,x15,0"
        })
    void sraiShiftsRightArithmeticallyBySixBitAmount(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x9801 | 0xfe047413 | c.andi x8,-32 -> andi x8,x8,-32",
          "0x8bfd | 0x01f7f793 | c.andi x15,31 -> andi x15,x15,31",
          "0x8881 | 0x0004f493 | c.andi x9,0 -> andi x9,x9,0",
          "0x9b7d | 0xfff77713 | c.andi x14,-1 -> andi x14,x14,-1",
          "0x8905 | 0x00157513 | c.andi x10,1 -> andi x10,x10,1",
          "0x8909 | 0x00257513 | c.andi x10,2 -> andi x10,x10,2",
          "0x8911 | 0x00457513 | c.andi x10,4 -> andi x10,x10,4",
          "0x8921 | 0x00857513 | c.andi x10,8 -> andi x10,x10,8",
          "0x8941 | 0x01057513 | c.andi x10,16 -> andi x10,x10,16"
        })
    void andiMasksWithSignExtendedImmediate(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x8c1d | 0x40f40433 | c.sub x8,x15 -> sub x8,x8,x15",
          "0x8f81 | 0x408787b3 | c.sub x15,x8 -> sub x15,x15,x8",
          "0x8d91 | 0x40c585b3 | c.sub x11,x12 -> sub x11,x11,x12",
          "0x8c3d | 0x00f44433 | c.xor x8,x15 -> xor x8,x8,x15",
          "0x8fa1 | 0x0087c7b3 | c.xor x15,x8 -> xor x15,x15,x8",
          "0x8db1 | 0x00c5c5b3 | c.xor x11,x12 -> xor x11,x11,x12",
          "0x8c5d | 0x00f46433 | c.or x8,x15 -> or x8,x8,x15",
          "0x8fc1 | 0x0087e7b3 | c.or x15,x8 -> or x15,x15,x8",
          "0x8dd1 | 0x00c5e5b3 | c.or x11,x12 -> or x11,x11,x12",
          "0x8c7d | 0x00f47433 | c.and x8,x15 -> and x8,x8,x15",
          "0x8fe1 | 0x0087f7b3 | c.and x15,x8 -> and x15,x15,x8",
          "0x8df1 | 0x00c5f5b3 | c.and x11,x12 -> and x11,x11,x12",
          "0x9c1d | 0x40f4043b | c.subw x8,x15 -> subw x8,x8,x15",
          "0x9f81 | 0x408787bb | c.subw x15,x8 -> subw x15,x15,x8",
          "0x9d91 | 0x40c585bb | c.subw x11,x12 -> subw x11,x11,x12",
          "0x9c3d | 0x00f4043b | c.addw x8,x15 -> addw x8,x8,x15",
          "0x9fa1 | 0x008787bb | c.addw x15,x8 -> addw x15,x15,x8",
          "0x9db1 | 0x00c585bb | c.addw x11,x12 -> addw x11,x11,x12"
        })
    void subXorOrAndSubwAddwOperateInPlaceOnCompressedRegisters(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0xb001 | 0x801ff06f | c.j .-2048 -> jal x0,.-2048",
          "0xaffd | 0x7fe0006f | c.j .+2046 -> jal x0,.+2046",
          "0xbffd | 0xfffff06f | c.j .-2 -> jal x0,.-2",
          "0xa009 | 0x0020006f | c.j .+2 -> jal x0,.+2",
          "0xa011 | 0x0040006f | c.j .+4 -> jal x0,.+4",
          "0xa021 | 0x0080006f | c.j .+8 -> jal x0,.+8",
          "0xa801 | 0x0100006f | c.j .+16 -> jal x0,.+16",
          "0xa005 | 0x0200006f | c.j .+32 -> jal x0,.+32",
          "0xa081 | 0x0400006f | c.j .+64 -> jal x0,.+64",
          "0xa041 | 0x0800006f | c.j .+128 -> jal x0,.+128",
          "0xa201 | 0x1000006f | c.j .+256 -> jal x0,.+256",
          "0xa401 | 0x2000006f | c.j .+512 -> jal x0,.+512",
          "0xa101 | 0x4000006f | c.j .+1024 -> jal x0,.+1024"
        })
    void jJumpsBySignedOffsetWithoutLinking(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0xd001 | 0xf00400e3 | c.beqz x8,.-256 -> beq x8,x0,.-256",
          "0xcffd | 0x0e078f63 | c.beqz x15,.+254 -> beq x15,x0,.+254",
          "0xdcfd | 0xfe048fe3 | c.beqz x9,.-2 -> beq x9,x0,.-2",
          "0xc309 | 0x00070163 | c.beqz x14,.+2 -> beq x14,x0,.+2",
          "0xc311 | 0x00070263 | c.beqz x14,.+4 -> beq x14,x0,.+4",
          "0xc701 | 0x00070463 | c.beqz x14,.+8 -> beq x14,x0,.+8",
          "0xcb01 | 0x00070863 | c.beqz x14,.+16 -> beq x14,x0,.+16",
          "0xc305 | 0x02070063 | c.beqz x14,.+32 -> beq x14,x0,.+32",
          "0xc321 | 0x04070063 | c.beqz x14,.+64 -> beq x14,x0,.+64",
          "0xc341 | 0x08070063 | c.beqz x14,.+128 -> beq x14,x0,.+128"
        })
    void beqzComparesWithX0(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0xf001 | 0xf00410e3 | c.bnez x8,.-256 -> bne x8,x0,.-256",
          "0xeffd | 0x0e079f63 | c.bnez x15,.+254 -> bne x15,x0,.+254",
          "0xfcfd | 0xfe049fe3 | c.bnez x9,.-2 -> bne x9,x0,.-2",
          "0xe309 | 0x00071163 | c.bnez x14,.+2 -> bne x14,x0,.+2",
          "0xe311 | 0x00071263 | c.bnez x14,.+4 -> bne x14,x0,.+4",
          "0xe701 | 0x00071463 | c.bnez x14,.+8 -> bne x14,x0,.+8",
          "0xeb01 | 0x00071863 | c.bnez x14,.+16 -> bne x14,x0,.+16",
          "0xe305 | 0x02071063 | c.bnez x14,.+32 -> bne x14,x0,.+32",
          "0xe321 | 0x04071063 | c.bnez x14,.+64 -> bne x14,x0,.+64",
          "0xe341 | 0x08071063 | c.bnez x14,.+128 -> bne x14,x0,.+128"
        })
    void bnezComparesWithX0(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }
  }

  @Nested
  class Quadrant2 {

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x0086 | 0x00109093 | c.slli x1,1 -> slli x1,x1,1",
          "0x1ffe | 0x03ff9f93 | c.slli x31,63 -> slli x31,x31,63",
          "0x040a | 0x00241413 | c.slli x8,2 -> slli x8,x8,2",
          "0x0412 | 0x00441413 | c.slli x8,4 -> slli x8,x8,4",
          "0x0422 | 0x00841413 | c.slli x8,8 -> slli x8,x8,8",
          "0x0442 | 0x01041413 | c.slli x8,16 -> slli x8,x8,16",
          "0x1402 | 0x02041413 | c.slli x8,32 -> slli x8,x8,32",
          "0x0016 | 0x00501013 | hint c.slli x0,0x5 -> slli x0,x0,5",
          "0x0282 | 0x00029293 | hint c.slli64 x5 -> slli x5,x5,0",
          "0x0002 | 0x00001013 | hint c.slli64 x0 -> slli x0,x0,0"
        })
    void slliShiftsLeftBySixBitAmount(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x2002 | 0x00013007 | c.fldsp f0,0(x2) -> fld f0,0(x2)",
          "0x3ffe | 0x1f813f87 | c.fldsp f31,504(x2) -> fld f31,504(x2)",
          "0x2422 | 0x00813407 | c.fldsp f8,8(x2) -> fld f8,8(x2)",
          "0x2442 | 0x01013407 | c.fldsp f8,16(x2) -> fld f8,16(x2)",
          "0x3402 | 0x02013407 | c.fldsp f8,32(x2) -> fld f8,32(x2)",
          "0x2406 | 0x04013407 | c.fldsp f8,64(x2) -> fld f8,64(x2)",
          "0x240a | 0x08013407 | c.fldsp f8,128(x2) -> fld f8,128(x2)",
          "0x2412 | 0x10013407 | c.fldsp f8,256(x2) -> fld f8,256(x2)"
        })
    void fldspLoadsDoubleFromStackPointerPlusOffsetScaledByEight(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x4082 | 0x00012083 | c.lwsp x1,0(x2) -> lw x1,0(x2)",
          "0x5ffe | 0x0fc12f83 | c.lwsp x31,252(x2) -> lw x31,252(x2)",
          "0x4412 | 0x00412403 | c.lwsp x8,4(x2) -> lw x8,4(x2)",
          "0x4422 | 0x00812403 | c.lwsp x8,8(x2) -> lw x8,8(x2)",
          "0x4442 | 0x01012403 | c.lwsp x8,16(x2) -> lw x8,16(x2)",
          "0x5402 | 0x02012403 | c.lwsp x8,32(x2) -> lw x8,32(x2)",
          "0x4406 | 0x04012403 | c.lwsp x8,64(x2) -> lw x8,64(x2)",
          "0x440a | 0x08012403 | c.lwsp x8,128(x2) -> lw x8,128(x2)"
        })
    void lwspLoadsWordFromStackPointerPlusOffsetScaledByFour(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x6082 | 0x00013083 | c.ldsp x1,0(x2) -> ld x1,0(x2)",
          "0x7ffe | 0x1f813f83 | c.ldsp x31,504(x2) -> ld x31,504(x2)",
          "0x6422 | 0x00813403 | c.ldsp x8,8(x2) -> ld x8,8(x2)",
          "0x6442 | 0x01013403 | c.ldsp x8,16(x2) -> ld x8,16(x2)",
          "0x7402 | 0x02013403 | c.ldsp x8,32(x2) -> ld x8,32(x2)",
          "0x6406 | 0x04013403 | c.ldsp x8,64(x2) -> ld x8,64(x2)",
          "0x640a | 0x08013403 | c.ldsp x8,128(x2) -> ld x8,128(x2)",
          "0x6412 | 0x10013403 | c.ldsp x8,256(x2) -> ld x8,256(x2)"
        })
    void ldspTakesTheRv32FlwspOpcodeAndLoadsDoubleWord(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x8082 | 0x00008067 | c.jr x1 -> jalr x0,0(x1)",
          "0x8f82 | 0x000f8067 | c.jr x31 -> jalr x0,0(x31)"
        })
    void jrJumpsThroughRegisterWithoutLinking(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x9082 | 0x000080e7 | c.jalr x1 -> jalr x1,0(x1)",
          "0x9f82 | 0x000f80e7 | c.jalr x31 -> jalr x1,0(x31)"
        })
    void jalrJumpsThroughRegisterAndLinksRa(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x80fe | 0x01f000b3 | c.mv x1,x31 -> add x1,x0,x31",
          "0x8f86 | 0x00100fb3 | c.mv x31,x1 -> add x31,x0,x1",
          "0x8016 | 0x00500033 | hint c.mv x0,x5 -> add x0,x0,x5"
        })
    void mvAddsSourceToX0(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0x90fe | 0x01f080b3 | c.add x1,x31 -> add x1,x1,x31",
          "0x9f86 | 0x001f8fb3 | c.add x31,x1 -> add x31,x31,x1",
          "0x9016 | 0x00500033 | hint c.add x0,x5 -> add x0,x0,x5"
        })
    void addAddsRegisterInPlace(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {"0x9002 | 0x00100073 | c.ebreak -> ebreak"})
    void ebreakExpandsToEbreak(String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0xa002 | 0x00013027 | c.fsdsp f0,0(x2) -> fsd f0,0(x2)",
          "0xbffe | 0x1ff13c27 | c.fsdsp f31,504(x2) -> fsd f31,504(x2)",
          "0xa422 | 0x00813427 | c.fsdsp f8,8(x2) -> fsd f8,8(x2)",
          "0xa822 | 0x00813827 | c.fsdsp f8,16(x2) -> fsd f8,16(x2)",
          "0xb022 | 0x02813027 | c.fsdsp f8,32(x2) -> fsd f8,32(x2)",
          "0xa0a2 | 0x04813027 | c.fsdsp f8,64(x2) -> fsd f8,64(x2)",
          "0xa122 | 0x08813027 | c.fsdsp f8,128(x2) -> fsd f8,128(x2)",
          "0xa222 | 0x10813027 | c.fsdsp f8,256(x2) -> fsd f8,256(x2)"
        })
    void fsdspStoresDoubleToStackPointerPlusOffsetScaledByEight(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0xc002 | 0x00012023 | c.swsp x0,0(x2) -> sw x0,0(x2)",
          "0xdffe | 0x0ff12e23 | c.swsp x31,252(x2) -> sw x31,252(x2)",
          "0xc222 | 0x00812223 | c.swsp x8,4(x2) -> sw x8,4(x2)",
          "0xc422 | 0x00812423 | c.swsp x8,8(x2) -> sw x8,8(x2)",
          "0xc822 | 0x00812823 | c.swsp x8,16(x2) -> sw x8,16(x2)",
          "0xd022 | 0x02812023 | c.swsp x8,32(x2) -> sw x8,32(x2)",
          "0xc0a2 | 0x04812023 | c.swsp x8,64(x2) -> sw x8,64(x2)",
          "0xc122 | 0x08812023 | c.swsp x8,128(x2) -> sw x8,128(x2)"
        })
    void swspStoresWordToStackPointerPlusOffsetScaledByFour(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "0xe002 | 0x00013023 | c.sdsp x0,0(x2) -> sd x0,0(x2)",
          "0xfffe | 0x1ff13c23 | c.sdsp x31,504(x2) -> sd x31,504(x2)",
          "0xe422 | 0x00813423 | c.sdsp x8,8(x2) -> sd x8,8(x2)",
          "0xe822 | 0x00813823 | c.sdsp x8,16(x2) -> sd x8,16(x2)",
          "0xf022 | 0x02813023 | c.sdsp x8,32(x2) -> sd x8,32(x2)",
          "0xe0a2 | 0x04813023 | c.sdsp x8,64(x2) -> sd x8,64(x2)",
          "0xe122 | 0x08813023 | c.sdsp x8,128(x2) -> sd x8,128(x2)",
          "0xe222 | 0x10813023 | c.sdsp x8,256(x2) -> sd x8,256(x2)"
        })
    void sdspTakesTheRv32FswspOpcodeAndStoresDoubleWord(
        String parcel, String expected, String description) {
      assertExpands(parcel, expected, description);
    }
  }

  @Nested
  class ReservedAndIllegal {

    @Test
    void allZeroParcelIsIllegal() {
      assertIllegal(0x0000);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0004, 0x0008, 0x000c, 0x0010, 0x0014, 0x0018, 0x001c})
    void addi4spnWithZeroImmediateIsReservedForEveryRegister(int parcel) {
      assertIllegal(parcel);
    }

    @Test
    void quadrant0Funct3Of100IsReservedThroughout() {
      IntStream.range(0, 1 << 11)
          .map(rest -> 0b100 << 13 | rest << 2)
          .forEach(RvcTest::assertIllegal);
    }

    @Test
    void addiwIntoX0IsReservedForEveryImmediate() {
      // On RV32 this code point is C.JAL; on RV64 it is C.ADDIW with rd = x0.
      IntStream.range(0, 64)
          .map(imm -> 0b001 << 13 | (imm >> 5) << 12 | (imm & 0x1f) << 2 | 0b01)
          .forEach(RvcTest::assertIllegal);
    }

    @Test
    void luiWithZeroImmediateIsReservedForEveryRegisterIncludingX0() {
      IntStream.range(0, 32)
          .filter(rd -> rd != 2)
          .map(rd -> 0b011 << 13 | rd << 7 | 0b01)
          .forEach(RvcTest::assertIllegal);
    }

    @Test
    void addi16spWithZeroImmediateIsReserved() {
      assertIllegal(0x6101);
    }

    @Test
    void registerArithmeticFunct2Of10And11WithBit12SetIsReserved() {
      IntStream.range(0, 1 << 6)
          .flatMap(
              regs ->
                  IntStream.of(0b10, 0b11)
                      .map(funct2 -> 0x9c01 | funct2 << 5 | (regs >> 3) << 7 | (regs & 0b111) << 2))
          .forEach(RvcTest::assertIllegal);
    }

    @Test
    void jrThroughX0IsReserved() {
      assertIllegal(0x8002);
    }

    @Test
    void lwspAndLdspIntoX0AreReservedForEveryOffset() {
      IntStream.range(0, 64)
          .flatMap(
              off ->
                  IntStream.of(0b010, 0b011)
                      .map(f3 -> f3 << 13 | (off >> 5) << 12 | (off & 0x1f) << 2 | 0b10))
          .forEach(RvcTest::assertIllegal);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0013, 0x0003, 0xffff, 0x8067})
    void parcelStartingA32BitInstructionIsNotExpanded(int lowHalf) {
      assertIllegal(lowHalf);
    }
  }

  @Test
  void upperHalfOfTheArgumentIsIgnored() {
    for (int parcel : new int[] {0x4501, 0x8082, 0x0000, 0xbffd, 0x9002}) {
      assertEquals(Rvc.expand(parcel), Rvc.expand(0xdead_0000 | parcel), hex16(parcel));
      assertEquals(Rvc.expand(parcel), Rvc.expand(0xffff_0000 | parcel), hex16(parcel));
    }
  }

  /**
   * Decodes all 49152 parcels with GNU binutils and checks, for each, that binutils and {@link Rvc}
   * agree on whether it is an instruction at all and, where it is, that the base form binutils
   * implies ({@code c.addi x8,-1} is {@code addi x8,x8,-1}) disassembles exactly like our
   * expansion. Both sides are decoded by objdump with no aliases and numeric register names, and
   * branch targets are compared as pc-relative offsets, so register numbers, immediates, funct
   * fields and opcodes are all checked, by a decoder that shares no code with ours.
   */
  @Nested
  class AgreesWithGnuBinutils {

    /**
     * Parcels binutils (2.40) decodes although the spec reserves them; {@link Rvc} follows the spec
     * and the sweep instead requires that they are rejected. All RVC HINTs (C.NOP with imm≠0,
     * C.ADDI with imm=0, C.LI/C.LUI/C.MV/C.ADD/C.SLLI with rd=x0, C.SLLI64, C.SRLI64, C.SRAI64) are
     * decoded by binutils as their c.* forms and by us as the corresponding base instruction, so
     * there is no disagreement over HINTs.
     */
    private static final Map<Integer, String> RESERVED_THOUGH_BINUTILS_DECODES =
        Map.of(
            0x0000,
                "objdump calls it c.unimp, which is its name for this very parcel: 'A 16-bit"
                    + " instruction with all bits zero is permanently reserved as an illegal"
                    + " instruction.'",
            0x6101,
                "objdump prints c.addi16sp x2,0, but 'C.ADDI16SP is valid only when"
                    + " nzimm≠0; the code point with nzimm=0 is reserved.'");

    /**
     * The base form of each c.* mnemonic as objdump prints it; {n} is the n-th operand of the
     * compressed form. This is the spec's "expands to" column, written against binutils' operand
     * order rather than against our decoder.
     */
    private static final Map<String, String> BASE_FORMS =
        Map.ofEntries(
            entry("c.addi4spn", "addi {0},{1},{2}"),
            entry("c.fld", "fld {0},{1}"),
            entry("c.lw", "lw {0},{1}"),
            entry("c.ld", "ld {0},{1}"),
            entry("c.fsd", "fsd {0},{1}"),
            entry("c.sw", "sw {0},{1}"),
            entry("c.sd", "sd {0},{1}"),
            entry("c.nop", "addi x0,x0,0"),
            entry("c.addi", "addi {0},{0},{1}"),
            entry("c.addiw", "addiw {0},{0},{1}"),
            entry("c.li", "addi {0},x0,{1}"),
            entry("c.addi16sp", "addi {0},{0},{1}"),
            entry("c.lui", "lui {0},{1}"),
            entry("c.srli", "srli {0},{0},{1}"),
            entry("c.srli64", "srli {0},{0},0x0"),
            entry("c.srai", "srai {0},{0},{1}"),
            entry("c.srai64", "srai {0},{0},0x0"),
            entry("c.andi", "andi {0},{0},{1}"),
            entry("c.sub", "sub {0},{0},{1}"),
            entry("c.xor", "xor {0},{0},{1}"),
            entry("c.or", "or {0},{0},{1}"),
            entry("c.and", "and {0},{0},{1}"),
            entry("c.subw", "subw {0},{0},{1}"),
            entry("c.addw", "addw {0},{0},{1}"),
            entry("c.j", "jal x0,{0}"),
            entry("c.beqz", "beq {0},x0,{1}"),
            entry("c.bnez", "bne {0},x0,{1}"),
            entry("c.slli", "slli {0},{0},{1}"),
            entry("c.slli64", "slli {0},{0},0x0"),
            entry("c.fldsp", "fld {0},{1}"),
            entry("c.lwsp", "lw {0},{1}"),
            entry("c.ldsp", "ld {0},{1}"),
            entry("c.jr", "jalr x0,0({0})"),
            entry("c.jalr", "jalr x1,0({0})"),
            entry("c.mv", "add {0},x0,{1}"),
            entry("c.add", "add {0},{0},{1}"),
            entry("c.ebreak", "ebreak"),
            entry("c.fsdsp", "fsd {0},{1}"),
            entry("c.swsp", "sw {0},{1}"),
            entry("c.sdsp", "sd {0},{1}"));

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d)}");
    private static final int DETAIL_LINES = 64;

    @Test
    void onEveryCompressedParcel(@TempDir Path workDir) throws Exception {
      assumeTrue(
          GnuBinutils.available(),
          GnuBinutils.ASSEMBLER + " and " + GnuBinutils.DISASSEMBLER + " are not on PATH");
      int[] parcels = IntStream.range(0, 1 << 16).filter(p -> (p & 0b11) != 0b11).toArray();
      assertEquals(49152, parcels.length);
      int[] expansions = IntStream.of(parcels).map(Rvc::expand).toArray();
      // Every 32-bit RISC-V word ends in 11; anything else would also misalign the batch below.
      String malformed =
          IntStream.range(0, parcels.length)
              .filter(i -> expansions[i] != Rvc.ILLEGAL && (expansions[i] & 0b11) != 0b11)
              .mapToObj(i -> String.format("%s -> %08x", hex16(parcels[i]), expansions[i]))
              .collect(Collectors.joining(", "));
      assertEquals("", malformed, "expansions that are not 32-bit instruction words");

      List<Instruction> reference = GnuBinutils.disassemble(parcels, workDir.resolve("parcels"));
      int[] expanded =
          IntStream.range(0, parcels.length).filter(i -> expansions[i] != Rvc.ILLEGAL).toArray();
      List<Instruction> ours =
          GnuBinutils.disassemble(
              IntStream.of(expanded).map(i -> expansions[i]).toArray(),
              workDir.resolve("expansions"));
      Instruction[] oursByIndex = new Instruction[parcels.length];
      for (int k = 0; k < expanded.length; k++) {
        oursByIndex[expanded[k]] = ours.get(k);
      }

      Map<String, List<String>> findings = new TreeMap<>();
      for (int i = 0; i < parcels.length; i++) {
        judge(parcels[i], reference.get(i), expansions[i], oursByIndex[i], findings);
      }
      if (!findings.isEmpty()) {
        fail(render(findings));
      }
    }

    private void judge(
        int parcel,
        Instruction binutils,
        int word,
        Instruction ours,
        Map<String, List<String>> findings) {
      String documented = RESERVED_THOUGH_BINUTILS_DECODES.get(parcel);
      if (documented != null) {
        if (word != Rvc.ILLEGAL) {
          report(findings, "expanded although the spec reserves it", parcel, ours.text());
        }
      } else if (binutils.decoded() && word == Rvc.ILLEGAL) {
        report(findings, "binutils decodes it, Rvc rejects it", parcel, binutils.text());
      } else if (!binutils.decoded() && word != Rvc.ILLEGAL) {
        report(
            findings,
            "binutils rejects it, Rvc expands it",
            parcel,
            String.format("%08x = %s", word, ours.text()));
      } else if (binutils.decoded()) {
        String expected = baseForm(binutils);
        if (!ours.text().equals(expected)) {
          report(
              findings,
              "expansion differs from binutils' reading",
              parcel,
              String.format(
                  "%s should be %s, Rvc gave %08x = %s",
                  binutils.text(), expected, word, ours.text()));
        }
      }
    }

    /** The base instruction binutils' reading of a parcel implies, or a note why there is none. */
    private String baseForm(Instruction compressed) {
      String template = BASE_FORMS.get(compressed.mnemonic());
      if (template == null) {
        return "(no base form known for " + compressed.mnemonic() + ")";
      }
      List<String> operands = compressed.operands();
      Matcher m = PLACEHOLDER.matcher(template);
      StringBuilder out = new StringBuilder();
      int used = 0;
      while (m.find()) {
        int index = Integer.parseInt(m.group(1));
        if (index >= operands.size()) {
          return "(" + compressed.text() + " has fewer operands than " + template + ")";
        }
        used = Math.max(used, index + 1);
        m.appendReplacement(out, Matcher.quoteReplacement(operands.get(index)));
      }
      m.appendTail(out);
      // An operand the template drops is a field nobody compared; treat it as a mismatch.
      return used == operands.size()
          ? out.toString()
          : "(" + compressed.text() + " has more operands than " + template + ")";
    }

    private void report(
        Map<String, List<String>> findings, String kind, int parcel, String detail) {
      findings.computeIfAbsent(kind, k -> new ArrayList<>()).add(hex16(parcel) + " " + detail);
    }

    private String render(Map<String, List<String>> findings) {
      StringBuilder out = new StringBuilder("Rvc disagrees with GNU binutils:\n");
      findings.forEach(
          (kind, lines) -> {
            out.append("\n")
                .append(kind)
                .append(" (")
                .append(lines.size())
                .append(" parcels): ")
                .append(
                    lines.stream()
                        .map(l -> l.substring(0, l.indexOf(' ')))
                        .collect(Collectors.joining(" ")))
                .append('\n');
            lines.stream()
                .limit(DETAIL_LINES)
                .forEach(l -> out.append("  ").append(l).append('\n'));
            if (lines.size() > DETAIL_LINES) {
              out.append("  ... ").append(lines.size() - DETAIL_LINES).append(" more\n");
            }
          });
      return out.toString();
    }
  }

  private static void assertExpands(String parcel, String expected, String description) {
    int expectedWord = parseHex(expected);
    int actual = Rvc.expand(parseHex(parcel));
    assertEquals(
        expectedWord,
        actual,
        () ->
            String.format(
                "%s: %s expanded to %08x, expected %08x",
                description, parcel, actual, expectedWord));
  }

  private static void assertIllegal(int parcel) {
    int actual = Rvc.expand(parcel);
    assertEquals(
        Rvc.ILLEGAL, actual, () -> String.format("%s expanded to %08x", hex16(parcel), actual));
  }

  private static int parseHex(String literal) {
    return Integer.parseUnsignedInt(literal.substring(2), 16);
  }

  private static String hex16(int parcel) {
    return String.format("0x%04x", parcel);
  }
}
