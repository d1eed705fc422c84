#pragma once
// The engines that parse hostile content with third-party code (tree-sitter for `query` rules,
// Clang for `clang` rules) run in worker processes, each under a watchdog:
//   - the worker caps its own CPU time per file (RLIMIT_CPU, SIGXCPU) and its address space
//     (RLIMIT_AS), writes no core files, and dies with the parent (PR_SET_PDEATHSIG);
//   - the parent gives each file a wall-clock deadline of three times the CPU limit (a worker that
//     blocks or sleeps uses no CPU) and kills the worker when it passes;
//   - a worker that crashes, overruns or breaks the protocol costs only that file's query and
//     clang results: the file becomes an incomplete `skipped` entry naming the path, the blob
//     and the reason ("killed by signal 11 (SIGSEGV)", "timed out after 60 s"), a fresh worker
//     takes the next file, and the gate reports the scan incomplete (exit 3).
// The signature, blob, build and text engines are provscan's own bounded code over Hyperscan and
// stay in the parent, so a worker failure never hides their findings.
#include <cstdint>
#include <memory>
#include <string>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

struct IsolationOptions {
  std::string executable;                    // the provscan binary (the worker is `provscan __engine-worker`)
  unsigned timeout_seconds = 60;             // per file: CPU time in the worker; 3x that in wall time
  std::uint64_t memory_bytes = 2ull << 30;   // address-space limit of each worker
  unsigned startup_timeout_seconds = 300;    // rule compilation in a new worker
};

// True for the engine kinds that run in workers.
bool runs_in_worker(rules::Engine kind);

// The query and clang engines of `rules`, behind worker processes. Starts one worker at once so
// that a bad rule fails here (InputError, exit 2) before any scan; throws Error when no worker
// can be started. `rules` must outlive the engine and every rule file in `rules.files` must
// still hold what was loaded (the worker loads them again and checks the rule-set sha256).
std::unique_ptr<Engine> make_isolated_engine(const rules::RuleSet& rules, const IsolationOptions& options);

// `provscan __engine-worker ...`: the worker's main. argv[0] is the program, argv[1] the
// subcommand. Speaks the wire protocol on fd 3; returns the process exit code.
int run_engine_worker(int argc, char** argv);

}  // namespace provscan::scan
