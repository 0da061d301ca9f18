import sys
lines = [l.split() for l in open('vectors.txt')]
ops = []
for l in lines:
    if l[0] not in ops: ops.append(l[0])

def body(op):
    fmt = op.split('.')[-1]
    base = op.split('.')[0]
    ld = {'d': 'fmv.d.x', 's': 'fmv.w.x'}
    st = {'d': 'fmv.x.d', 's': 'fmv.x.w'}
    if base in ('fadd','fsub','fmul','fdiv','fmin','fmax'):
        return f"{ld[fmt]} f0,%1; {ld[fmt]} f1,%2; {op} f2,f0,f1; {st[fmt]} %0,f2"
    if base == 'fsqrt':
        return f"{ld[fmt]} f0,%1; {op} f2,f0; {st[fmt]} %0,f2"
    if base in ('fmadd','fmsub','fnmsub','fnmadd'):
        return f"{ld[fmt]} f0,%1; {ld[fmt]} f1,%2; {ld[fmt]} f2,%3; {op} f3,f0,f1,f2; {st[fmt]} %0,f3"
    if base in ('feq','flt','fle'):
        return f"{ld[fmt]} f0,%1; {ld[fmt]} f1,%2; {op} %0,f0,f1"
    if base == 'fclass':
        return f"{ld[fmt]} f0,%1; {op} %0,f0"
    parts = op.split('.')
    src, dst = parts[2], parts[1]
    if src in ('d','s') and dst in ('w','wu','l','lu'):
        return f"{ld[src]} f0,%1; {op} %0,f0"
    if dst in ('d','s') and src in ('w','wu','l','lu'):
        return f"{op} f0,%1; {st[dst]} %0,f0"
    # format conversions
    return f"{ld[src]} f0,%1; {op} f1,f0; {st[dst]} %0,f1"

out = ['#include <stdint.h>', 'struct vec { uint8_t op, rm; uint64_t a, b, c; };', 'static const struct vec V[] = {']
for l in lines:
    out.append('{%d,%s,0x%sULL,0x%sULL,0x%sULL},' % (ops.index(l[0]), l[1], l[2], l[3], l[4]))
out.append('};')
out.append('#define NVEC %d' % len(lines))
out.append('static uint64_t run(int op, uint64_t a, uint64_t b, uint64_t c) { uint64_t r = 0; switch (op) {')
for i, op in enumerate(ops):
    out.append('case %d: asm volatile("%s" : "=r"(r) : "r"(a), "r"(b), "r"(c) : "f0","f1","f2","f3"); break;' % (i, body(op)))
out.append('} return r; }')
open('vectors.h','w').write('\n'.join(out) + '\n')
