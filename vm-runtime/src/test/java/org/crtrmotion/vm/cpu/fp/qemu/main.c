#include <stdint.h>
#include "vectors.h"
#define UART ((volatile uint8_t *)0x10000000)
static void putc_(char c) { *UART = c; }
static void hex(uint64_t v, int digits) { for (int i = digits - 1; i >= 0; i--) putc_("0123456789abcdef"[(v >> (4*i)) & 15]); }
int main(void) {
  for (int i = 0; i < NVEC; i++) {
    uint64_t fl;
    asm volatile("csrw frm, %0; csrw fflags, zero" :: "r"((uint64_t)V[i].rm));
    uint64_t r = run(V[i].op, V[i].a, V[i].b, V[i].c);
    asm volatile("csrr %0, fflags" : "=r"(fl));
    hex(r, 16); putc_(' '); hex(fl, 2); putc_('\n');
  }
  return 0;
}
