/* A bare-metal picolibc program with the HTIF mailboxes riscv-tests use, initialised data
 * (which picolibc's linker script places in RAM but loads from "flash", so its segment's
 * physical and virtual addresses differ) and a large .bss. */
#include <stdint.h>

volatile uint64_t tohost __attribute__((aligned(64)));
volatile uint64_t fromhost __attribute__((aligned(64)));
int counter = 42;
char scratch[8192];

void _exit(int code)
{
    *(volatile uint32_t *)0x100000 = code ? ((uint32_t)code << 16) | 0x3333 : 0x5555;
    for (;;)
        ;
}

int main(void)
{
    scratch[0] = (char)counter;
    tohost = 1;
    return 0;
}
