#include "tests/support/run_cli.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace provscan::test {

namespace {

// Spawns argv with stdout/stderr to files and stdin from /dev/null; limit_seconds <= 0: no limit.
CliResult spawn_and_wait(const std::vector<std::string>& argv, const std::string& dir,
                         const std::map<std::string, std::string>& env, double limit_seconds);

}  // namespace

CliResult run_command(const std::vector<std::string>& argv, const std::string& dir,
                      const std::map<std::string, std::string>& env) {
  return spawn_and_wait(argv, dir, env, 0);
}

CliResult run_command_limited(const std::vector<std::string>& argv, double limit_seconds, const std::string& dir,
                              const std::map<std::string, std::string>& env) {
  return spawn_and_wait(argv, dir, env, limit_seconds);
}

CliResult run_provscan_limited(const std::vector<std::string>& args, double limit_seconds,
                               const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv = {std::string(PROVSCAN_BINARY_DIR) + "/provscan"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command_limited(argv, limit_seconds, {}, env);
}

namespace {

CliResult spawn_and_wait(const std::vector<std::string>& argv, const std::string& dir,
                         const std::map<std::string, std::string>& env, double limit_seconds) {
  TempDir tmp;
  const std::string out_path = tmp.path() + "/out", err_path = tmp.path() + "/err";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&fa, dir.c_str());
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    if (!env.count(kv.substr(0, kv.find('=')))) env_strings.push_back(kv);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot run " + argv.front());
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  CliResult r;
  int status = 0;
  struct rusage usage {};
  if (limit_seconds <= 0) {
    wait4(pid, &status, 0, &usage);
  } else {
    while (true) {
      const pid_t done = wait4(pid, &status, WNOHANG, &usage);
      if (done == pid || (done < 0 && errno != EINTR)) break;
      if (elapsed() > limit_seconds) {
        kill(pid, SIGKILL);
        wait4(pid, &status, 0, &usage);
        r.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  r.seconds = elapsed();
  r.max_rss_kib = usage.ru_maxrss;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  return r;
}

}  // namespace

CliResult run_provscan(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {std::string(PROVSCAN_BINARY_DIR) + "/provscan"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "provscan-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::file(const std::string& name, const std::string& content) const {
  const std::string p = path_ + "/" + name;
  std::filesystem::create_directories(std::filesystem::path(p).parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string source_dir() { return PROVSCAN_SOURCE_DIR; }

std::string scratch_file(const std::string& name, const std::string& text) {
  static const TempDir dir;
  return dir.file(name, text);
}

}  // namespace provscan::test
