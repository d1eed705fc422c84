#pragma once
// Test-time helpers for the signing tests: keys are generated and payloads signed by the real
// ssh-keygen and gpg (provscan itself never runs them). CI installs them (scripts/setup.sh:
// openssh-client, gnupg); where they are missing the tests say so with a MESSAGE and skip,
// or fail when PROVSCAN_REQUIRE_SIGNING_TOOLS is set.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace provscan::test {

// The tools these tests run.
inline const std::vector<std::string> kSigningTools = {"ssh-keygen", "gpg", "gpgconf"};

inline bool on_path(const std::string& tool) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && ::access((dir + "/" + tool).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// False (with a MESSAGE naming what is missing) when a tool cannot be found.
inline bool signing_tools_available() {
  std::string missing;
  for (const std::string& t : kSigningTools) {
    if (!on_path(t)) missing += (missing.empty() ? "" : ", ") + t;
  }
  if (missing.empty()) return true;
  // CI sets PROVSCAN_REQUIRE_SIGNING_TOOLS=1 so that a missing tool fails instead of skipping.
  if (std::getenv("PROVSCAN_REQUIRE_SIGNING_TOOLS")) {
    FAIL("signing tests need " << missing << " (apt-get install -y openssh-client gnupg)");
  }
  MESSAGE("SKIPPED: signing tests need " << missing
                                         << " (apt-get install -y openssh-client gnupg)");
  return false;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Runs argv (no shell), stdin from /dev/null, stdout to `out_file` (or /dev/null), stderr to
// `log_file`. Returns the exit status (-1 when it did not exit normally).
inline int run_tool(const std::vector<std::string>& argv, const std::string& out_file,
                    const std::string& log_file) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_file.empty() ? "/dev/null" : out_file.c_str(),
                           O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (in < 0 || out < 0 || err < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  if (pid < 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace provscan::test
