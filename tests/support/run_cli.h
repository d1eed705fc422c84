#pragma once
// Runs the built provscan binary the way a user or a CI step does, capturing what it prints.
#include <map>
#include <string>
#include <vector>

namespace provscan::test {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  // Filled by the *_limited variants only.
  bool timed_out = false;     // killed (SIGKILL) when the time limit was reached
  double seconds = 0;         // wall time
  long max_rss_kib = 0;       // the child's peak resident set size (getrusage ru_maxrss)
};

// Runs PROVSCAN_BINARY_DIR/provscan with `args` (no shell involved).
CliResult run_provscan(const std::vector<std::string>& args);

// Runs `argv` (argv[0] an absolute path) in `dir` (empty: the current one) with `env` added to
// this process's environment, standard input from /dev/null: what a CI runner or a hook does.
CliResult run_command(const std::vector<std::string>& argv, const std::string& dir = {},
                      const std::map<std::string, std::string>& env = {});

// As run_command / run_provscan, with a wall-time limit: the process is killed with SIGKILL
// when it runs longer than `limit_seconds` (timed_out is then set, exit_code is 128 + 9). The
// wall time and the child's peak memory are reported.
CliResult run_command_limited(const std::vector<std::string>& argv, double limit_seconds,
                              const std::string& dir = {},
                              const std::map<std::string, std::string>& env = {});
CliResult run_provscan_limited(const std::vector<std::string>& args, double limit_seconds,
                               const std::map<std::string, std::string>& env = {});

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name, const std::string& content) const;  // writes, returns path

 private:
  std::string path_;
};

std::string read_text(const std::string& path);

// Writes `text` to NAME inside a directory private to this test process (ctest runs test cases
// in parallel processes: fixed /tmp names would collide) and returns its path. The directory is
// removed when the process exits.
std::string scratch_file(const std::string& name, const std::string& text);
std::string source_dir();  // the provscan source tree

}  // namespace provscan::test
