#include "scanner/isolation/isolated_engine.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "common/error.h"
#include "common/fd_io.h"
#include "rules/loader.h"
#include "scanner/cpp_ast/clang_engine.h"
#include "scanner/isolation/wire.h"
#include "scanner/isolation/worker_process.h"
#include "scanner/query/query_engine.h"

namespace provscan::scan {

bool runs_in_worker(rules::Engine kind) { return kind == rules::Engine::Query || kind == rules::Engine::Clang; }

namespace {

constexpr std::uint64_t kMaxReadyBytes = 1u << 20;
constexpr std::uint64_t kMaxResponseBytes = 64u << 20;
constexpr const char* kWorkerCommand = "__engine-worker";

// Would any worker-side rule look at this file? (Both engines skip binary content and filter by
// language and path first; asking here saves the round trip.)
bool worth_sending(const std::vector<const rules::Rule*>& rules, const Target& t) {
  if (t.binary) return false;
  for (const rules::Rule* r : rules) {
    const bool lang = r->languages.empty()
                          ? (r->engine == rules::Engine::Clang && (t.language == "c" || t.language == "cpp"))
                          : std::find(r->languages.begin(), r->languages.end(), t.language) != r->languages.end();
    if (lang && r->paths.matches(t.path)) return true;
  }
  return false;
}

class IsolatedEngine;

class IsolatedDetector final : public Detector {
 public:
  IsolatedDetector(const IsolatedEngine& engine, std::optional<WorkerProcess> worker)
      : engine_(engine), worker_(std::move(worker)) {}
  void scan(const Target& target, std::vector<Hit>& out, ScanNotes& notes) override;

 private:
  void fail(const Target& target, ScanNotes& notes, std::string kind, std::string reason);

  const IsolatedEngine& engine_;
  std::optional<WorkerProcess> worker_;
};

class IsolatedEngine final : public Engine {
 public:
  IsolatedEngine(const rules::RuleSet& set, IsolationOptions options) : options_(std::move(options)) {
    for (const rules::Rule& r : set.rules)
      if (runs_in_worker(r.engine)) {
        rules_.push_back(&r);
        by_id_.emplace(r.id, &r);
      }
    if (rules_.empty()) return;
    if (set.files.empty()) throw Error("isolated engines need the rule set's files (the worker loads them again)");
    argv_ = {options_.executable, kWorkerCommand,
             "--rules-sha256", set.sha256,
             "--cpu-seconds", std::to_string(options_.timeout_seconds),
             "--memory-bytes", std::to_string(options_.memory_bytes),
             "--"};
    argv_.insert(argv_.end(), set.files.begin(), set.files.end());
    idle_.push_back(start_worker());  // fails here, before the scan, on a bad rule
  }

  std::string_view name() const override { return "worker"; }

  std::unique_ptr<Detector> make_detector() const override {
    std::optional<WorkerProcess> w;
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        w.emplace(std::move(idle_.back()));
        idle_.pop_back();
      }
    }
    return std::make_unique<IsolatedDetector>(*this, std::move(w));
  }

  // A ready worker. Throws InputError for a bad rule, Error when none can be started; a startup
  // failure is remembered so that later files fail at once with the same message.
  WorkerProcess start_worker() const {
    {
      std::lock_guard lock(mu_);
      if (startup_failure_) throw Error(*startup_failure_);
    }
    WorkerProcess w = WorkerProcess::spawn(argv_);
    std::string payload;
    const auto deadline = Clock::now() + std::chrono::seconds(options_.startup_timeout_seconds);
    const WorkerProcess::Io io = w.receive(wire::Type::Ready, payload, deadline, kMaxReadyBytes);
    std::optional<wire::Ready> ready;
    if (io == WorkerProcess::Io::Ok) ready = wire::decode_ready(payload);
    if (ready && ready->ok) return w;
    if (ready && ready->input_error) throw InputError(ready->message);  // a bad rule: exit 2
    std::string why;
    if (ready) why = ready->message;
    else if (io == WorkerProcess::Io::Timeout)
      why = fmt::format("compiling the rules took over {} s", options_.startup_timeout_seconds);
    else why = w.end();
    why = fmt::format("the query/clang engine worker did not start: {}", why);
    std::lock_guard lock(mu_);
    startup_failure_ = why;
    throw Error(why);
  }

  const IsolationOptions& options() const { return options_; }
  const std::vector<const rules::Rule*>& rules() const { return rules_; }
  const rules::Rule* rule(const std::string& id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }

 private:
  IsolationOptions options_;
  std::vector<const rules::Rule*> rules_;
  std::unordered_map<std::string, const rules::Rule*> by_id_;
  std::vector<std::string> argv_;
  mutable std::mutex mu_;
  mutable std::vector<WorkerProcess> idle_;
  mutable std::optional<std::string> startup_failure_;
};

void IsolatedDetector::fail(const Target& target, ScanNotes& notes, std::string kind, std::string reason) {
  notes.skipped.push_back({std::move(kind), {}, std::string(target.path), std::string(target.blob_id),
                           fmt::format("query and clang rules not run: the engine worker {}", reason), true});
  worker_.reset();  // ends (and reaps) it; the next file gets a fresh one
}

