#include "git/line_diff.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <span>
#include <unordered_map>

namespace provscan::git {
namespace {

// Work limit for the Myers search (inner steps summed over the whole recursion). Beyond it the
// diff falls back to a linear multiset difference: a hostile blob pair must not cost O(N*D).
constexpr std::uint64_t kMaxMyersWork = 40'000'000;

// Lines keep their '\n', so "x" at end of file without a newline differs from "x\n", as in git.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
    const std::size_t next =
        nl == nullptr ? text.size() : static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
    lines.push_back(text.substr(pos, next - pos));
    pos = next;
  }
  return lines;
}

// Line hashing: each line is hashed as the 8-byte words from its start (the last one
// zero-padded), then its length: equal lines have equal hashes wherever they sit. Lines are
// still compared byte for byte on equal hashes: the hash only has to be fast and spread well.
constexpr std::uint64_t kHashSeed = 0x243F6A8885A308D3ull;

inline std::uint64_t hash_word(std::uint64_t h, std::uint64_t w) noexcept {
  return std::rotl(h ^ (w * 0x9E3779B97F4A7C15ull), 29) * 0xBF58476D1CE4E5B9ull;
}

inline std::uint64_t hash_finish(std::uint64_t h, std::size_t len) noexcept {
  h ^= len * 0x9E3779B97F4A7C15ull;
  h ^= h >> 31;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 29;
  return h;
}

inline std::uint64_t low_bytes(std::uint64_t w, std::size_t n) noexcept {
  return n >= 8 ? w : w & ((std::uint64_t{1} << (8 * n)) - 1);
}

using Lines = std::span<const std::string_view>;
using Hashes = std::span<const std::uint64_t>;

// A file as a sequence of line classes (equal lines share a class) plus its change marks,
// indexed from -1 to n so that both ends have an unchanged sentinel.
struct Side {
  std::vector<std::uint32_t> rec;
  std::vector<char> chg;  // chg[i + 1] for line i
  long n = 0;

  explicit Side(std::size_t size) : rec(size), chg(size + 2, 0), n(static_cast<long>(size)) {}
  bool changed(long i) const { return chg[static_cast<std::size_t>(i + 1)] != 0; }
  void mark(long i, bool v) { chg[static_cast<std::size_t>(i + 1)] = v ? 1 : 0; }
};

// Myers' O(ND) search with the linear-space middle snake, over the lines that survived the
// discard step (indices map back to the full files).
class Myers {
 public:
  Myers(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b)
      : a_(a), b_(b), chg_a_(a.size(), 0), chg_b_(b.size(), 0),
        off_(static_cast<long>(b.size()) + 1),
        vf_(a.size() + b.size() + 3), vb_(a.size() + b.size() + 3) {
    // xdiff's cost cutoff: xdl_bogosqrt(records + 3), at least XDL_MAX_COST_MIN.
    long mx = 1;
    for (std::size_t n = a.size() + b.size() + 3; n > 0; n >>= 2) mx <<= 1;
    max_cost_ = std::max<long>(mx, 256);
  }

  // False when the work limit was hit; the marks are then incomplete.
  bool run(bool need_min) {
    compare(0, static_cast<long>(a_.size()), 0, static_cast<long>(b_.size()), need_min);
    return !exhausted_;
  }
  const std::vector<char>& deleted() const { return chg_a_; }
  const std::vector<char>& added() const { return chg_b_; }

 private:
  // xdiff's constants (xdiffi.c): XDL_SNAKE_CNT, XDL_HEUR_MIN_COST, XDL_K_HEUR.
  static constexpr long kSnakeCnt = 20;
  static constexpr long kHeurMinCost = 256;
  static constexpr long kHeur = 4;

  struct Split {
    long x = 0, y = 0;
    bool min_lo = true, min_hi = true;
  };

  long& vf(long k) { return vf_[static_cast<std::size_t>(k + off_)]; }
  long& vb(long k) { return vb_[static_cast<std::size_t>(k + off_)]; }

