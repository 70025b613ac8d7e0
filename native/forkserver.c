/*
 * Fork server for dynamically linked tools (mlir-opt, mlir-translate, mlir-runner, llc, wasm-ld).
 *
 *   TCFUZZ_FORKSERVER=TOOL LD_PRELOAD=libtcfuzz_forkserver.so TOOL
 *
 * An LLVM tool spends 25-60 ms of every run before main(): relocating libLLVM and libMLIR and running their static
 * constructors. That is most of a small run's cost. Preloaded with TCFUZZ_FORKSERVER set to the tool's argv[0], this library takes over
 * main(): the loaded, initialised tool then serves runs, each one a fork() that calls the tool's own main() with
 * the run's argv, environment, stdin and limits. Without TCFUZZ_FORKSERVER the tool runs as usual, and the server
 * removes both variables at start, so nothing the runs start inherits the library.
 *
 * Protocol on the server's stdin/stdout, every integer little-endian. A frame is u8 type, u32 length, payload.
 *   server -> client: 'H' once, when ready, empty;
 *                     per run: 'O' (stdout bytes) and 'E' (stderr bytes) frames as the run
 *                     writes, then 'X' i32 wait status once it has exited and closed both outputs.
 *   client -> server: 'R' a run: u32 argc, argc NUL-terminated strings, u32 envc, envc "NAME=VALUE\0" strings,
 *                     u64 address-space limit in KiB (0: none), NUL-terminated cwd ("": the server's), then the
 *                     run's stdin bytes to the end of the payload;
 *                     'K' u32 signal: sent to the running run's process group; ignored between runs.
 * EOF on stdin ends the server (and SIGKILLs a run in progress).
 *
 * Each run leads its own process group, gets SIGKILL when the server dies (PR_SET_PDEATHSIG; the server itself is
 * started through tcfuzz-reaper), and runs with RLIMIT_CORE 0, as tcfuzz-reaper sets for a spawned tool.
 *
 * The library also defines dladdr(). LLVM prints a crash's stack with two dladdr() calls per frame, and glibc's
 * scans every dynamic symbol of the object each time: ~1 ms a call in libMLIR, 30-60 ms a crash, and 5% of a
 * campaign's CPU while it keeps meeting a crash. The server indexes the symbols of every loaded object once, sorted
 * by address, so its runs inherit the index and answer by binary search, with glibc's exact rules: the symbols its
 * GNU hash table reaches, the highest address whose [value, value + size) holds the address (the address itself for
 * size 0), ties to the first in hash order. Objects loaded later, or without a GNU hash table, go to glibc's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*main_fn)(int, char **, char **);
static main_fn tool_main;

static void die(const char *what) {
  fprintf(stderr, "tcfuzz-forkserver: %s: %s\n", what, strerror(errno));
  _exit(111);
}

static void write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) die("write to client");
    c += w;
    n -= (size_t)w;
  }
}

static void send_frame(char type, const void *payload, uint32_t len) {
  char head[5];
  head[0] = type;
  memcpy(head + 1, &len, 4);
  write_all(1, head, 5);
  if (len) write_all(1, payload, len);
}

/* Reads exactly n bytes; 0 at a clean EOF before the first byte, 1 when read, exits on a torn frame. */
static int read_all(int fd, void *p, size_t n) {
  char *c = p;
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, c + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) die("read from client");
    if (r == 0) {
      if (got == 0) return 0;
      fprintf(stderr, "tcfuzz-forkserver: the client closed mid-frame\n");
      _exit(111);
    }
    got += (size_t)r;
  }
  return 1;
}

/* A run request, parsed in place: pointers into `buf`. */
typedef struct {
  char **argv, **envv;
  uint32_t argc, envc;
  uint64_t kib;
  const char *cwd;
  const char *in;
  size_t in_len;
} request;

static char *take_string(char **p, char *end) {
  char *s = *p;
  char *z = memchr(s, 0, (size_t)(end - s));
  if (!z) {
    fprintf(stderr, "tcfuzz-forkserver: malformed request\n");
    _exit(111);
  }
  *p = z + 1;
  return s;
}

