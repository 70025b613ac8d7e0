/*
 * Exec wrapper that makes a child die with tcfuzz, even when tcfuzz is killed with SIGKILL and runs no handler.
 *
 *   tcfuzz-reaper PARENT_PID MEMORY_KIB CMD [ARG...]
 *
 * Asks the kernel for SIGKILL when the parent dies (PR_SET_PDEATHSIG), then checks that the parent is still
 * PARENT_PID (it may have died before the request took effect), sets the address-space limit (RLIMIT_AS, soft and
 * hard, like `ulimit -v`, never above an inherited hard limit; 0 leaves it alone) and execs CMD. The pid, process group and session stay the caller's
 * choice, and no shell is started. If CMD cannot be executed, one line starting "tcfuzz-reaper: cannot exec " goes
 * to stderr and the exit status is 127.
 *
 * The death signal belongs to the thread that forked: Node spawns from its main thread, so it fires when the
 * tcfuzz process dies. It survives execve (not of set-uid programs, which tcfuzz never runs).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

static long long number(const char *s) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < 0) {
    fprintf(stderr, "tcfuzz-reaper: bad number '%s'\n", s);
    exit(126);
  }
  return v;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: tcfuzz-reaper PARENT_PID MEMORY_KIB CMD [ARG...]\n");
    return 126;
  }
  pid_t parent = (pid_t)number(argv[1]);
  long long kib = number(argv[2]);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
    perror("tcfuzz-reaper: prctl(PR_SET_PDEATHSIG)");
    return 126;
  }
  // The parent died between fork and prctl: nobody is left to reap or kill us.
  if (getppid() != parent) raise(SIGKILL);
  if (kib > 0) {
    struct rlimit r;
    getrlimit(RLIMIT_AS, &r);
    // An unprivileged process cannot raise its hard limit; a lower one inherited from outside stays in force.
    rlim_t want = (rlim_t)kib * 1024;
    if (r.rlim_max == RLIM_INFINITY || want < r.rlim_max) r.rlim_max = want;
    r.rlim_cur = r.rlim_max;
    if (setrlimit(RLIMIT_AS, &r) != 0) {
      perror("tcfuzz-reaper: setrlimit(RLIMIT_AS)");
      return 126;
    }
  }
  // A campaign crashes tools by the hundred and stops every hung one with SIGABRT: no core files for them, which
  // would fill the disk (or keep systemd-coredump busy) on a machine that keeps cores.
  struct rlimit nocore = {0, 0};
  setrlimit(RLIMIT_CORE, &nocore);
  execvp(argv[3], argv + 3);
  fprintf(stderr, "tcfuzz-reaper: cannot exec %s: %s\n", argv[3], strerror(errno));
  return 127;
}