  // xdl_recs_cmp: without `need_min`, as in git (XDF_NEED_MINIMAL is off for diff and blame),
  // a costly region is split where xdiff's heuristics split it, so the diff is the one git
  // makes, not always a minimal one.
  void compare(long a0, long a1, long b0, long b1, bool need_min) {
    while (a0 < a1 && b0 < b1 && a_[a0] == b_[b0]) ++a0, ++b0;
    while (a0 < a1 && b0 < b1 && a_[a1 - 1] == b_[b1 - 1]) --a1, --b1;
    if (a0 == a1) {
      for (long j = b0; j < b1; ++j) chg_b_[j] = 1;
    } else if (b0 == b1) {
      for (long i = a0; i < a1; ++i) chg_a_[i] = 1;
    } else {
      Split spl;
      if (!split(a0, a1, b0, b1, need_min, spl)) return;
      compare(a0, spl.x, b0, spl.y, spl.min_lo);
      if (exhausted_) return;
      compare(spl.x, a1, spl.y, b1, spl.min_hi);
    }
  }

  // xdl_split: a point (x, y) where the forward and backward searches meet on a minimal edit
  // path of the box [a0,a1) x [b0,b1), or, past xdiff's cost thresholds (and without
  // `need_min`), the point its heuristics choose. Diagonals are numbered k = x - y.
  bool split(long a0, long a1, long b0, long b1, bool need_min, Split& spl) {
    const long dmin = a0 - b1, dmax = a1 - b0;
    const long fmid = a0 - b0, bmid = a1 - b1;
    const bool odd = ((fmid - bmid) & 1) != 0;
    long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    vf(fmid) = a0;
    vb(bmid) = a1;
    constexpr long kFar = 1L << 60;
    for (long ec = 1;; ++ec) {
      bool got_snake = false;
      // Forward: widen the band of diagonals by one on each side where the box allows.
      if (fmin > dmin) vf(--fmin - 1) = -1; else ++fmin;
      if (fmax < dmax) vf(++fmax + 1) = -1; else --fmax;
      for (long k = fmax; k >= fmin; k -= 2) {
        long x = vf(k - 1) >= vf(k + 1) ? vf(k - 1) + 1 : vf(k + 1);
        const long x0 = x;
        long y = x - k;
        while (x < a1 && y < b1 && a_[x] == b_[y]) ++x, ++y;
        if (x - x0 > kSnakeCnt) got_snake = true;
        work_ += 1 + static_cast<std::uint64_t>(x - x0);
        vf(k) = x;
        if (odd && bmin <= k && k <= bmax && vb(k) <= x) {
          spl = Split{x, y, true, true};
          return true;
        }
      }
      // Backward, from the bottom-right corner.
      if (bmin > dmin) vb(--bmin - 1) = kFar; else ++bmin;
      if (bmax < dmax) vb(++bmax + 1) = kFar; else --bmax;
      for (long k = bmax; k >= bmin; k -= 2) {
        long x = vb(k - 1) < vb(k + 1) ? vb(k - 1) : vb(k + 1) - 1;
        const long x0 = x;
        long y = x - k;
        while (x > a0 && y > b0 && a_[x - 1] == b_[y - 1]) --x, --y;
        if (x0 - x > kSnakeCnt) got_snake = true;
        work_ += 1 + static_cast<std::uint64_t>(x0 - x);
        vb(k) = x;
        if (!odd && fmin <= k && k <= fmax && x <= vf(k)) {
          spl = Split{x, y, true, true};
          return true;
        }
      }
      if (work_ > kMaxMyersWork) {
        exhausted_ = true;
        return false;
      }
      if (need_min) continue;

      // A good snake past the heuristic trigger: take an "interesting" diagonal, one far from
      // the corner and not too far from the middle diagonal, ending in a run of kSnakeCnt
      // equal lines.
      if (got_snake && ec > kHeurMinCost) {
        long best = 0;
        for (long k = fmax; k >= fmin; k -= 2) {
          const long dd = k > fmid ? k - fmid : fmid - k;
          const long x = vf(k), y = x - k;
          const long v = (x - a0) + (y - b0) - dd;
          if (v > kHeur * ec && v > best && a0 + kSnakeCnt <= x && x < a1 &&
              b0 + kSnakeCnt <= y && y < b1) {
            for (long n = 1; a_[x - n] == b_[y - n]; ++n) {
              if (n == kSnakeCnt) {
                best = v;
                spl = Split{x, y, true, false};
                break;
              }
            }
          }
        }
        if (best > 0) return true;
        best = 0;
        for (long k = bmax; k >= bmin; k -= 2) {
          const long dd = k > bmid ? k - bmid : bmid - k;
          const long x = vb(k), y = x - k;
          const long v = (a1 - x) + (b1 - y) - dd;
          if (v > kHeur * ec && v > best && a0 < x && x <= a1 - kSnakeCnt && b0 < y &&
              y <= b1 - kSnakeCnt) {
            for (long n = 0; a_[x + n] == b_[y + n]; ++n) {
              if (n == kSnakeCnt - 1) {
                best = v;
                spl = Split{x, y, false, true};
                break;
              }
            }
          }
        }
        if (best > 0) return true;
      }

      // Enough: split at the furthest reaching path by x + y.
      if (ec >= max_cost_) {
        long fbest = -1, fbest1 = -1;
        for (long k = fmax; k >= fmin; k -= 2) {
          long x = std::min(vf(k), a1), y = x - k;
          if (b1 < y) x = b1 + k, y = b1;
          if (fbest < x + y) {
            fbest = x + y;
            fbest1 = x;
          }
        }
        long bbest = kFar, bbest1 = kFar;
        for (long k = bmax; k >= bmin; k -= 2) {
          long x = std::max(a0, vb(k)), y = x - k;
          if (y < b0) x = b0 + k, y = b0;
          if (x + y < bbest) {
            bbest = x + y;
            bbest1 = x;
          }
        }
        if ((a1 + b1) - bbest < fbest - (a0 + b0)) {
          spl = Split{fbest1, fbest - fbest1, true, false};
        } else {
          spl = Split{bbest1, bbest - bbest1, false, true};
        }
        return true;
      }
    }
  }