static uint32_t take_u32(char **p, char *end) {
  uint32_t v;
  if (end - *p < 4) take_string(p, *p); /* reports the malformed request */
  memcpy(&v, *p, 4);
  *p += 4;
  return v;
}

static char **take_strings(char **p, char *end, uint32_t n) {
  char **v = calloc(n + 1, sizeof *v);
  if (!v) die("calloc");
  for (uint32_t i = 0; i < n; i++) v[i] = take_string(p, end);
  return v;
}

static void parse_request(request *r, char *buf, uint32_t len) {
  char *p = buf, *end = buf + len;
  r->argc = take_u32(&p, end);
  r->argv = take_strings(&p, end, r->argc);
  r->envc = take_u32(&p, end);
  r->envv = take_strings(&p, end, r->envc);
  if (end - p < 8) take_string(&p, p);
  memcpy(&r->kib, p, 8);
  p += 8;
  r->cwd = take_string(&p, end);
  r->in = p;
  r->in_len = (size_t)(end - p);
}

static void child(const request *r, int in, int out, int err, pid_t server) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != server) _exit(111);
  setpgid(0, 0);
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(111);
  for (int fd = 3; fd < 1024; fd++) close(fd);
  signal(SIGPIPE, SIG_DFL);
  if (r->kib > 0) {
    struct rlimit l;
    getrlimit(RLIMIT_AS, &l);
    rlim_t want = (rlim_t)r->kib * 1024;
    if (l.rlim_max == RLIM_INFINITY || want < l.rlim_max) l.rlim_max = want;
    l.rlim_cur = l.rlim_max;
    if (setrlimit(RLIMIT_AS, &l) != 0) _exit(111);
  }
  struct rlimit nocore = {0, 0};
  setrlimit(RLIMIT_CORE, &nocore);
  for (uint32_t i = 0; i < r->envc; i++) putenv(r->envv[i]);
  if (r->cwd[0] && chdir(r->cwd) != 0) {
    fprintf(stderr, "tcfuzz-forkserver: cannot chdir to %s: %s\n", r->cwd, strerror(errno));
    _exit(127);
  }
  exit(tool_main((int)r->argc, r->argv, environ));
}

static void nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

/* Forks one run and relays it until it has exited and closed its outputs. */
static void serve(const request *r) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) die("pipe");
  pid_t server = getpid();
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) child(r, in[0], out[1], err[1], server);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  int fds[3] = {in[1], out[0], err[0]};
  for (int i = 0; i < 3; i++) nonblocking(fds[i]);
  size_t written = 0;
  if (r->in_len == 0) {
    close(in[1]);
    fds[0] = -1;
  }
  static char chunk[1 << 16];
  int client_open = 1;
  while (fds[1] >= 0 || fds[2] >= 0) {
    struct pollfd pf[4] = {
        {fds[0], POLLOUT, 0}, {fds[1], POLLIN, 0}, {fds[2], POLLIN, 0}, {client_open ? 0 : -1, POLLIN, 0}};
    if (poll(pf, 4, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    if (fds[0] >= 0 && pf[0].revents) {
      ssize_t w = write(fds[0], r->in + written, r->in_len - written);
      if (w > 0) written += (size_t)w;
      /* EPIPE: the run exited without reading all of its input; its exit status tells the story. */
      if (written == r->in_len || (w < 0 && errno != EAGAIN && errno != EINTR)) {
        close(fds[0]);
        fds[0] = -1;
      }
    }
    for (int i = 1; i <= 2; i++) {
      if (fds[i] < 0 || !pf[i].revents) continue;
      ssize_t n = read(fds[i], chunk, sizeof chunk);
      if (n > 0) send_frame(i == 1 ? 'O' : 'E', chunk, (uint32_t)n);
      else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        close(fds[i]);
        fds[i] = -1;
      }
    }
    if (pf[3].revents) {
      char head[5];
      if (!read_all(0, head, 5)) {
        /* The client is gone: stop the run, then the server. */
        kill(-pid, SIGKILL);
        client_open = 0;
        continue;
      }
      uint32_t len;
      memcpy(&len, head + 1, 4);
      if (head[0] != 'K' || len != 4) {
        fprintf(stderr, "tcfuzz-forkserver: unexpected frame '%c' during a run\n", head[0]);
        _exit(111);
      }
      uint32_t sig;
      read_all(0, &sig, 4);
      kill(-pid, (int)sig);
    }
  }
  if (fds[0] >= 0) close(fds[0]);
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) die("waitpid");
  if (!client_open) _exit(0);
  int32_t s32 = status;
  send_frame('X', &s32, 4);
}

