#pragma once
// Build and CI checks (`engine: build`) over build scripts and CI definitions, each a named
// `check` tuned by `options`, reported per line. The file kind comes from the path (see
// build_file.h: cmake, make, autotools, python, npm, github-actions, gitlab-ci, dockerfile);
// every check has default kinds, and `options.kinds` replaces them (`any` = every file the
// rule's `paths` select). Checks and their other options:
//   fetch-pipe-to-shell          fetchers, interpreters (lists)          all kinds
//   decode-exec                                                          all kinds
//   test-data-in-build           test_dirs, data_extensions (lists)      cmake, make, autotools
//   sabotaged-feature-check                                              cmake, autotools
//   injected-flags               groups: [hardening-off, symbol-override, preload, writable-rpath],
//                                writable_dirs (list)                    all kinds
//   insecure-download                                                    all kinds
//   npm-lifecycle-script         hooks (list)                            npm
//   python-build-exec            categories: [network, dynamic-code, process],
//                                allow_commands (list)                   python
//   workflow-untrusted-checkout, workflow-script-injection, workflow-permissions
//                                                                        github-actions
//   secret-exfiltration                                                  github-actions, gitlab-ci
//   remote-add-exec                                                      dockerfile
// What each check looks for is documented in build_checks.h. Unknown checks or options throw
// InputError("file:line:col: rule ID: reason") when the engine is built.
#include <memory>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "scanner/detector.h"

namespace provscan::scan {

// More hits than this for one rule in one blob are dropped, with a `match-cap` note.
inline constexpr std::size_t kMaxBuildHitsPerRulePerBlob = 1000;

std::unique_ptr<Engine> make_build_engine(const rules::RuleSet& rules);
std::vector<std::string> build_check_names();

}  // namespace provscan::scan