  const std::vector<std::uint32_t>& a_;
  const std::vector<std::uint32_t>& b_;
  std::vector<char> chg_a_, chg_b_;
  long off_;
  std::vector<long> vf_, vb_;
  long max_cost_ = 256;
  std::uint64_t work_ = 0;
  bool exhausted_ = false;
};

// A run of changed lines [start, end) in one side (possibly empty: the gap between two
// unchanged lines).
struct Group {
  long start = 0, end = 0;
};

void group_init(const Side& s, Group& g) {
  g.start = g.end = 0;
  while (s.changed(g.end)) ++g.end;
}

bool group_next(const Side& s, Group& g) {
  if (g.end == s.n) return false;
  g.start = g.end + 1;
  g.end = g.start;
  while (s.changed(g.end)) ++g.end;
  return true;
}

bool group_prev(const Side& s, Group& g) {
  if (g.start == 0) return false;
  g.end = g.start - 1;
  g.start = g.end;
  while (s.changed(g.start - 1)) --g.start;
  return true;
}

bool slide_down(Side& s, Group& g) {
  if (g.end >= s.n || s.rec[g.start] != s.rec[g.end]) return false;
  s.mark(g.start++, false);
  s.mark(g.end++, true);
  while (s.changed(g.end)) ++g.end;
  return true;
}

bool slide_up(Side& s, Group& g) {
  if (g.start <= 0 || s.rec[g.start - 1] != s.rec[g.end - 1]) return false;
  s.mark(--g.start, true);
  s.mark(--g.end, false);
  while (s.changed(g.start - 1)) --g.start;
  return true;
}

// Git's indent heuristic (diff.indentHeuristic, on by default, and used by `git blame`):
// where a block of changes can slide, score each position by the blank lines and indentation
// around its two ends and take the best (the lowest position among equals).
constexpr int kMaxIndent = 200;
constexpr int kMaxBlanks = 20;
constexpr int kIndentMaxSliding = 100;

int indent_of(std::string_view line) {
  int ret = 0;
  for (char c : line) {
    if (c == ' ') {
      ret += 1;
    } else if (c == '\t') {
      ret += 8 - ret % 8;
    } else if (c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      // other whitespace counts for nothing
    } else {
      return ret;
    }
    if (ret >= kMaxIndent) return kMaxIndent;
  }
  return -1;  // blank: whitespace only
}

struct SplitMeasure {
  bool end_of_file = false;
  int indent = -1, pre_blank = 0, pre_indent = -1, post_blank = 0, post_indent = -1;
};

struct SplitScore {
  int effective_indent = 0;
  int penalty = 0;
};

