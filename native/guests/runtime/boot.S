/*
 * First code at 0x8000_0000, linked ahead of picolibc's crt0 (see the Makefile).
 *
 * The boot ROM passes the hart id in a0 and the device-tree address in a1, but crt0 calls
 * memcpy and memset before main and loses both, so they are parked in .preserve, the one
 * RAM section crt0 neither copies into nor clears.
 */
	.option push
	/* gp is not set up yet, so the linker must not turn `la` into a gp-relative address. */
	.option norelax

	.section .text.init.enter, "ax", @progbits
	.globl _boot
_boot:
	la	t0, boot_hartid
	sd	a0, 0(t0)
	la	t0, boot_dtb
	sd	a1, 0(t0)
	/* Catch traps from the very start, even one in crt0. */
	la	t0, trap_entry
	csrw	mtvec, t0
	j	_start

	.option pop

	.section .preserve.boot, "aw", @nobits
	.balign 8
	.globl boot_hartid, boot_dtb
boot_hartid:
	.dword	0
boot_dtb:
	.dword	0
