#include "scanner/signature/signature_engine.h"

#include "common/c_handle.h"

#include <hs/hs.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/error.h"
#include "scanner/signature/hs_cache.h"

namespace provscan::scan {

namespace {

using HsScratch = std::unique_ptr<hs_scratch_t, CFree<hs_free_scratch>>;

// A literal becomes a regex matching exactly its bytes.
std::string escape_literal(std::string_view lit) {
  std::string out;
  out.reserve(lit.size() * 4);
  for (unsigned char c : lit) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
      out.push_back(static_cast<char>(c));
    else
      out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

unsigned rule_flags(const rules::Rule& r) {
  unsigned f = 0;
  for (const auto& flag : r.flags) {
    if (flag == "caseless") f |= HS_FLAG_CASELESS;
    if (flag == "multiline") f |= HS_FLAG_MULTILINE;
    if (flag == "dotall") f |= HS_FLAG_DOTALL;
  }
  return f;
}

class SignatureEngine;

class SignatureDetector final : public Detector {
 public:
  SignatureDetector(const SignatureEngine& engine, HsScratch scratch)
      : engine_(engine), scratch_(std::move(scratch)) {}
  void scan(const Target& t, std::vector<Hit>& out, ScanNotes& notes) override;

 private:
  struct State;
  static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                      void* ctx) noexcept;
  const SignatureEngine& engine_;
  HsScratch scratch_;
};

// "3.29" / "20" / "0.25": seconds and sizes as people write limits.
std::string num(double v) { return fmt::format("{:.3g}", v); }

std::string size_text(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20)) return num(static_cast<double>(bytes) / (1 << 20)) + " MiB";
  if (bytes >= 1024) return num(static_cast<double>(bytes) / 1024) + " KiB";
  return fmt::format("{} bytes", bytes);
}

