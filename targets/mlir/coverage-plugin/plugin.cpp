// mlir-opt coverage without the action log: a dialect plugin (--load-dialect-plugin) that installs an action
// handler in every MLIRContext and counts the same features targets/mlir/action-log.ts reads from
// `--log-actions-to=-`:
//   pass:<Pass>            one per pass execution (the OpToOpPassAdaptor that only runs nested passes excluded)
//   pat:<Pattern>@<op>     one per pattern application attempt, `(anonymous namespace)::` stripped
//   iter:<Pass>:<N>        a greedy rewrite driven by <Pass> reached its N-th iteration
// The log printed every action's op, numbering the values of its whole function each time, which cost about a
// third of mlir-opt's time; counting costs a hash lookup.
//
// mlir-opt makes one context per --split-input-file module, so a context is a module. Each module's counts are
// appended to $TCFUZZ_COVERAGE_FILE when its context goes away, or when mlir-opt dies of a signal (a crash, or the
// SIGABRT of a timeout) through LLVM's crash handlers, as one record:
//   M\n                      (T\t<pass>\n instead for a module stopped by the timer below, in that pass)
//   <feature>\t<count>\n   ...
// Without the variable the plugin counts nothing.
//
// With $TCFUZZ_MODULE_TIMEOUT_MS as well, a module that runs longer than that is stopped: a timer armed when its
// context is made raises SIGALRM, whose handler sends SIGABRT to the thread compiling it, so the crash handlers
// print where it was looping. mlir-opt's output is buffered, so tcfuzz cannot tell from it when a module began:
// timed from outside, a hang after a batch's first module took one timeout to find and another to confirm alone
// (20-35 s of a worker in 120-s campaigns). A watchdog thread would do as well, but mlir-opt unloads the plugin at
// exit while such a thread still runs its code (a SIGSEGV after the last module).
#include "mlir/IR/Action.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <string>
#include <sys/time.h>
#include <unistd.h>
#include <vector>

using namespace mlir;

namespace {

constexpr llvm::StringLiteral ADAPTOR = "mlir::detail::OpToOpPassAdaptor";
constexpr llvm::StringLiteral ANON = "(anonymous namespace)::";

class ModuleCounts;
/// The module the timer stopped, if any (compared, never dereferenced: it may be gone by then).
std::atomic<const ModuleCounts *> stopped{nullptr};

class ModuleCounts {
public:
  explicit ModuleCounts(int fd) : fd(fd) {}
  ~ModuleCounts() { flush(); }

  void operator()(llvm::function_ref<void()> transform, const tracing::Action &action) {
    llvm::StringRef tag = action.getTag();
    if (tag == "pass-execution") {
      const Pass &pass = static_cast<const PassExecutionAction &>(action).getPass();
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (pass.getName() != ADAPTOR) count("pass:", pass.getName());
        passes.push_back(&pass);
      }
      transform();
      std::lock_guard<std::mutex> lock(mutex);
      passes.pop_back();
      return;
    }
    if (tag == "apply-pattern") pattern(action);
    else if (tag == "GreedyPatternRewriteIteration") iteration(action);
    transform();
  }

  /// Writes the record once; later calls write nothing. Called from a signal handler too, where the process is
  /// dying anyway: the counts are worth the risk of a lock held by the crashed thread (try_lock, not lock).
  void flush() {
    if (flushed) return;
    std::unique_lock<std::mutex> lock(mutex, std::try_to_lock);
    flushed = true;
    std::string out = "M\n";
    if (stopped.load() == this) {
      // The innermost pass with a command-line name (a pass manager's adaptor has none): where it hung.
      out = "T";
      for (auto it = passes.rbegin(); it != passes.rend(); ++it)
        if (!(*it)->getArgument().empty()) {
          out += '\t';
          out += (*it)->getArgument();
          break;
        }
      out += '\n';
    }
    for (const auto &e : counts) {
      out += e.getKey();
      out += '\t';
      out += std::to_string(e.getValue());
      out += '\n';
    }
    for (size_t done = 0; done < out.size();) {
      ssize_t n = ::write(fd, out.data() + done, out.size() - done);
      if (n <= 0) break;
      done += size_t(n);
    }
  }

private:
  /// `\`apply-pattern pattern: <name>`, then the op from the action's IR units.
  void pattern(const tracing::Action &action) {
    llvm::SmallString<256> printed;
    llvm::raw_svector_ostream os(printed);
    action.print(os);
    llvm::StringRef name = llvm::StringRef(printed).split("pattern: ").second;
    llvm::SmallString<256> key("pat:");
    for (size_t at; (at = name.find(ANON)) != llvm::StringRef::npos; name = name.drop_front(at + ANON.size()))
      key += name.take_front(at);
    key += name;
    if (key.size() == 4) key += "<anonymous>";
    key += '@';
    llvm::ArrayRef<IRUnit> units = action.getContextIRUnits();
    Operation *op = units.empty() ? nullptr : llvm::dyn_cast_if_present<Operation *>(units.front());
    key += op ? op->getName().getStringRef() : llvm::StringRef("?");
    std::lock_guard<std::mutex> lock(mutex);
    ++counts[key];
  }