SplitMeasure measure_split(Lines lines, long split) {
  const long n = static_cast<long>(lines.size());
  SplitMeasure m;
  if (split >= n) {
    m.end_of_file = true;
    m.indent = -1;
  } else {
    m.indent = indent_of(lines[static_cast<std::size_t>(split)]);
  }
  for (long i = split - 1; i >= 0; --i) {
    m.pre_indent = indent_of(lines[static_cast<std::size_t>(i)]);
    if (m.pre_indent != -1) break;
    if (++m.pre_blank == kMaxBlanks) {
      m.pre_indent = 0;
      break;
    }
  }
  for (long i = split + 1; i < n; ++i) {
    m.post_indent = indent_of(lines[static_cast<std::size_t>(i)]);
    if (m.post_indent != -1) break;
    if (++m.post_blank == kMaxBlanks) {
      m.post_indent = 0;
      break;
    }
  }
  return m;
}

void score_split(const SplitMeasure& m, SplitScore& s) {
  if (m.pre_indent == -1 && m.pre_blank == 0) s.penalty += 1;  // start of file
  if (m.end_of_file) s.penalty += 21;
  const int post_blank = m.indent == -1 ? 1 + m.post_blank : 0;
  const int total_blank = m.pre_blank + post_blank;
  s.penalty += -30 * total_blank;
  s.penalty += 6 * post_blank;
  const int indent = m.indent != -1 ? m.indent : m.post_indent;
  const bool any_blanks = total_blank != 0;
  s.effective_indent += indent;
  if (indent == -1 || m.pre_indent == -1) {
  } else if (indent > m.pre_indent) {
    s.penalty += any_blanks ? 10 : -4;
  } else if (indent == m.pre_indent) {
  } else if (m.post_indent != -1 && m.post_indent > indent) {
    s.penalty += any_blanks ? 17 : 24;
  } else {
    s.penalty += any_blanks ? 17 : 23;
  }
}

int score_cmp(const SplitScore& a, const SplitScore& b) {
  const int cmp = (a.effective_indent > b.effective_indent) - (a.effective_indent < b.effective_indent);
  return 60 * cmp + (a.penalty - b.penalty);
}

// Where a block of changes can move without changing the diff (a run of equal lines), put it
// as low as it goes, unless a position lines it up with a change in the other file. This is
// the placement `git diff --no-indent-heuristic` makes, and it keeps our added lines the
// same as git's in the usual duplicate-line cases. With `lines` (the lines of `x`), git's
// indent heuristic then picks among the remaining positions, as plain `git diff` does.
void compact(Side& x, Side& o, const Lines* lines = nullptr) {
  Group g, go;
  group_init(x, g);
  group_init(o, go);
  while (true) {
    if (g.end != g.start) {
      long size = 0, earliest_end = 0, end_matching_other = -1;
      do {
        size = g.end - g.start;
        end_matching_other = -1;
        while (slide_up(x, g)) group_prev(o, go);
        earliest_end = g.end;
        if (go.end > go.start) end_matching_other = g.end;
        while (slide_down(x, g)) {
          group_next(o, go);
          if (go.end > go.start) end_matching_other = g.end;
        }
      } while (size != g.end - g.start);
      if (g.end == earliest_end) {
        // no freedom
      } else if (end_matching_other != -1) {
        while (go.end == go.start) {
          slide_up(x, g);
          group_prev(o, go);
        }
      } else if (lines != nullptr) {
        long shift = earliest_end;
        if (g.end - size - 1 > shift) shift = g.end - size - 1;
        if (g.end - kIndentMaxSliding > shift) shift = g.end - kIndentMaxSliding;
        long best_shift = -1;
        SplitScore best;
        for (; shift <= g.end; ++shift) {
          SplitScore score;
          score_split(measure_split(*lines, shift), score);
          score_split(measure_split(*lines, shift - size), score);
          if (best_shift == -1 || score_cmp(score, best) <= 0) {
            best = score;
            best_shift = shift;
          }
        }
        while (g.end > best_shift) {
          slide_up(x, g);
          group_prev(o, go);
        }
      }
    }
    if (!group_next(x, g)) break;
    group_next(o, go);
  }
}

// Linear fallback over the middle region: a new line is added when its content is missing
// from the old region, or occurs there fewer times than in the new region so far.
void multiset_difference(const Side& a, Side& b, long a0, long a1, long b0, long b1) {
  std::unordered_map<std::uint32_t, long> left;
  for (long i = a0; i < a1; ++i) ++left[a.rec[i]];
  for (long j = b0; j < b1; ++j) {
    auto it = left.find(b.rec[j]);
    if (it != left.end() && it->second > 0) {
      --it->second;
    } else {
      b.mark(j, true);
    }
  }
}

