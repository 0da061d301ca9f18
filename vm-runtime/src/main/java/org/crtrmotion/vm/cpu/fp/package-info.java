/**
 * The RISC-V F and D extensions' arithmetic: IEEE-754 binary32/binary64 in all five static rounding
 * modes with exact {@code fflags}, as a pure-Java library. {@link
 * org.crtrmotion.vm.cpu.fp.SoftFloat} is the only entry point; {@link
 * org.crtrmotion.vm.cpu.fp.FpStatus} carries the accrued flags.
 *
 * <p>What stays with the CPU: resolving the dynamic rounding mode (7) from {@code frm} and raising
 * illegal-instruction for the reserved modes 5 and 6 or an invalid {@code frm}; NaN-boxing (check
 * the upper 32 bits of a register holding a single and pass the canonical NaN {@code 0x7fc00000}
 * when they are not all ones; box results with {@code 0xffffffff_00000000L | (bits &
 * 0xffffffffL)}); {@code fsgnj*}, {@code fmv.*} and loads/stores, which are pure bit moves with no
 * flags and no canonicalisation; writing the flags into {@code fflags}/{@code fcsr} and marking
 * {@code mstatus.FS} dirty.
 */
package org.crtrmotion.vm.cpu.fp;
