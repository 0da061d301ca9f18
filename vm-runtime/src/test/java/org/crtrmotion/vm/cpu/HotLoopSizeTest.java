package org.crtrmotion.vm.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HotSpot never JIT-compiles a method whose bytecode exceeds 8000 bytes: the interpreter loop would
 * silently run ten times slower. This reads the compiled class file and keeps the hot methods under
 * the limit.
 */
class HotLoopSizeTest {
  private static final int HUGE_METHOD_LIMIT = 8000;

  @Test
  void executePageStaysCompilable() throws IOException {
    int size = bytecodeSizes(Interpreter.class).get("executePage");
    assertTrue(size < HUGE_METHOD_LIMIT, "executePage is " + size + " bytes of bytecode");
  }

  @Test
  void floatingPointDispatchStaysCompilable() throws IOException {
    int size = bytecodeSizes(FpExecutor.class).get("execute");
    assertTrue(size < HUGE_METHOD_LIMIT, "FpExecutor.execute is " + size + " bytes of bytecode");
  }

  /** Method name to the length of its Code attribute (the largest overload wins). */
  private static Map<String, Integer> bytecodeSizes(Class<?> type) throws IOException {
    String resource = type.getSimpleName() + ".class";
    try (InputStream raw = type.getResourceAsStream(resource)) {
      DataInputStream in = new DataInputStream(raw);
      in.readInt(); // magic
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      String[] utf8 = readConstantPool(in);
      in.readUnsignedShort(); // access flags
      in.readUnsignedShort(); // this class
      in.readUnsignedShort(); // super class
      in.skipBytes(2 * in.readUnsignedShort()); // interfaces
      int fields = in.readUnsignedShort();
      for (int i = 0; i < fields; i++) {
        in.skipBytes(6);
        skipAttributes(in);
      }
      Map<String, Integer> sizes = new HashMap<>();
      int methods = in.readUnsignedShort();
      for (int i = 0; i < methods; i++) {
        in.readUnsignedShort();
        String name = utf8[in.readUnsignedShort()];
        in.readUnsignedShort();
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
          String attribute = utf8[in.readUnsignedShort()];
          int length = in.readInt();
          if (attribute.equals("Code")) {
            in.readUnsignedShort(); // max stack
            in.readUnsignedShort(); // max locals
            int codeLength = in.readInt();
            sizes.merge(name, codeLength, Math::max);
            in.skipBytes(length - 8);
          } else {
            in.skipBytes(length);
          }
        }
      }
      return sizes;
    }
  }

  private static String[] readConstantPool(DataInputStream in) throws IOException {
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1:
          utf8[i] = in.readUTF();
          break;
        case 3:
        case 4:
        case 9:
        case 10:
        case 11:
        case 12:
        case 17:
        case 18:
          in.skipBytes(4);
          break;
        case 5:
        case 6:
          in.skipBytes(8);
          i++;
          break; // long and double take two slots
        case 7:
        case 8:
        case 16:
        case 19:
        case 20:
          in.skipBytes(2);
          break;
        case 15:
          in.skipBytes(3);
          break;
        default:
          throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return utf8;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int n = in.readUnsignedShort();
    for (int i = 0; i < n; i++) {
      in.readUnsignedShort();
      in.skipBytes(in.readInt());
    }
  }
}