class SignatureEngine final : public Engine {
 public:
  SignatureEngine(const rules::RuleSet& set, const SignatureLimits& limits) {
    HsCompileInput in;
    std::vector<std::size_t> first_expr;  // per rule: index of its first expression
    for (const rules::Rule& r : set.rules) {
      if (r.engine != rules::Engine::Signature) continue;
      const std::size_t rule_index = rules_.size();
      rules_.push_back(&r);
      first_expr.push_back(in.expressions.size());
      auto add = [&](std::string e) {
        in.ids.push_back(static_cast<unsigned>(in.expressions.size()));
        in.expressions.push_back(std::move(e));
        in.flags.push_back(rule_flags(r));
        expr_rule_.push_back(rule_index);
      };
      if (!r.regex.empty()) add(r.regex);
      for (const auto& lit : r.literals) add(escape_literal(lit));
    }
    if (in.expressions.empty()) return;
    first_expr.push_back(in.expressions.size());
    in.max_compile_seconds = limits.max_compile_seconds;
    in.max_database_bytes = limits.max_database_bytes;
    HsCompiled compiled;
    try {
      compiled = compile_cached(in);
    } catch (const HsCompileError& e) {
      const int bad = e.expression();
      if (bad >= 0 && static_cast<std::size_t>(bad) < expr_rule_.size()) {
        const rules::Rule& r = *rules_[expr_rule_[bad]];
        throw InputError(fmt::format("{}: rule {}: Hyperscan rejected the pattern: {}",
                                     r.pattern_pos.str(), r.id, e.what()));
      }
      throw InputError(fmt::format("signature rules: Hyperscan could not build the database: {}", e.what()));
    }
    if (compiled.bytes > limits.max_database_bytes || compiled.compile_seconds > limits.max_compile_seconds)
      over_limit(in, first_expr, compiled, limits);
    db_ = std::move(compiled.db);
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(db_.get(), &scratch) != HS_SUCCESS)
      throw Error("signature engine: cannot allocate Hyperscan scratch space");
    prototype_.reset(scratch);
  }

  std::string_view name() const override { return "signature"; }

  std::unique_ptr<Detector> make_detector() const override {
    hs_scratch_t* clone = nullptr;
    if (prototype_ && hs_clone_scratch(prototype_.get(), &clone) != HS_SUCCESS)
      throw Error("signature engine: cannot clone Hyperscan scratch space");
    return std::make_unique<SignatureDetector>(*this, HsScratch(clone));
  }

  const hs_database_t* db() const { return db_.get(); }
  const std::vector<const rules::Rule*>& rules() const { return rules_; }
  std::size_t rule_of(unsigned expr) const { return expr_rule_[expr]; }

 private:
  // The database is over a limit: compile each rule alone to find the one(s) responsible, and
  // throw the error naming them (or the heaviest rules, when no rule is over it alone).
  [[noreturn]] void over_limit(const HsCompileInput& all, const std::vector<std::size_t>& first_expr,
                               const HsCompiled& compiled, const SignatureLimits& limits) const {
    const bool size = compiled.bytes > limits.max_database_bytes;
    struct Cost {
      std::size_t rule;
      double value;
    };
    std::vector<Cost> costs;
    for (std::size_t ri = 0; ri < rules_.size(); ++ri) {
      HsCompileInput one;
      one.mode = all.mode;
      for (std::size_t e = first_expr[ri]; e < first_expr[ri + 1]; ++e) {
        one.expressions.push_back(all.expressions[e]);
        one.flags.push_back(all.flags[e]);
        one.ids.push_back(all.ids[e]);
      }
      const HsCompiled alone = compile_uncached(one);
      costs.push_back({ri, size ? static_cast<double>(alone.bytes) : alone.compile_seconds});
    }
    std::stable_sort(costs.begin(), costs.end(), [](const Cost& a, const Cost& b) { return a.value > b.value; });
    const double limit = size ? static_cast<double>(limits.max_database_bytes) : limits.max_compile_seconds;
    auto amount = [&](double v) {
      return size ? size_text(static_cast<std::size_t>(v)) : num(v) + " s";
    };
    auto what = [&](double v) {
      return size ? fmt::format("pattern compiles to a {} Hyperscan database (limit {})", amount(v), amount(limit))
                  : fmt::format("pattern takes {} to compile (limit {})", amount(v), amount(limit));
    };
    auto names = [&](std::size_t from, std::size_t count) {
      std::string out;
      for (std::size_t i = from; i < costs.size() && i < from + count; ++i)
        out += fmt::format("{}{} {} ({})", out.empty() ? "" : ", ", rules_[costs[i].rule]->pattern_pos.str(),
                           rules_[costs[i].rule]->id, amount(costs[i].value));
      return out;
    };
    if (!costs.empty() && costs[0].value > limit) {
      const rules::Rule& r = *rules_[costs[0].rule];
      std::size_t over = 1;
      while (over < costs.size() && costs[over].value > limit) ++over;
      throw InputError(fmt::format("{}: rule {}: {}{}", r.pattern_pos.str(), r.id, what(costs[0].value),
                                   over > 1 ? fmt::format("; also over the limit alone: {}", names(1, over - 1))
                                            : std::string()));
    }
    const double total = size ? static_cast<double>(compiled.bytes) : compiled.compile_seconds;
    throw InputError(fmt::format(
        "signature rules: the Hyperscan database {} (limit {}), and no rule is over the limit on its own; "
        "the heaviest alone: {}",
        size ? fmt::format("is {}", amount(total)) : fmt::format("takes {} to compile", amount(total)),
        amount(limit), names(0, 5)));
  }

  std::vector<const rules::Rule*> rules_;
  std::vector<std::size_t> expr_rule_;  // expression id -> index in rules_
  HsDatabase db_;
  HsScratch prototype_;  // scratch is not re-entrant: each detector clones its own
};

struct SignatureDetector::State {
  const SignatureEngine& engine;
  std::string_view content;
  std::vector<char> applies;              // per rule: path and language filters pass
  std::vector<std::size_t> hits_per_rule;
  std::vector<std::uint32_t> last_line;   // per rule: last line reported (dedupe per line)
  std::vector<Hit>& out;
  std::size_t callbacks = 0;
  bool capped = false;
  bool flooded = false;
  std::string capped_rules{};  // ids of the rules that hit kMaxHitsPerRulePerBlob, comma-separated
  std::size_t flood_rule = 0;  // the rule whose match crossed kMaxCallbacksPerBlob
  // Hyperscan reports matches in increasing end offset: count newlines incrementally.
  std::size_t line_pos = 0;
  std::uint32_t line = 1;
  std::exception_ptr failure{};

