#include "git/line_diff.h"

#include <algorithm>
#include <cstring>
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
    const std::size_t eol = text.find('\n', pos);
    const std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    lines.push_back(text.substr(pos, next - pos));
    pos = next;
  }
  return lines;
}

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
        vf_(a.size() + b.size() + 3), vb_(a.size() + b.size() + 3) {}

  // False when the work limit was hit; the marks are then incomplete.
  bool run() {
    compare(0, static_cast<long>(a_.size()), 0, static_cast<long>(b_.size()));
    return !exhausted_;
  }
  const std::vector<char>& deleted() const { return chg_a_; }
  const std::vector<char>& added() const { return chg_b_; }

 private:
  long& vf(long k) { return vf_[static_cast<std::size_t>(k + off_)]; }
  long& vb(long k) { return vb_[static_cast<std::size_t>(k + off_)]; }

  void compare(long a0, long a1, long b0, long b1) {
    while (a0 < a1 && b0 < b1 && a_[a0] == b_[b0]) ++a0, ++b0;
    while (a0 < a1 && b0 < b1 && a_[a1 - 1] == b_[b1 - 1]) --a1, --b1;
    if (a0 == a1) {
      for (long j = b0; j < b1; ++j) chg_b_[j] = 1;
    } else if (b0 == b1) {
      for (long i = a0; i < a1; ++i) chg_a_[i] = 1;
    } else {
      // Both sides are non-empty and differ at both ends, so D >= 2 and each half is a
      // strictly smaller problem.
      long x = 0, y = 0;
      if (!middle_snake(a0, a1, b0, b1, x, y)) return;
      compare(a0, x, b0, y);
      if (exhausted_) return;
      compare(x, a1, y, b1);
    }
  }

  // Finds a point (x, y) on a minimal edit path of the box [a0,a1) x [b0,b1) where the forward
  // and backward searches meet. Diagonals are numbered k = x - y.
  bool middle_snake(long a0, long a1, long b0, long b1, long& x_out, long& y_out) {
    const long dmin = a0 - b1, dmax = a1 - b0;
    const long fmid = a0 - b0, bmid = a1 - b1;
    const bool odd = ((fmid - bmid) & 1) != 0;
    long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    vf(fmid) = a0;
    vb(bmid) = a1;
    constexpr long kFar = 1L << 60;
    while (true) {
      // Forward: widen the band of diagonals by one on each side where the box allows.
      if (fmin > dmin) vf(--fmin - 1) = -1; else ++fmin;
      if (fmax < dmax) vf(++fmax + 1) = -1; else --fmax;
      for (long k = fmax; k >= fmin; k -= 2) {
        long x = vf(k - 1) >= vf(k + 1) ? vf(k - 1) + 1 : vf(k + 1);
        long y = x - k;
        const long x0 = x;
        while (x < a1 && y < b1 && a_[x] == b_[y]) ++x, ++y;
        work_ += 1 + static_cast<std::uint64_t>(x - x0);
        vf(k) = x;
        if (odd && bmin <= k && k <= bmax && vb(k) <= x) {
          x_out = x;
          y_out = y;
          return true;
        }
      }
      // Backward, from the bottom-right corner.
      if (bmin > dmin) vb(--bmin - 1) = kFar; else ++bmin;
      if (bmax < dmax) vb(++bmax + 1) = kFar; else --bmax;
      for (long k = bmax; k >= bmin; k -= 2) {
        long x = vb(k - 1) < vb(k + 1) ? vb(k - 1) : vb(k + 1) - 1;
        long y = x - k;
        const long x0 = x;
        while (x > a0 && y > b0 && a_[x - 1] == b_[y - 1]) --x, --y;
        work_ += 1 + static_cast<std::uint64_t>(x0 - x);
        vb(k) = x;
        if (!odd && fmin <= k && k <= fmax && x <= vf(k)) {
          x_out = x;
          y_out = y;
          return true;
        }
      }
      if (work_ > kMaxMyersWork) {
        exhausted_ = true;
        return false;
      }
    }
  }

  const std::vector<std::uint32_t>& a_;
  const std::vector<std::uint32_t>& b_;
  std::vector<char> chg_a_, chg_b_;
  long off_;
  std::vector<long> vf_, vb_;
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

// Where a block of changes can move without changing the diff (a run of equal lines), put it
// as low as it goes, unless a position lines it up with a change in the other file. This is
// the placement `git diff --no-indent-heuristic` makes, and it keeps our added lines the
// same as git's in the usual duplicate-line cases.
void compact(Side& x, Side& o) {
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
      if (g.end != earliest_end && end_matching_other != -1) {
        while (go.end == go.start) {
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

}  // namespace

std::vector<LineRange> added_lines(std::string_view old_text, std::string_view new_text) {
  const std::vector<std::string_view> old_lines = split_lines(old_text);
  const std::vector<std::string_view> new_lines = split_lines(new_text);
  Side a(old_lines.size()), b(new_lines.size());

  // Classes, and how often each occurs in the old and in the new file.
  std::unordered_map<std::string_view, std::uint32_t> classes;
  std::vector<std::uint32_t> count_a, count_b;
  auto classify = [&](std::string_view line) {
    auto [it, fresh] = classes.emplace(line, static_cast<std::uint32_t>(classes.size()));
    if (fresh) {
      count_a.push_back(0);
      count_b.push_back(0);
    }
    return it->second;
  };
  for (long i = 0; i < a.n; ++i) ++count_a[a.rec[i] = classify(old_lines[i])];
  for (long j = 0; j < b.n; ++j) ++count_b[b.rec[j] = classify(new_lines[j])];

  long a0 = 0, b0 = 0, a1 = a.n, b1 = b.n;
  while (a0 < a1 && b0 < b1 && a.rec[a0] == b.rec[b0]) ++a0, ++b0;
  while (a0 < a1 && b0 < b1 && a.rec[a1 - 1] == b.rec[b1 - 1]) --a1, --b1;

  // A line whose content is absent from the other file is changed whatever the alignment:
  // mark it now and run Myers on the rest only.
  std::vector<std::uint32_t> ra, rb;
  std::vector<long> ia, ib;
  for (long i = a0; i < a1; ++i) {
    if (count_b[a.rec[i]] == 0) {
      a.mark(i, true);
    } else {
      ra.push_back(a.rec[i]);
      ia.push_back(i);
    }
  }
  for (long j = b0; j < b1; ++j) {
    if (count_a[b.rec[j]] == 0) {
      b.mark(j, true);
    } else {
      rb.push_back(b.rec[j]);
      ib.push_back(j);
    }
  }

  Myers myers(ra, rb);
  if (myers.run()) {
    for (std::size_t i = 0; i < ia.size(); ++i) {
      if (myers.deleted()[i]) a.mark(ia[i], true);
    }
    for (std::size_t j = 0; j < ib.size(); ++j) {
      if (myers.added()[j]) b.mark(ib[j], true);
    }
    compact(a, b);
    compact(b, a);
  } else {
    for (long j = b0; j < b1; ++j) b.mark(j, false);
    multiset_difference(a, b, a0, a1, b0, b1);
  }
  return ranges_of(b);
}

bool looks_binary(std::string_view bytes) noexcept {
  const std::size_t n = std::min<std::size_t>(bytes.size(), 8000);
  return n > 0 && std::memchr(bytes.data(), '\0', n) != nullptr;
}

}  // namespace provscan::git