std::vector<LineRange> ranges_of(const Side& b) {
  std::vector<LineRange> out;
  for (long j = 0; j < b.n; ++j) {
    if (!b.changed(j)) continue;
    const auto line = static_cast<std::uint32_t>(j + 1);
    if (!out.empty() && out.back().last + 1 == line) {
      out.back().last = line;
    } else {
      out.push_back(LineRange{line, line});
    }
  }
  return out;
}

// The change marks of a minimal line diff of `old_lines` -> `new_lines`. `indent` applies git's
// indent heuristic. `exact` is false when the Myers search hit its work limit: then only `b`'s
// marks are meaningful (a multiset difference over the middle region [a0,a1) x [b0,b1)).
struct DiffCore {
  Side a, b;
  bool exact = true;
  long a0 = 0, a1 = 0, b0 = 0, b1 = 0;
  DiffCore(std::size_t na, std::size_t nb) : a(na), b(nb) {}
};

// xdiff's classes for the lines [x0, x1) of `x`: 0 = no match in the other file, 2 = at least
// bogosqrt(lines of x) matches, else 1 (indexed from x0).
std::vector<char> discard_classes(const Side& x, long x0, long x1,
                                  const std::vector<std::uint32_t>& count_other) {
  long limit = 1;
  for (long n = x.n; n > 0; n >>= 2) limit <<= 1;
  limit = std::min<long>(limit, 1024);
  std::vector<char> dis(static_cast<std::size_t>(std::max<long>(x1 - x0, 0)));
  for (long i = x0; i < x1; ++i) {
    const long nm = count_other[x.rec[i]];
    dis[static_cast<std::size_t>(i - x0)] = nm == 0 ? 0 : nm >= limit ? 2 : 1;
  }
  return dis;
}

// Whether xdiff discards line i (absolute; `dis` indexed from s) of the region [s, e): an
// unmatched line always; a many-matches line when it sits inside a run of unmatched and
// many-matches lines with enough unmatched ones on both sides (xdl_clean_mmatch).
bool discarded(const std::vector<char>& dis, long i, long s, long e) {
  auto d = [&](long k) { return dis[static_cast<std::size_t>(k - s)]; };
  if (d(i) == 0) return true;
  if (d(i) == 1) return false;
  constexpr long kWindow = 100;  // XDL_SIMSCAN_WINDOW
  constexpr long kKeepRun = 4;   // XDL_KPDIS_RUN
  long lo = s, hi = e - 1;
  if (i - lo > kWindow) lo = i - kWindow;
  if (hi - i > kWindow) hi = i + kWindow;
  long rdis0 = 0, rpdis0 = 1;
  for (long r = 1; i - r >= lo; ++r) {
    if (d(i - r) == 0) {
      ++rdis0;
    } else if (d(i - r) == 2) {
      ++rpdis0;
    } else {
      break;
    }
  }
  if (rdis0 == 0) return false;
  long rdis1 = 0, rpdis1 = 1;
  for (long r = 1; i + r <= hi; ++r) {
    if (d(i + r) == 0) {
      ++rdis1;
    } else if (d(i + r) == 2) {
      ++rpdis1;
    } else {
      break;
    }
  }
  if (rdis1 == 0) return false;
  rdis1 += rdis0;
  rpdis1 += rpdis0;
  return rpdis1 * kKeepRun < rpdis1 + rdis1;
}

// The bytes the lines of `x` span (they are consecutive views into one text).
std::string_view span_of(Lines x) {
  if (x.empty()) return {};
  return std::string_view(x.front().data(),
                          static_cast<std::size_t>(x.back().data() + x.back().size() - x.front().data()));
}

std::size_t common_prefix_bytes(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return i + static_cast<std::size_t>(std::countr_zero(x ^ y) / 8);
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

std::size_t common_suffix_bytes(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + a.size() - i - 8, 8);
    std::memcpy(&y, b.data() + b.size() - i - 8, 8);
    if (x != y) return i + static_cast<std::size_t>(std::countl_zero(x ^ y) / 8);
  }
  while (i < n && a[a.size() - 1 - i] == b[b.size() - 1 - i]) ++i;
  return i;
}