  std::uint32_t line_at(std::size_t offset) {
    while (line_pos < offset) {
      const void* nl = std::memchr(content.data() + line_pos, '\n', offset - line_pos);
      if (!nl) {
        line_pos = offset;
        break;
      }
      line_pos = static_cast<const char*>(nl) - content.data() + 1;
      ++line;
    }
    return line;
  }
};

// Called through Hyperscan's C frames: nothing may escape.
int SignatureDetector::on_match(unsigned id, unsigned long long, unsigned long long to, unsigned,
                                void* ctx) noexcept {
  auto& s = *static_cast<State*>(ctx);
  try {
    const std::size_t ri = s.engine.rule_of(id);
    if (++s.callbacks > kMaxCallbacksPerBlob) {
      s.flooded = true;
      s.flood_rule = ri;
      return 1;  // stops hs_scan
    }
    if (!s.applies[ri]) return 0;
    // The match ends at `to`; its last byte is at to-1 (a match of "\n" belongs to its line).
    const std::uint32_t line = s.line_at(to == 0 ? 0 : static_cast<std::size_t>(to - 1));
    if (s.last_line[ri] == line) return 0;
    s.last_line[ri] = line;
    if (++s.hits_per_rule[ri] > kMaxHitsPerRulePerBlob) {
      if (s.hits_per_rule[ri] == kMaxHitsPerRulePerBlob + 1)
        s.capped_rules += (s.capped_rules.empty() ? "" : ", ") + s.engine.rules()[ri]->id;
      s.capped = true;
      return 0;
    }
    s.out.push_back(Hit{s.engine.rules()[ri], line, line, {}});
    return 0;
  } catch (...) {
    s.failure = std::current_exception();
    return 1;
  }
}

void SignatureDetector::scan(const Target& t, std::vector<Hit>& out, ScanNotes& notes) {
  if (!engine_.db() || t.binary) return;
  const auto& rules = engine_.rules();
  State s{engine_, t.content, std::vector<char>(rules.size()), std::vector<std::size_t>(rules.size()),
          std::vector<std::uint32_t>(rules.size()), out};
  bool any = false;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    s.applies[i] = rules[i]->applies_to_language(t.language) && rules[i]->paths.matches(t.path);
    any = any || s.applies[i];
  }
  if (!any) return;
  if (t.content.size() > UINT_MAX) {  // hs_scan takes an unsigned length
    notes.skipped.push_back({"blob-too-large", {}, std::string(t.path), std::string(t.blob_id),
                             "larger than 4 GiB: not scanned by signatures", true});
    return;
  }
  const hs_error_t rc = hs_scan(engine_.db(), t.content.data(), static_cast<unsigned>(t.content.size()), 0,
                                scratch_.get(), &SignatureDetector::on_match, &s);
  if (s.failure) std::rethrow_exception(s.failure);
  if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)
    throw Error(fmt::format("hs_scan failed with code {} on {}", rc, t.path));
  if (s.flooded)
    notes.skipped.push_back({"match-cap", {}, std::string(t.path), std::string(t.blob_id),
                             fmt::format("more than {} signature matches (rule {} matching when the cap was "
                                         "reached): rest of the blob not scanned",
                                         kMaxCallbacksPerBlob, rules[s.flood_rule]->id),
                             true});
  else if (s.capped)
    notes.skipped.push_back({"match-cap", {}, std::string(t.path), std::string(t.blob_id),
                             fmt::format("rule {} matched more than {} lines: further hits not reported",
                                         s.capped_rules, kMaxHitsPerRulePerBlob),
                             false});
}

}  // namespace

std::unique_ptr<Engine> make_signature_engine(const rules::RuleSet& rules, const SignatureLimits& limits) {
  return std::make_unique<SignatureEngine>(rules, limits);
}

}  // namespace provscan::scan
