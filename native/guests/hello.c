/* The smallest guest: one line, then exit through the finisher. */
#include <stdio.h>
#include "runtime.h"

int main(void)
{
	/* Failure paths on demand, so that a harness can test how it reports them. */
	uint64_t code = 0, trap = 0;
	const struct arg args[] = {
		{ "exit", &code, 0 },
		{ "trap", &trap, 0 },
		{ 0 },
	};
	args_parse(args);
	if (code > 255)
		args_reject("exit", "a process exit status ranges from 0 to 255");
	printf("Hello from crtr-motion guest\n");
	if (trap)
		__asm__ volatile("ecall");
	return (int)code;
}