// How many leading lines are equal in both files (the longest such run).
long common_prefix_lines(Lines a, Lines b) {
  const std::string_view ta = span_of(a), tb = span_of(b);
  const std::size_t p = common_prefix_bytes(ta, tb);
  // Lines of `a` that end within the common bytes; a line there starts at the same offset in
  // `b`; it is the same line when it also ends at the same offset (a last line without a
  // newline may go on in `b`).
  long k = std::upper_bound(a.begin(), a.end(), ta.data() + p,
                            [](const char* end, std::string_view l) { return end < l.data() + l.size(); }) -
           a.begin();
  k = std::min<long>(k, static_cast<long>(b.size()));
  while (k > 0 && a[static_cast<std::size_t>(k - 1)].size() != b[static_cast<std::size_t>(k - 1)].size()) --k;
  return k;
}

// How many trailing lines are equal in both files, at most min(lines) - `pre`.
long common_suffix_lines(Lines a, Lines b, long pre) {
  const long limit = std::min(static_cast<long>(a.size()), static_cast<long>(b.size())) - pre;
  if (limit <= 0) return 0;
  const std::string_view ta = span_of(a), tb = span_of(b);
  const std::size_t s = common_suffix_bytes(ta, tb);
  const char* from = ta.data() + ta.size() - s;
  // Lines of `a` that start within the common bytes; such a line ends at the same offset from
  // the end in `b`; it is the same line when it also starts there.
  long k = a.end() - std::lower_bound(a.begin(), a.end(), from,
                                      [](std::string_view l, const char* f) { return l.data() < f; });
  k = std::min(k, limit);
  while (k > 0 && a[a.size() - static_cast<std::size_t>(k)].size() != b[b.size() - static_cast<std::size_t>(k)].size()) --k;
  return k;
}

// Equal lines get one class id: an open-addressing table over the lines' 64-bit hashes
// (content compared on equal hashes), sized for both files at once.
class Classifier {
 public:
  explicit Classifier(std::size_t lines) {
    std::size_t cap = 16;
    while (cap < 2 * lines) cap <<= 1;
    slots_.assign(cap, 0);
    mask_ = cap - 1;
    hash_.reserve(lines);
    text_.reserve(lines);
  }
  // The class of `line`, and whether it is new.
  std::uint32_t classify(std::string_view line, std::uint64_t h, bool& fresh) {
    std::size_t i = static_cast<std::size_t>(h) & mask_;
    while (const std::uint32_t slot = slots_[i]) {
      const std::uint32_t c = slot - 1;
      if (hash_[c] == h && text_[c] == line) {
        fresh = false;
        return c;
      }
      i = (i + 1) & mask_;
    }
    const auto c = static_cast<std::uint32_t>(hash_.size());
    hash_.push_back(h);
    text_.push_back(line);
    slots_[i] = c + 1;
    fresh = true;
    return c;
  }

 private:
  std::vector<std::uint32_t> slots_;  // class + 1; 0 = empty
  std::vector<std::uint64_t> hash_;
  std::vector<std::string_view> text_;
  std::size_t mask_ = 0;
};