void IsolatedDetector::scan(const Target& target, std::vector<Hit>& out, ScanNotes& notes) {
  if (!worth_sending(engine_.rules(), target)) return;
  if (!worker_) worker_.emplace(engine_.start_worker());
  wire::Request req;
  req.path = target.path;
  req.blob_id = target.blob_id;
  req.language = target.language;
  req.binary = target.binary;
  req.content = target.content;
  // The worker's CPU limit (RLIMIT_CPU, set by the worker per file, fires within a second past
  // the limit) catches a parser that spins; this wall-clock deadline catches one that blocks or
  // sleeps. It is three times as long, and at least 10 s longer: a worker on a busy machine gets a
  // fraction of a core, and with a short limit (2 s on a CI runner at load 6) a file that merely
  // spins would be reported as blocked.
  const unsigned cpu_limit = engine_.options().timeout_seconds;
  const unsigned wall_limit = std::max(3 * cpu_limit, cpu_limit + 10);
  const auto deadline = Clock::now() + std::chrono::seconds(wall_limit);
  using Io = WorkerProcess::Io;
  Io io = worker_->send(wire::Type::Request, wire::encode(req), deadline);
  std::string payload;
  if (io == Io::Ok) io = worker_->receive(wire::Type::Response, payload, deadline, kMaxResponseBytes);
  if (io == Io::Timeout) {
    worker_->end();
    return fail(target, notes, "timeout", fmt::format("made no reply in {} s (wall clock) and was killed", wall_limit));
  }
  if (io == Io::Closed) {
    std::string why = worker_->end();
    if (worker_->term_signal() == SIGXCPU)
      return fail(target, notes, "timeout", fmt::format("exceeded its CPU-time limit of {} s (SIGXCPU)", cpu_limit));
    if (why.find("out of memory") != std::string::npos)
      return fail(target, notes, "worker-out-of-memory",
                  fmt::format("ran out of memory (address-space limit {} MiB)", engine_.options().memory_bytes >> 20));
    return fail(target, notes, "worker-crash", why);
  }
  std::optional<wire::Response> resp;
  if (io == Io::Ok) resp = wire::decode_response(payload);
  // Everything from the worker is checked: it may have been taken over by the content it parsed.
  bool valid = resp.has_value();
  std::vector<Hit> hits;
  if (valid)
    for (const wire::WireHit& h : resp->hits) {
      const rules::Rule* r = engine_.rule(h.rule_id);
      if (!r || h.end_line < h.line || h.detail.size() > 65536) {
        valid = false;
        break;
      }
      hits.push_back({r, h.line, h.end_line, h.detail});
    }
  // Notes too: a few per file from an honest worker (one per capped rule at most), short, with a
  // kind of git-style words. A taken-over worker must not fill the parent with them file after file.
  if (valid && resp->notes.size() > wire::kMaxNotesPerResponse) valid = false;
  if (valid)
    for (const Skipped& s : resp->notes) {
      const bool word = !s.kind.empty() && s.kind.size() <= 32 &&
                        std::all_of(s.kind.begin(), s.kind.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
      if (!word || s.reason.size() > wire::kMaxNoteReason) {
        valid = false;
        break;
      }
    }
  if (!valid) {
    worker_->end();
    return fail(target, notes, "worker-crash", "sent a malformed reply and was killed");
  }
  out.insert(out.end(), std::make_move_iterator(hits.begin()), std::make_move_iterator(hits.end()));
  for (Skipped& s : resp->notes) {
    s.commit.clear();
    s.path = std::string(target.path);
    s.object = std::string(target.blob_id);
    notes.skipped.push_back(std::move(s));
  }
}

// ---- the worker side -------------------------------------------------------------------------

// Blocking framed I/O on the worker's fd 3 (the parent is trusted).
bool read_all(int fd, char* p, std::size_t n) { return read_full(fd, p, n) == n; }
bool write_all(int fd, const std::string& s) { return write_full(fd, s.data(), s.size()) == s.size(); }

bool send_frame(int fd, wire::Type type, const std::string& payload) {
  return write_all(fd, wire::frame_header(type, payload.size())) && write_all(fd, payload);
}

// CPU seconds this process has used so far.
double cpu_seconds_used() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Moves the soft CPU limit to `seconds` from now (SIGXCPU ends the worker past it). Only the
// soft limit moves: an unprivileged process may lower its hard limit but never raise it again.
void limit_cpu_from_now(unsigned seconds) {
  rlimit rl{};
  ::getrlimit(RLIMIT_CPU, &rl);
  const auto soft = static_cast<rlim_t>(std::ceil(cpu_seconds_used())) + seconds;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? soft : std::min<rlim_t>(soft, rl.rlim_max);
  ::setrlimit(RLIMIT_CPU, &rl);
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// Fault injection for provscan's own tests: PROVSCAN_TEST_WORKER_FAULT=KIND:MARKER makes the
// worker crash (SIGSEGV), hang (sleep), spin (burn CPU), exhaust memory, or (notes) answer with
// a flood of notes, as a worker taken over by the content might, on any file whose content holds
// MARKER. It is set by the operator's environment only; repository content cannot turn it on.
// True for `notes`: the caller floods its reply.
bool maybe_inject_fault(const std::string& content) {
  static const char* spec = std::getenv("PROVSCAN_TEST_WORKER_FAULT");
  if (!spec || !*spec) return false;
  const std::string_view s(spec);
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon + 1 == s.size()) return false;
  const std::string_view kind = s.substr(0, colon), marker = s.substr(colon + 1);
  if (content.find(marker) == std::string::npos) return false;
  if (kind == "notes") return true;
  if (kind == "crash") {
    ::raise(SIGSEGV);
  } else if (kind == "hang") {
    for (;;) ::pause();
  } else if (kind == "spin") {
    volatile std::uint64_t x = 0;
    for (;;) x = x + 1;
  } else if (kind == "oom") {
    std::vector<std::unique_ptr<char[]>> hog;
    for (;;) {
      hog.emplace_back(new char[64u << 20]);
      std::memset(hog.back().get(), 1, 64u << 20);
    }
  }
  return false;
}

}  // namespace