  /// `GreedyPatternRewriteIteration(<N>)`, counted for the innermost running pass.
  void iteration(const tracing::Action &action) {
    llvm::SmallString<64> printed;
    llvm::raw_svector_ostream os(printed);
    action.print(os);
    llvm::StringRef n = llvm::StringRef(printed).split('(').second.split(')').first;
    std::lock_guard<std::mutex> lock(mutex);
    llvm::SmallString<256> key("iter:");
    key += passes.empty() ? llvm::StringRef("?") : passes.back()->getName();
    key += ':';
    key += n;
    ++counts[key];
  }

  /// Under `mutex`.
  void count(llvm::StringRef prefix, llvm::StringRef name) {
    llvm::SmallString<256> key(prefix);
    key += name;
    ++counts[key];
  }

  const int fd;
  std::mutex mutex;
  bool flushed = false;
  llvm::StringMap<unsigned> counts;
  /// The passes running now, innermost last. With mlir-opt's threading on, function passes would interleave here
  /// and `iter:` could name the wrong one, as in the action log; tcfuzz runs mlir-opt single-threaded.
  /// Each is alive while it runs, so the timer's flush may still ask it its command-line name.
  std::vector<const Pass *> passes;
};

/// The modules whose counts are not written yet: normally one, the module being compiled.
std::mutex liveMutex;
std::vector<ModuleCounts *> live;

void flushLive(void *) {
  for (ModuleCounts *m : live) m->flush();
}

/// The module being compiled and its thread, for the timer's handler. A module holds its context from parsing to
/// printing, so the timer covers all of its work.
std::atomic<const ModuleCounts *> running{nullptr};
pthread_t runningThread;
/// The per-module budget; 0: no timer.
long budgetMs = 0;

void onAlarm(int) {
  const ModuleCounts *m = running.load();
  if (!m) return;
  stopped = m;
  pthread_kill(runningThread, SIGABRT);
}

void armTimer(long ms) {
  itimerval t{};
  t.it_value.tv_sec = ms / 1000;
  t.it_value.tv_usec = (ms % 1000) * 1000;
  setitimer(ITIMER_REAL, &t, nullptr);
}

int outputFd() {
  static int fd = [] {
    const char *path = getenv("TCFUZZ_COVERAGE_FILE");
    if (!path || !*path) return -1;
    int f = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (f >= 0) {
      llvm::sys::AddSignalHandler(flushLive, nullptr);
      const char *budget = getenv("TCFUZZ_MODULE_TIMEOUT_MS");
      budgetMs = budget ? atol(budget) : 0;
      if (budgetMs > 0) {
        struct sigaction sa{};
        sa.sa_handler = onAlarm;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGALRM, &sa, nullptr);
      }
    }
    return f;
  }();
  return fd;
}

/// The handler the context keeps: it owns the module's counts and writes them when the context drops it.
struct Handler {
  std::shared_ptr<ModuleCounts> counts;
  void operator()(llvm::function_ref<void()> transform, const tracing::Action &action) const { (*counts)(transform, action); }
};

void install(MLIRContext *context, BuiltinDialect *) {
  int fd = outputFd();
  if (fd < 0) return;
  auto counts = std::shared_ptr<ModuleCounts>(new ModuleCounts(fd), [](ModuleCounts *m) {
    {
      std::lock_guard<std::mutex> lock(liveMutex);
      llvm::erase(live, m);
    }
    if (running.load() == m) {
      if (budgetMs > 0) armTimer(0);
      running = nullptr;
    }
    delete m;
  });
  {
    std::lock_guard<std::mutex> lock(liveMutex);
    live.push_back(counts.get());
  }
  runningThread = pthread_self();
  running = counts.get();
  if (budgetMs > 0) armTimer(budgetMs);
  context->registerActionHandler(Handler{std::move(counts)});
}

} // namespace

extern "C" __attribute__((visibility("default"))) DialectPluginLibraryInfo mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "tcfuzz-coverage", "1", [](DialectRegistry *registry) { registry->addExtension(+install); }};
}
