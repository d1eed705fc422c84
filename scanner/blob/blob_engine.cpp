#include "scanner/blob/blob_engine.h"

#include <charconv>

#include <fmt/format.h>

#include "common/error.h"
#include "scanner/blob/blob_checks.h"

namespace provscan::scan {

namespace {

enum class Check { ExecutableMagic, CompressedOrEntropy };

struct CompiledRule {
  const rules::Rule* rule;
  Check check;
  double min_entropy = 7.2;
  std::size_t min_bytes = 512;
};

double number_option(const rules::Rule& r, const std::string& key, double fallback, double lo, double hi) {
  auto it = r.options.find(key);
  if (it == r.options.end()) return fallback;
  const std::string& s = it->second.empty() ? std::string() : it->second.front();
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi)
    throw InputError(fmt::format("{}: rule {}: option {} must be a number from {} to {}", r.pos.str(), r.id,
                                 key, lo, hi));
  return v;
}

class BlobDetector final : public Detector {
 public:
  explicit BlobDetector(const std::vector<CompiledRule>& rules) : rules_(rules) {}

  void scan(const Target& t, std::vector<Hit>& out, ScanNotes&) override {
    for (const CompiledRule& c : rules_) {
      if (!c.rule->paths.matches(t.path)) continue;
      if (auto d = detect(c, t.content)) out.push_back(Hit{c.rule, 0, 0, *d});
    }
  }

 private:
  static std::optional<std::string> detect(const CompiledRule& c, std::string_view bytes) {
    switch (c.check) {
      case Check::ExecutableMagic:
        if (auto f = executable_format(bytes)) return fmt::format("{} executable, {} bytes", *f, bytes.size());
        return std::nullopt;
      case Check::CompressedOrEntropy: {
        if (bytes.size() < c.min_bytes) return std::nullopt;
        if (auto f = compressed_format(bytes)) return fmt::format("{} compressed data, {} bytes", *f, bytes.size());
        const double h = shannon_entropy(bytes);
        if (h >= c.min_entropy) return fmt::format("entropy {:.2f} bits/byte over {} bytes", h, bytes.size());
        return std::nullopt;
      }
    }
    return std::nullopt;
  }
  const std::vector<CompiledRule>& rules_;
};

class BlobEngine final : public Engine {
 public:
  explicit BlobEngine(const rules::RuleSet& set) {
    for (const rules::Rule& r : set.rules) {
      if (r.engine != rules::Engine::Blob) continue;
      CompiledRule c{&r, Check::ExecutableMagic};
      if (r.matcher == "executable-magic") {
        c.check = Check::ExecutableMagic;
      } else if (r.matcher == "compressed-or-high-entropy") {
        c.check = Check::CompressedOrEntropy;
        c.min_entropy = number_option(r, "min_entropy", 7.2, 0.0, 8.0);
        c.min_bytes = static_cast<std::size_t>(number_option(r, "min_bytes", 512, 1, 1e12));
      } else {
        throw InputError(fmt::format("{}: rule {}: unknown blob check '{}' (known: {})", r.pos.str(), r.id,
                                     r.matcher, fmt::join(blob_check_names(), ", ")));
      }
      rules_.push_back(c);
    }
  }
  std::string_view name() const override { return "blob"; }
  std::unique_ptr<Detector> make_detector() const override { return std::make_unique<BlobDetector>(rules_); }

 private:
  std::vector<CompiledRule> rules_;
};

}  // namespace

std::vector<std::string> blob_check_names() { return {"compressed-or-high-entropy", "executable-magic"}; }

std::unique_ptr<Engine> make_blob_engine(const rules::RuleSet& rules) { return std::make_unique<BlobEngine>(rules); }

}  // namespace provscan::scan