DiffCore diff_core(Lines old_lines, Hashes old_hashes, Lines new_lines, Hashes new_hashes,
                   bool indent, bool git_discard, bool need_min = true) {
  DiffCore d(old_lines.size(), new_lines.size());
  Side& a = d.a;
  Side& b = d.b;

  // Classes, and how often each occurs in the old and in the new file.
  Classifier classes(old_lines.size() + new_lines.size());
  std::vector<std::uint32_t> count_a, count_b;
  count_a.reserve(old_lines.size() + new_lines.size());
  count_b.reserve(old_lines.size() + new_lines.size());
  auto classify = [&](std::string_view line, std::uint64_t h) {
    bool fresh = false;
    const std::uint32_t c = classes.classify(line, h, fresh);
    if (fresh) {
      count_a.push_back(0);
      count_b.push_back(0);
    }
    return c;
  };
  // The common head and tail (found on the bytes) hold the same lines on both sides: each is
  // classified once, for both files.
  const long pre = common_prefix_lines(old_lines, new_lines);
  const long suf = common_suffix_lines(old_lines, new_lines, pre);
  long a0 = pre, b0 = pre, a1 = a.n - suf, b1 = b.n - suf;
  for (long i = 0; i < pre; ++i) {
    const std::uint32_t c = classify(old_lines[i], old_hashes[i]);
    a.rec[i] = b.rec[i] = c;
    ++count_a[c];
    ++count_b[c];
  }
  for (long i = a0; i < a1; ++i) ++count_a[a.rec[i] = classify(old_lines[i], old_hashes[i])];
  for (long j = b0; j < b1; ++j) ++count_b[b.rec[j] = classify(new_lines[j], new_hashes[j])];
  for (long k = 0; k < suf; ++k) {
    const std::uint32_t c = classify(old_lines[a1 + k], old_hashes[a1 + k]);
    a.rec[a1 + k] = b.rec[b1 + k] = c;
    ++count_a[c];
    ++count_b[c];
  }
  d.a0 = a0, d.a1 = a1, d.b0 = b0, d.b1 = b1;

  // A line whose content is absent from the other file is changed whatever the alignment:
  // mark it now and run Myers on the rest only. With `git_discard`, also xdiff's discard of
  // lines with many matches that sit in a run of unmatched lines (xdl_cleanup_records).
  std::vector<std::uint32_t> ra, rb;
  std::vector<long> ia, ib;
  std::vector<char> dis_a, dis_b;
  if (git_discard) {
    dis_a = discard_classes(a, a0, a1, count_b);
    dis_b = discard_classes(b, b0, b1, count_a);
  }
  for (long i = a0; i < a1; ++i) {
    if (git_discard ? discarded(dis_a, i, a0, a1) : count_b[a.rec[i]] == 0) {
      a.mark(i, true);
    } else {
      ra.push_back(a.rec[i]);
      ia.push_back(i);
    }
  }
  for (long j = b0; j < b1; ++j) {
    if (git_discard ? discarded(dis_b, j, b0, b1) : count_a[b.rec[j]] == 0) {
      b.mark(j, true);
    } else {
      rb.push_back(b.rec[j]);
      ib.push_back(j);
    }
  }

  Myers myers(ra, rb);
  if (myers.run(need_min)) {
    for (std::size_t i = 0; i < ia.size(); ++i) {
      if (myers.deleted()[i]) a.mark(ia[i], true);
    }
    for (std::size_t j = 0; j < ib.size(); ++j) {
      if (myers.added()[j]) b.mark(ib[j], true);
    }
    compact(a, b, indent ? &old_lines : nullptr);
    compact(b, a, indent ? &new_lines : nullptr);
  } else {
    d.exact = false;
    for (long j = b0; j < b1; ++j) b.mark(j, false);
    multiset_difference(a, b, a0, a1, b0, b1);
  }
  return d;
}

}  // namespace

// Splits and hashes in one pass, a word at a time (a newline is found in a word with the
// zero-byte trick on word ^ 0x0a0a...: exact for the lowest such byte).
LineIndex index_lines(std::string_view text) {
  LineIndex idx;
  idx.text = text;
  idx.lines.reserve(text.size() / 32 + 1);
  idx.hashes.reserve(text.size() / 32 + 1);
  const char* p = text.data();
  const char* const end = p + text.size();
  const char* start = p;
  std::uint64_t h = kHashSeed;
  auto finish = [&](const char* line_end) {
    const auto len = static_cast<std::size_t>(line_end - start);
    idx.lines.emplace_back(start, len);
    idx.hashes.push_back(hash_finish(h, len));
    start = line_end;
    h = kHashSeed;
  };
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  constexpr std::uint64_t kNewlines = 0x0a0a0a0a0a0a0a0aull;
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t x = w ^ kNewlines;
    const std::uint64_t z = (x - kOnes) & ~x & kHigh;
    if (z == 0) {
      h = hash_word(h, w);
      p += 8;
      continue;
    }
    const std::size_t n = static_cast<std::size_t>(std::countr_zero(z) / 8) + 1;  // through '\n'
    h = hash_word(h, low_bytes(w, n));
    p += n;
    finish(p);
  }
  while (p < end) {
    const auto r = static_cast<std::size_t>(end - p);
    std::uint64_t w = 0;
    std::memcpy(&w, p, r);
    const void* nl = std::memchr(p, '\n', r);
    const std::size_t n = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - p) + 1 : r;
    h = hash_word(h, low_bytes(w, n));
    p += n;
    if (nl != nullptr) finish(p);
  }
  if (start < end) finish(end);
  return idx;
}

