/* What trap.S hands over: the timer interrupt is expected, anything else ends the program. */
#include <stdio.h>
#include <unistd.h>
#include "runtime.h"

#define MCAUSE_INTERRUPT (1ull << 63)
#define IRQ_M_TIMER 7

void trap_handler(void)
{
	uint64_t mcause = CSR_READ(mcause);
	if (mcause == (MCAUSE_INTERRUPT | IRQ_M_TIMER)) {
		timer_interrupt();
		return;
	}
	printf("trap: unexpected mcause=0x%016lx mepc=0x%016lx mtval=0x%016lx\n",
	       mcause, CSR_READ(mepc), CSR_READ(mtval));
	_exit(EXIT_TRAP);
}
