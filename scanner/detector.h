#pragma once
// The one interface every detection engine implements. An Engine is compiled once per run from
// the rule set and shared read-only; each worker thread gets its own Detector (which may own
// scratch space, parsers, ...).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/skipped.h"
#include "rules/rule.h"

namespace provscan::scan {

// One blob at one path, in full. Engines analyse the whole file; the pipeline keeps the hits
// that overlap the lines the commit added, so each hit is charged to the commit that
// introduced it.
struct Target {
  std::string_view path;
  std::string_view blob_id;
  std::string_view content;
  std::string_view language;  // from detect_language(); may be empty
  bool binary = false;        // looks_binary(content)
};

struct Hit {
  const rules::Rule* rule = nullptr;
  std::uint32_t line = 0;      // 1-based; 0 = the file as a whole (blob checks)
  std::uint32_t end_line = 0;  // inclusive; 0 when line is 0
  std::string detail;          // optional extra text appended to the rule message
};

// What a detector reports besides hits: partial or missing coverage of this target.
struct ScanNotes {
  std::vector<Skipped> skipped;  // commit/path filled by the pipeline if left empty
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual void scan(const Target& target, std::vector<Hit>& out, ScanNotes& notes) = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string_view name() const = 0;  // "signature", "query", "clang", "blob", ...
  virtual std::unique_ptr<Detector> make_detector() const = 0;
  // Engines report a rule they cannot use by throwing InputError("file:line:col: rule ID: ...")
  // from their constructor/factory, before any scan starts.
};

// The shape shared by the check engines (blob, build, text): each rule of one engine kind
// compiles to a `Compiled` value up front (throwing InputError for a bad rule), and every
// detector only reads that list.
template <class Compiled, class DetectorT>
class CheckEngine final : public Engine {
 public:
  CheckEngine(const rules::RuleSet& set, rules::Engine kind, std::string_view name,
              Compiled (*compile)(const rules::Rule&))
      : name_(name) {
    for (const rules::Rule& r : set.rules)
      if (r.engine == kind) rules_.push_back(compile(r));
  }
  std::string_view name() const override { return name_; }
  std::unique_ptr<Detector> make_detector() const override { return std::make_unique<DetectorT>(rules_); }

 private:
  std::string_view name_;
  std::vector<Compiled> rules_;
};

}  // namespace provscan::scan