/* One indexed symbol: its address range and its rank in the hash table's order. */
typedef struct {
  uintptr_t lo, hi;
  const char *name;
  uint32_t rank;
  uint8_t exact; /* size 0 or undefined: matches its own address only */
} indexed_symbol;

typedef struct {
  const char *name;
  uintptr_t base, lo, hi; /* l_addr; the span of its PT_LOAD segments */
  const ElfW(Phdr) *phdr;
  ElfW(Half) phnum;
  indexed_symbol *syms;
  size_t n;
  uintptr_t max_size;
} indexed_object;

static indexed_object *objects;
static size_t n_objects;

static int by_address(const void *a, const void *b) {
  const indexed_symbol *x = a, *y = b;
  if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
  return x->rank > y->rank ? -1 : x->rank < y->rank; /* within an address, later ranks first: a backward scan meets rank order */
}

static uintptr_t dyn_ptr(ElfW(Addr) base, ElfW(Addr) p) { return p < base ? base + p : p; }

static int index_object(struct dl_phdr_info *info, size_t size, void *unused) {
  (void)size, (void)unused;
  const ElfW(Dyn) *dyn = NULL;
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type == PT_DYNAMIC) dyn = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
    if (ph->p_type == PT_LOAD) {
      uintptr_t a = info->dlpi_addr + ph->p_vaddr;
      if (a < lo) lo = a;
      if (a + ph->p_memsz > hi) hi = a + ph->p_memsz;
    }
  }
  if (!dyn) return 0;
  const ElfW(Sym) *symtab = NULL;
  const char *strtab = NULL;
  const uint32_t *gnu = NULL;
  size_t strsz = 0;
  for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
    if (d->d_tag == DT_SYMTAB) symtab = (const ElfW(Sym) *)dyn_ptr(info->dlpi_addr, d->d_un.d_ptr);
    else if (d->d_tag == DT_STRTAB) strtab = (const char *)dyn_ptr(info->dlpi_addr, d->d_un.d_ptr);
    else if (d->d_tag == DT_GNU_HASH) gnu = (const uint32_t *)dyn_ptr(info->dlpi_addr, d->d_un.d_ptr);
    else if (d->d_tag == DT_STRSZ) strsz = d->d_un.d_val;
  }
  if (!symtab || !strtab || !gnu) return 0;
  uint32_t nbuckets = gnu[0], symoffset = gnu[1], bloom_words = gnu[2];
  const uint32_t *buckets = (const uint32_t *)((const ElfW(Addr) *)(gnu + 4) + bloom_words);
  const uint32_t *chain_zero = buckets + nbuckets - symoffset;
  size_t cap = 1024, n = 0;
  indexed_symbol *syms = malloc(cap * sizeof *syms);
  uintptr_t max_size = 0;
  uint32_t rank = 0;
  for (uint32_t b = 0; b < nbuckets && syms; b++) {
    uint32_t k = buckets[b];
    if (k == 0) continue;
    const uint32_t *h = &chain_zero[k];
    do {
      const ElfW(Sym) *sym = &symtab[k];
      if ((sym->st_shndx != SHN_UNDEF || sym->st_value != 0) && sym->st_shndx != SHN_ABS && ELF64_ST_TYPE(sym->st_info) != STT_TLS &&
          sym->st_name < strsz) {
        if (n == cap && !(syms = realloc(syms, (cap *= 2) * sizeof *syms))) break;
        uintptr_t at = info->dlpi_addr + sym->st_value;
        uint8_t exact = sym->st_shndx == SHN_UNDEF || sym->st_size == 0;
        syms[n++] = (indexed_symbol){at, exact ? at + 1 : at + sym->st_size, strtab + sym->st_name, rank, exact};
        if (sym->st_size > max_size) max_size = sym->st_size;
      }
      rank++;
      k++;
    } while ((*h++ & 1u) == 0);
  }
  if (!syms) return 0;
  qsort(syms, n, sizeof *syms, by_address);
  indexed_object *grown = realloc(objects, (n_objects + 1) * sizeof *objects);
  if (!grown) return free(syms), 0;
  objects = grown;
  objects[n_objects++] = (indexed_object){info->dlpi_name, info->dlpi_addr, lo, hi, info->dlpi_phdr, info->dlpi_phnum, syms, n, max_size};
  return 0;
}