std::vector<LineRange> added_lines(std::string_view old_text, std::string_view new_text) {
  const LineIndex a = index_lines(old_text);
  const LineIndex b = index_lines(new_text);
  return ranges_of(diff_core(a.lines, a.hashes, b.lines, b.hashes, false, false).b);
}

std::vector<std::int64_t> line_origins(std::string_view old_text, std::string_view new_text,
                                       const LineDiffOptions& options) {
  return line_origins(index_lines(old_text), index_lines(new_text), options);
}

std::vector<std::int64_t> line_origins(const LineIndex& old_idx, const LineIndex& new_idx,
                                       const LineDiffOptions& options) {
  const std::string_view old_text = old_idx.text;
  const std::string_view new_text = new_idx.text;
  // Git (xdi_diff without context) drops a common tail in 1024-byte blocks, then gives back
  // the bytes up to the first newline of the dropped part, before diffing: the lines of that
  // tail are unchanged, and changes cannot slide into it.
  std::size_t tail = 0;
  if (options.trim_common_tail) {
    constexpr std::size_t kBlock = 1024;
    const std::size_t smaller = std::min(old_text.size(), new_text.size());
    std::size_t trimmed = 0;
    while (kBlock + trimmed <= smaller &&
           std::memcmp(old_text.data() + old_text.size() - trimmed - kBlock,
                       new_text.data() + new_text.size() - trimmed - kBlock, kBlock) == 0) {
      trimmed += kBlock;
    }
    std::size_t recovered = 0;
    const char* ap = old_text.data() + old_text.size() - trimmed;
    while (recovered < trimmed) {
      if (ap[recovered++] == '\n') break;
    }
    tail = trimmed - recovered;
  }
  // The heads end on a line boundary (just after a newline, or at the end): their lines are a
  // prefix of each file's lines.
  auto head_lines = [tail](const LineIndex& idx) {
    const char* end = idx.text.data() + idx.text.size() - tail;
    const auto it = std::lower_bound(idx.lines.begin(), idx.lines.end(), end,
                                     [](std::string_view l, const char* e) { return l.data() < e; });
    return static_cast<std::size_t>(it - idx.lines.begin());
  };
  const std::size_t na = head_lines(old_idx), nb = head_lines(new_idx);
  const Lines old_lines = Lines(old_idx.lines).first(na);
  const Lines new_lines = Lines(new_idx.lines).first(nb);
  const DiffCore d = diff_core(old_lines, Hashes(old_idx.hashes).first(na), new_lines,
                               Hashes(new_idx.hashes).first(nb), options.indent_heuristic,
                               options.discard_multimatch, !options.xdiff_heuristics);

  std::vector<std::int64_t> out(new_lines.size(), -1);
  out.reserve(new_idx.lines.size());
  if (d.exact) {
    // Unchanged lines pair up in order.
    long i = 0;
    for (long j = 0; j < d.b.n; ++j) {
      if (d.b.changed(j)) continue;
      while (i < d.a.n && d.a.changed(i)) ++i;
      out[static_cast<std::size_t>(j)] = i++;
    }
  } else {
    // Fallback: the common head and tail pair up; in the middle, each unmarked new line takes
    // the next unused old line of the same content.
    for (long j = 0; j < d.b0; ++j) out[static_cast<std::size_t>(j)] = j;
    for (long j = d.b1; j < d.b.n; ++j) out[static_cast<std::size_t>(j)] = j - d.b1 + d.a1;
    std::unordered_map<std::uint32_t, std::vector<long>> free_old;
    for (long i = d.a1 - 1; i >= d.a0; --i) free_old[d.a.rec[i]].push_back(i);
    for (long j = d.b0; j < d.b1; ++j) {
      if (d.b.changed(j)) continue;
      auto& v = free_old[d.b.rec[j]];
      if (v.empty()) continue;  // cannot happen: unmarked lines were matched
      out[static_cast<std::size_t>(j)] = v.back();
      v.pop_back();
    }
  }
  // The trimmed tail: whole, identical lines.
  for (std::size_t k = 0; k < new_idx.lines.size() - nb; ++k) {
    out.push_back(static_cast<std::int64_t>(na + k));
  }
  return out;
}

bool looks_binary(std::string_view bytes) noexcept {
  const std::size_t n = std::min<std::size_t>(bytes.size(), 8000);
  return n > 0 && std::memchr(bytes.data(), '\0', n) != nullptr;
}

}  // namespace provscan::git
