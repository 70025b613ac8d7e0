/*
 * Exact buffer I/O for programs JIT-compiled by mlir-runner (DESIGN §7). The harness wrapper tcfuzz appends to a
 * lowered module calls these to fill @main's argument buffers from raw bytes and to hand them back afterwards, so
 * outputs never pass through printed decimals.
 *
 * TCFUZZ_IN   input file: u64 count, u64 offsets[count + 1], then each program's argument bytes back to back.
 * TCFUZZ_OUT  output file: per output buffer, u64 program index, u64 byte count, the bytes.
 * TCFUZZ_START first program index to run; earlier ones are skipped (used to resume a batch after a trap).
 *
 * Stdout is the program's own vector.print output. Each program is bracketed there by "\x1eB<k>\x1e" and
 * "\x1eE<k>\x1e" markers, and stdout is unbuffered, so text printed before a trap is not lost and the parent can
 * tell which program was running when the process died.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *in_file, *out_file;
static uint64_t count;
static uint64_t *offsets;
static int64_t start_index, current = -1;

static void die(const char *msg) {
  fprintf(stderr, "tcfuzz bufio: %s\n", msg);
  fflush(stderr);
  _exit(70);
}

static void init(void) {
  if (out_file) return;
  const char *ip = getenv("TCFUZZ_IN"), *op = getenv("TCFUZZ_OUT"), *sp = getenv("TCFUZZ_START");
  if (!ip || !op) die("TCFUZZ_IN and TCFUZZ_OUT must name the input and output files");
  in_file = fopen(ip, "rb");
  out_file = fopen(op, "wb");
  if (!in_file || !out_file) die("cannot open the input or output file");
  if (fread(&count, 8, 1, in_file) != 1) die("input file has no header");
  offsets = malloc((count + 1) * 8);
  if (!offsets || fread(offsets, 8, count + 1, in_file) != count + 1) die("input file header is truncated");
  start_index = sp ? strtoll(sp, NULL, 10) : 0;
  setvbuf(stdout, NULL, _IONBF, 0);
}

int32_t __tcfuzz_begin(int64_t k) {
  init();
  if (k < start_index || (uint64_t)k >= count) return 0;
  current = k;
  if (fseek(in_file, (long)offsets[k], SEEK_SET) != 0) die("cannot seek in the input file");
  printf("\x1e" "B%lld\x1e", (long long)k);
  return 1;
}

void *__tcfuzz_arg(int64_t n) {
  /* 64-byte alignment satisfies every vector load the lowering may emit; never zero-sized. */
  size_t size = ((size_t)n + 63) / 64 * 64 + 64;
  void *p = aligned_alloc(64, size);
  if (!p) die("out of memory");
  memset(p, 0, size);
  if (n > 0 && fread(p, 1, (size_t)n, in_file) != (size_t)n) die("input file is truncated");
  return p;
}

void __tcfuzz_out(void *p, int64_t n) {
  uint64_t head[2] = {(uint64_t)current, (uint64_t)n};
  if (fwrite(head, 8, 2, out_file) != 2 || fwrite(p, 1, (size_t)n, out_file) != (size_t)n) die("cannot write the output file");
  free(p);
}

void __tcfuzz_end(int64_t k) {
  if (fflush(out_file) != 0) die("cannot flush the output file");
  printf("\x1e" "E%lld\x1e", (long long)k);
}
