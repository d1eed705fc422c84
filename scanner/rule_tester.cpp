#include "scanner/rule_tester.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "common/error.h"
#include "git/line_diff.h"
#include "rules/loader.h"
#include "rules/yaml_util.h"
#include "scanner/language.h"
#include "scanner/pipeline.h"

namespace provscan::scan {

namespace fs = std::filesystem;

namespace {

struct Expectation {
  std::uint32_t line;  // the code line the annotation points at; 0 = whole file
  bool must_match;
  std::uint32_t annotation_line;
};

// Annotations: "ruleid: a, b" / "ok: a" inside a comment. Returns rule id -> expectations.
std::map<std::string, std::vector<Expectation>> parse_annotations(std::string_view text) {
  std::map<std::string, std::vector<Expectation>> out;
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  auto annotation = [](std::string_view line, std::string_view tag) -> std::string_view {
    std::size_t at = line.find(tag);
    if (at == std::string_view::npos) return {};
    // The tag must follow a comment marker or white space, not be part of a word.
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(line[at - 1])) || line[at - 1] == '_'))
      return {};
    return line.substr(at + tag.size());
  };
  auto is_annotation = [&](std::string_view l) {
    return !annotation(l, "ruleid:").empty() || !annotation(l, "ok:").empty();
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (auto [tag, must] : {std::pair{std::string_view("ruleid:"), true}, {std::string_view("ok:"), false}}) {
      std::string_view rest = annotation(lines[i], tag);
      if (rest.empty()) continue;
      // The target is the next line that is not itself an annotation.
      std::size_t target = i + 1;
      while (target < lines.size() && is_annotation(lines[target])) ++target;
      std::string ids(rest);
      for (const char* close : {"*/", "-->", "#}"})
        if (auto p = ids.find(close); p != std::string::npos) ids.erase(p);
      // Rule ids are [a-z0-9._-]; anything else (commas, quotes of a JSON or YAML fixture)
      // separates them.
      auto id_char = [](char ch) {
        return std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) ||
               ch == '.' || ch == '_' || ch == '-';
      };
      for (std::size_t p = 0; p < ids.size();) {
        while (p < ids.size() && !id_char(ids[p])) ++p;
        std::size_t q = p;
        while (q < ids.size() && id_char(ids[q])) ++q;
        if (q > p) out[ids.substr(p, q - p)].push_back({static_cast<std::uint32_t>(target + 1), must,
                                                         static_cast<std::uint32_t>(i + 1)});
        p = q;
      }
    }
  }
  return out;
}

}  // namespace