static int inside_segment(const indexed_object *o, uintptr_t a) {
  for (ElfW(Half) i = 0; i < o->phnum; i++) {
    const ElfW(Phdr) *ph = &o->phdr[i];
    if (ph->p_type == PT_LOAD && a >= o->base + ph->p_vaddr && a < o->base + ph->p_vaddr + ph->p_memsz) return 1;
  }
  return 0;
}

int dladdr(const void *addr, Dl_info *info) {
  uintptr_t a = (uintptr_t)addr;
  for (size_t i = 0; i < n_objects; i++) {
    const indexed_object *o = &objects[i];
    if (a < o->lo || a >= o->hi || !inside_segment(o, a)) continue;
    info->dli_fname = o->name[0] ? o->name : program_invocation_name;
    info->dli_fbase = (void *)(o->lo & ~(uintptr_t)(getpagesize() - 1));
    info->dli_sname = NULL;
    info->dli_saddr = NULL;
    /* The last symbol starting at or below a, then back while a symbol that starts lower could still hold a. */
    size_t l = 0, r = o->n;
    while (l < r) {
      size_t m = (l + r) / 2;
      if (o->syms[m].lo <= a) l = m + 1;
      else r = m;
    }
    for (size_t k = l; k-- > 0;) {
      const indexed_symbol *s = &o->syms[k];
      if (a - s->lo > o->max_size) break;
      if (a < s->hi && (!s->exact || a == s->lo)) {
        info->dli_sname = s->name;
        info->dli_saddr = (void *)s->lo;
        break;
      }
    }
    return 1;
  }
  static int (*glibc)(const void *, Dl_info *);
  if (!glibc) glibc = (int (*)(const void *, Dl_info *))dlsym(RTLD_NEXT, "dladdr");
  return glibc(addr, info);
}

static int serve_runs(int argc, char **argv, char **envp) {
  /* Only the tool serves: tcfuzz-reaper, which execs it, and anything else that inherits the variables runs as is. */
  const char *tool = getenv("TCFUZZ_FORKSERVER");
  if (!tool || argc < 1 || strcmp(tool, argv[0]) != 0) return tool_main(argc, argv, envp);
  unsetenv("TCFUZZ_FORKSERVER");
  unsetenv("LD_PRELOAD");
  /* A run that exits before reading its stdin must not kill the server with SIGPIPE. */
  signal(SIGPIPE, SIG_IGN);
  dl_iterate_phdr(index_object, NULL);
  send_frame('H', NULL, 0);
  for (;;) {
    char head[5];
    if (!read_all(0, head, 5)) return 0;
    uint32_t len;
    memcpy(&len, head + 1, 4);
    char *buf = malloc(len ? len : 1);
    if (!buf) die("malloc");
    if (len) read_all(0, buf, len);
    if (head[0] == 'R') {
      request r;
      parse_request(&r, buf, len);
      serve(&r);
      free(r.argv);
      free(r.envv);
    } else if (head[0] != 'K') {
      fprintf(stderr, "tcfuzz-forkserver: unknown frame '%c'\n", head[0]);
      return 111;
    }
    free(buf);
  }
}

/* The executable calls this to start main(); interposing it is how the library gets control once all is loaded. */
int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end) {
  typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);
  start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
  tool_main = main;
  return real(serve_runs, argc, argv, init, fini, rtld_fini, stack_end);
}
