/* Thread-locals as a C compiler lays them out in an executable (local-exec accesses, offsets
   from the thread pointer fixed at link time). The `threads` example checks that barecall's
   TLS gives every thread its own copy: `.tdata` holding these initial values, `.tbss` zero,
   and the 64-byte alignment kept. */

__thread int c_tdata = 42;
__thread long c_tbss;
__thread char c_aligned[3] __attribute__((aligned(64))) = {1, 2, 3};

int c_tls_tdata(void) { return c_tdata; }
void c_tls_set_tdata(int value) { c_tdata = value; }
long c_tls_tbss(void) { return c_tbss; }
void c_tls_set_tbss(long value) { c_tbss = value; }
int *c_tls_tdata_address(void) { return &c_tdata; }
const char *c_tls_aligned(void) { return c_aligned; }