std::string test_path_of(const fs::path& fixture, std::string_view content) {
  const std::string_view head = content.substr(0, 1024);
  const std::string_view tag = "provscan-test-path:";
  if (auto at = head.find(tag); at != std::string_view::npos) {
    std::string_view rest = head.substr(at + tag.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    // The path ends at white space or a quote (comment closers such as `-->` follow a space).
    rest = rest.substr(0, rest.find_first_of(" \t\r\n\"'"));
    if (!rest.empty()) return std::string(rest);
  }
  return fixture.filename().string();
}

RuleTestReport run_rule_tests(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  for (const auto& p : paths)
    for (const auto& f : rules::rule_files(p)) files.emplace_back(f);
  std::sort(files.begin(), files.end());
  RuleTestReport rep;
  for (const fs::path& file : files) {
    rules::RuleSet set = rules::load_rules({file.string()});
    auto engines = make_engines(set);
    std::vector<std::unique_ptr<Detector>> detectors;
    for (const auto& e : engines) detectors.push_back(e->make_detector());

    const std::string stem = file.stem().string();
    // (fixture file, virtual path in a repository, whole-file expectation: 0 none, 1 match, 2 ok)
    struct Fixture {
      fs::path file;
      std::string vpath;
      int whole = 0;
    };
    std::vector<Fixture> fixtures;
    for (const auto& entry : fs::directory_iterator(file.parent_path())) {
      const std::string fname = entry.path().filename().string();
      if (fname.rfind(stem + ".", 0) != 0) continue;
      const std::string rest = fname.substr(stem.size() + 1);
      if (entry.is_directory() && (rest == "match" || rest == "ok")) {
        for (const auto& sub : fs::recursive_directory_iterator(entry.path()))
          if (sub.is_regular_file())
            fixtures.push_back({sub.path(), fs::relative(sub.path(), entry.path()).generic_string(),
                                rest == "match" ? 1 : 2});
      } else if (entry.is_regular_file() && entry.path() != file) {
        fixtures.push_back({entry.path(), {}, 0});
      }
    }
    std::sort(fixtures.begin(), fixtures.end(), [](const Fixture& a, const Fixture& b) { return a.file < b.file; });

    std::set<std::string> ids;
    for (const auto& r : set.rules) ids.insert(r.id);
    std::map<std::string, unsigned> checked;  // expectations per rule
    std::map<std::string, unsigned> positives, negatives;
    std::map<std::string, unsigned> failed;
    for (const Fixture& fixture : fixtures) {
      ++rep.fixtures;
      const fs::path& fx = fixture.file;
      const std::string content = rules::yaml::read_file(fx.string());
      const std::string vpath = fixture.whole ? fixture.vpath : test_path_of(fx, content);
      const bool binary = git::looks_binary(content);
      Target t{vpath, "fixture", content, binary ? std::string_view() : detect_language(vpath, content), binary};
      std::vector<Hit> hits;
      ScanNotes notes;
      for (auto& d : detectors) d->scan(t, hits, notes);
      for (const auto& s : notes.skipped)
        rep.lines.push_back(fmt::format("  note {}: {}: {}", fx.string(), s.kind, s.reason));

      std::map<std::string, std::vector<Expectation>> expect;
      if (fixture.whole) {
        for (const auto& id : ids) expect[id].push_back({0, fixture.whole == 1, 0});
      } else {
        expect = parse_annotations(content);
      }
      for (const auto& [id, exps] : expect) {
        if (!ids.count(id)) {
          for (const auto& e : exps)
            rep.lines.push_back(fmt::format("FAIL {}:{}: annotation names rule '{}', which {} does not define",
                                            fx.string(), e.annotation_line, id, file.string()));
          ++rep.failures;
          ++failed[id];
        }
      }
      for (const auto& id : ids) {
        std::set<std::uint32_t> hit_lines;
        for (const Hit& h : hits)
          if (h.rule->id == id) hit_lines.insert(h.line);
        std::set<std::uint32_t> expected_lines;
        for (const Expectation& e : expect[id]) {
          ++rep.expectations;
          ++checked[id];
          ++(e.must_match ? positives : negatives)[id];
          const bool got = hit_lines.count(e.line) > 0;
          if (e.must_match) expected_lines.insert(e.line);
          if (got == e.must_match) continue;
          ++rep.failures;
          ++failed[id];
          if (e.line == 0)
            rep.lines.push_back(fmt::format("FAIL {}: {} expected {} on the whole file", fx.string(), id,
                                            e.must_match ? "a match" : "no match"));
          else
            rep.lines.push_back(fmt::format("FAIL {}:{}: {} expected {} (annotation at line {})", fx.string(),
                                            e.line, id, e.must_match ? "a match, got none" : "no match, got one",
                                            e.annotation_line));
        }
        for (std::uint32_t l : hit_lines) {
          if (expected_lines.count(l)) continue;
          bool ok_line = false;
          for (const Expectation& e : expect[id]) ok_line = ok_line || (!e.must_match && e.line == l);
          if (ok_line) continue;  // already reported above
          ++rep.failures;
          ++failed[id];
          rep.lines.push_back(fmt::format("FAIL {}:{}: {} matched a line with no `ruleid:` annotation", fx.string(),
                                          l, id));
        }
      }
    }
    for (const auto& id : ids) {
      ++rep.rules_tested;
      const unsigned before = rep.failures;
      if (checked[id] == 0) {
        ++rep.failures;
        rep.lines.push_back(fmt::format("FAIL {}: rule {} has no fixture expectations (add {}.<ext> with "
                                        "`ruleid:`/`ok:` annotations)",
                                        file.string(), id, stem));
      } else if (!positives[id] || !negatives[id]) {
        ++rep.failures;
        rep.lines.push_back(fmt::format("FAIL {}: rule {} needs both a `ruleid:` case and an `ok:` look-alike "
                                        "(has {} and {})",
                                        file.string(), id, positives[id], negatives[id]));
      } else if (!failed[id]) {
        rep.lines.push_back(fmt::format("ok   {} ({} expectations)", id, checked[id]));
      }
      if (failed[id] || rep.failures > before) ++rep.rules_failed;
    }
  }
  return rep;
}

}  // namespace provscan::scan