std::unique_ptr<Engine> make_isolated_engine(const rules::RuleSet& rules, const IsolationOptions& options) {
  return std::make_unique<IsolatedEngine>(rules, options);
}

int run_engine_worker(int argc, char** argv) {
  constexpr int fd = 3;
  // Die with the parent; no core files of hostile content; nothing inherited but fds 0-3.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) return 1;
  ::close_range(4, ~0u, 0);
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);

  std::string sha;
  unsigned cpu_seconds = 60;
  std::uint64_t memory_bytes = 0;
  std::vector<std::string> files;
  bool after_dashes = false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (after_dashes) files.push_back(a);
    else if (a == "--") after_dashes = true;
    else if (a == "--rules-sha256" && i + 1 < argc) sha = argv[++i];
    else if (a == "--cpu-seconds" && i + 1 < argc) cpu_seconds = static_cast<unsigned>(std::stoul(argv[++i]));
    else if (a == "--memory-bytes" && i + 1 < argc) memory_bytes = std::stoull(argv[++i]);
    else return kWorkerExitProtocol;
  }
  // AddressSanitizer reserves terabytes of shadow address space: no RLIMIT_AS under it.
  if (memory_bytes && !kAddressSanitizer) {
    const rlimit as{memory_bytes, memory_bytes};
    ::setrlimit(RLIMIT_AS, &as);
  }

  std::vector<std::pair<std::string, std::unique_ptr<Detector>>> detectors;
  rules::RuleSet set;
  std::vector<std::unique_ptr<Engine>> engines;
  wire::Ready ready;
  try {
    set = rules::load_rules(files);
    if (set.sha256 != sha)
      throw Error("the rule files changed after provscan loaded them (rule-set sha256 differs); run again");
    engines.push_back(make_query_engine(set));
    engines.push_back(make_clang_engine(set));
    for (const auto& e : engines) detectors.emplace_back(std::string(e->name()), e->make_detector());
    ready.ok = true;
    ready.message = set.sha256;
  } catch (const InputError& e) {
    ready.input_error = true;
    ready.message = e.what();
  } catch (const std::exception& e) {
    ready.message = e.what();
  }
  if (!send_frame(fd, wire::Type::Ready, wire::encode(ready)) || !ready.ok) return ready.ok ? 0 : 2;

  try {
    for (;;) {
      char header[12];
      if (!read_all(fd, header, sizeof header)) return 0;  // the parent is done
      const auto h = wire::parse_header(std::string_view(header, sizeof header));
      if (!h || h->type != wire::Type::Request) return kWorkerExitProtocol;
      std::string payload(h->length, '\0');
      if (!read_all(fd, payload.data(), payload.size())) return kWorkerExitProtocol;
      std::optional<wire::Request> req = wire::decode_request(payload);
      if (!req) return kWorkerExitProtocol;
      payload.clear();
      payload.shrink_to_fit();

      limit_cpu_from_now(cpu_seconds);
      const bool flood = maybe_inject_fault(req->content);
      const Target t{req->path, req->blob_id, req->content, req->language, req->binary};
      std::vector<Hit> hits;
      ScanNotes notes;
      for (auto& [name, d] : detectors) {
        try {
          d->scan(t, hits, notes);
        } catch (const Error& e) {
          notes.skipped.push_back({"engine-error", {}, req->path, req->blob_id, fmt::format("{}: {}", name, e.what()), true});
        }
      }
      wire::Response resp;
      for (const Hit& hit : hits) resp.hits.push_back({hit.rule->id, hit.line, hit.end_line, hit.detail});
      resp.notes = std::move(notes.skipped);
      if (flood)
        for (int i = 0; i < 100000; ++i) resp.notes.push_back({"timeout", {}, "x", "y", std::string(64, 'r'), false});
      if (!send_frame(fd, wire::Type::Response, wire::encode(resp))) return 0;
    }
  } catch (const std::bad_alloc&) {
    ::_exit(kWorkerExitOutOfMemory);
  }
}

}  // namespace provscan::scan
