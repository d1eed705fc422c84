#include "scanner/blob/blob_engine.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"
#include "scanner/blob/blob_checks.h"
#include "scanner/blob/check_options.h"

namespace provscan::scan {

namespace {

enum class Check { ExecutableMagic, CompressedOrEntropy, ObjectOrArchive, ExtensionMismatch, HighEntropy, EncodedString };

struct CompiledRule {
  const rules::Rule* rule = nullptr;
  Check check = Check::ExecutableMagic;
  double min_entropy = 7.2;
  std::size_t min_bytes = 512;
  std::vector<FormatCategory> categories;  // object-or-archive
  bool text_holds_binary = true, missing_magic = true;  // extension-mismatch
  std::size_t window = 4096;                            // high-entropy
  bool skip_known_formats = true;                       // high-entropy
  std::size_t min_length = 1024;                        // encoded-string
  unsigned encodings = kBase64 | kHex | kEscapedBytes;  // encoded-string
};

CompiledRule compile(const rules::Rule& r) {
  CompiledRule c;
  c.rule = &r;
  if (r.matcher == "executable-magic") {
    CheckOptions(r, "blob", {});
    c.check = Check::ExecutableMagic;
  } else if (r.matcher == "compressed-or-high-entropy") {
    const CheckOptions o(r, "blob", {"min_entropy", "min_bytes"});
    c.check = Check::CompressedOrEntropy;
    c.min_entropy = o.number("min_entropy", 7.2, 0.0, 8.0);
    c.min_bytes = o.count("min_bytes", 512, 1, std::size_t{1} << 40);
  } else if (r.matcher == "object-or-archive") {
    const CheckOptions o(r, "blob", {"categories"});
    c.check = Check::ObjectOrArchive;
    for (const std::string& n : o.choices("categories", {"object", "static-library", "archive"},
                                          {"object", "shared-library", "static-library", "archive", "compressed"}))
      for (FormatCategory cat : {FormatCategory::Object, FormatCategory::SharedLibrary, FormatCategory::StaticLibrary,
                                 FormatCategory::Archive, FormatCategory::Compressed})
        if (to_string(cat) == n) c.categories.push_back(cat);
  } else if (r.matcher == "extension-mismatch") {
    const CheckOptions o(r, "blob", {"cases"});
    c.check = Check::ExtensionMismatch;
    const auto cases = o.choices("cases", {"text-holds-binary", "missing-magic"}, {"text-holds-binary", "missing-magic"});
    c.text_holds_binary = std::find(cases.begin(), cases.end(), "text-holds-binary") != cases.end();
    c.missing_magic = std::find(cases.begin(), cases.end(), "missing-magic") != cases.end();
  } else if (r.matcher == "high-entropy") {
    const CheckOptions o(r, "blob", {"min_entropy", "window", "skip_known_formats"});
    c.check = Check::HighEntropy;
    c.min_entropy = o.number("min_entropy", 7.2, 0.0, 8.0);
    c.window = o.count("window", 4096, 256, std::size_t{1} << 30);
    c.skip_known_formats = o.flag("skip_known_formats", true);
  } else if (r.matcher == "encoded-string") {
    const CheckOptions o(r, "blob", {"min_length", "encodings"});
    c.check = Check::EncodedString;
    c.min_length = o.count("min_length", 1024, 64, std::size_t{1} << 30);
    c.encodings = 0;
    for (const std::string& e : o.choices("encodings", {"base64", "hex", "escaped-bytes"}, {"base64", "hex", "escaped-bytes"}))
      c.encodings |= e == "base64" ? kBase64 : e == "hex" ? kHex : kEscapedBytes;
  } else {
    throw InputError(fmt::format("{}: rule {}: unknown blob check '{}' (known: {})", r.pos.str(), r.id, r.matcher,
                                 fmt::join(blob_check_names(), ", ")));
  }
  return c;
}

class BlobDetector final : public Detector {
 public:
  explicit BlobDetector(const std::vector<CompiledRule>& rules) : rules_(rules) {}

  void scan(const Target& t, std::vector<Hit>& out, ScanNotes& notes) override {
    for (const CompiledRule& c : rules_) {
      if (!c.rule->paths.matches(t.path)) continue;
      if (c.check == Check::EncodedString) {
        if (!t.binary) encoded_strings(c, t, out, notes);
      } else if (auto d = detect(c, t)) {
        out.push_back(Hit{c.rule, 0, 0, *d});
      }
    }
  }

 private:
  static std::optional<std::string> detect(const CompiledRule& c, const Target& t) {
    const std::string_view bytes = t.content;
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
      case Check::ObjectOrArchive: {
        const auto f = identify_format(bytes);
        if (f && std::find(c.categories.begin(), c.categories.end(), f->category) != c.categories.end())
          return fmt::format("{}, {} bytes", f->name, bytes.size());
        return std::nullopt;
      }
      case Check::ExtensionMismatch:
        return extension_mismatch(t.path, bytes, c.text_holds_binary, c.missing_magic);
      case Check::HighEntropy: {
        if (c.skip_known_formats && identify_format(bytes)) return std::nullopt;  // reported by its own check
        const WindowEntropy w = max_window_entropy(bytes, c.window);
        if (w.bits >= c.min_entropy)
          return fmt::format("entropy {:.2f} bits/byte in the {} bytes at offset {}", w.bits, c.window, w.offset);
        return std::nullopt;
      }
      case Check::EncodedString:
        return std::nullopt;
    }
    return std::nullopt;
  }

  static void encoded_strings(const CompiledRule& c, const Target& t, std::vector<Hit>& out, ScanNotes& notes) {
    std::size_t hits = 0;
    std::uint32_t line_no = 0;
    const std::string_view text = t.content;
    for (std::size_t pos = 0; pos < text.size();) {
      std::size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      const std::string_view line = text.substr(pos, nl - pos);
      ++line_no;
      pos = nl + 1;
      if (line.size() < c.min_length) continue;
      const auto run = encoded_run(line, c.min_length, c.encodings);
      if (!run) continue;
      if (++hits > kMaxBlobHitsPerRulePerBlob) {
        notes.skipped.push_back({"match-cap", {}, std::string(t.path), std::string(t.blob_id),
                                 fmt::format("a blob rule matched more than {} lines: further hits not reported",
                                             kMaxBlobHitsPerRulePerBlob),
                                 false});
        return;
      }
      out.push_back(Hit{c.rule, line_no, line_no,
                        fmt::format("{} characters of {} at column {}", run->length, run->encoding, run->column)});
    }
  }

  const std::vector<CompiledRule>& rules_;
};

}  // namespace

std::vector<std::string> blob_check_names() {
  return {"compressed-or-high-entropy", "encoded-string", "executable-magic", "extension-mismatch", "high-entropy",
          "object-or-archive"};
}

std::unique_ptr<Engine> make_blob_engine(const rules::RuleSet& set) {
  return std::make_unique<CheckEngine<CompiledRule, BlobDetector>>(set, rules::Engine::Blob, "blob", compile);
}

}  // namespace provscan::scan
