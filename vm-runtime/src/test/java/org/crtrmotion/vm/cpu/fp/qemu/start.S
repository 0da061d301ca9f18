    .section .text.start
    .globl _start
_start:
    la sp, _stack_top
    li t0, 0x6000          # mstatus.FS = dirty: enable the FPU
    csrs mstatus, t0
    call main
    li t0, 0x100000        # sifive test device: power off
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
