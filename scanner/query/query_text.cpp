// Lexical helpers over tree-sitter query text: positions for error messages and the few
// structural facts the C API does not expose (where predicates stand, which patterns capture).
#include <algorithm>
#include <cctype>

#include "scanner/query/detail/query_detail.h"

namespace provscan::scan::detail {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool is_delimiter(char c) {
  return is_blank(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '"' || c == ':' ||
         c == ';';
}

// Index past the string literal starting at q[i] == '"' (escapes honoured; unterminated
// strings run to the end).
std::size_t skip_string(std::string_view q, std::size_t i) {
  for (++i; i < q.size(); ++i) {
    if (q[i] == '\\') ++i;
    else if (q[i] == '"') return i + 1;
  }
  return q.size();
}

std::size_t skip_comment(std::string_view q, std::size_t i) {
  std::size_t nl = q.find('\n', i);
  return nl == std::string_view::npos ? q.size() : nl + 1;
}

std::size_t skip_blanks_and_comments(std::string_view q, std::size_t i) {
  while (i < q.size()) {
    if (is_blank(q[i])) ++i;
    else if (q[i] == ';') i = skip_comment(q, i);
    else break;
  }
  return i;
}

// If q[i] == '(' opens a predicate group, the index of its '#', else npos.
std::size_t predicate_hash_at(std::string_view q, std::size_t i) {
  if (q[i] != '(') return std::string_view::npos;
  std::size_t j = skip_blanks_and_comments(q, i + 1);
  return j < q.size() && q[j] == '#' ? j : std::string_view::npos;
}

// Index past the group opened at q[i] == '('.
std::size_t skip_group(std::string_view q, std::size_t i) {
  int depth = 0;
  while (i < q.size()) {
    char c = q[i];
    if (c == '"') { i = skip_string(q, i); continue; }
    if (c == ';') { i = skip_comment(q, i); continue; }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return i + 1;
    ++i;
  }
  return q.size();
}

}  // namespace

TextPos position_in_query(std::string_view query, std::size_t offset, int line0, int col0) {
  offset = std::min(offset, query.size());
  TextPos p{line0, col0};
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (query[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  }
  p.col = col0 + static_cast<int>(offset - line_start);
  return p;
}

std::string_view token_at(std::string_view query, std::size_t offset) {
  if (offset >= query.size()) return {};
  if (is_delimiter(query[offset])) {
    if (is_blank(query[offset])) return query.substr(offset, 0);
    return query.substr(offset, 1);
  }
  std::size_t end = offset;
  while (end < query.size() && !is_delimiter(query[end]) && end - offset < 40) ++end;
  return query.substr(offset, end - offset);
}

std::vector<std::size_t> predicate_offsets(std::string_view q) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < q.size();) {
    if (q[i] == '"') { i = skip_string(q, i); continue; }
    if (q[i] == ';') { i = skip_comment(q, i); continue; }
    std::size_t hash = predicate_hash_at(q, i);
    if (hash != std::string_view::npos) {
      out.push_back(hash);
      i = skip_group(q, i);
      continue;
    }
    ++i;
  }
  return out;
}

namespace {

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == '?' || c == '!';
}

// Tree-sitter's string escapes: \n \r \t \0, anything else stands for itself.
std::string read_string(std::string_view q, std::size_t& i) {
  std::string out;
  for (++i; i < q.size(); ++i) {
    char c = q[i];
    if (c == '"') {
      ++i;
      return out;
    }
    if (c == '\\' && i + 1 < q.size()) {
      c = q[++i];
      out.push_back(c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c == '0' ? '\0' : c);
      continue;
    }
    out.push_back(c);
  }
  throw QuerySyntaxError{q.size()};
}

// Reads the group `(#name args...)` whose '#' is at q[hash]; returns the index past ')'.
std::size_t read_predicate(std::string_view q, std::size_t hash, RawPredicate& p) {
  p.offset = hash;
  std::size_t i = hash + 1;
  while (i < q.size() && is_name_char(q[i])) p.name.push_back(q[i++]);
  if (p.name.empty()) throw QuerySyntaxError{i};
  for (;;) {
    i = skip_blanks_and_comments(q, i);
    if (i >= q.size()) throw QuerySyntaxError{q.size()};
    if (q[i] == ')') return i + 1;
    RawPredicate::Arg a;
    a.offset = i;
    if (q[i] == '@') {
      a.is_capture = true;
      for (++i; i < q.size() && is_name_char(q[i]);) a.text.push_back(q[i++]);
      if (a.text.empty()) throw QuerySyntaxError{a.offset};
    } else if (q[i] == '"') {
      a.text = read_string(q, i);
    } else if (is_name_char(q[i])) {
      while (i < q.size() && is_name_char(q[i])) a.text.push_back(q[i++]);
    } else {
      throw QuerySyntaxError{i};
    }
    p.args.push_back(std::move(a));
  }
}

}  // namespace

std::string take_top_level_predicates(std::string_view q, std::vector<RawPredicate>& out) {
  std::string text(q);
  int depth = 0;
  for (std::size_t i = 0; i < q.size();) {
    char c = q[i];
    if (c == '"') { i = skip_string(q, i); continue; }
    if (c == ';') { i = skip_comment(q, i); continue; }
    std::size_t hash = depth == 0 ? predicate_hash_at(q, i) : std::string_view::npos;
    if (hash != std::string_view::npos) {
      RawPredicate p;
      std::size_t end = read_predicate(q, hash, p);
      for (std::size_t k = i; k < end; ++k)
        if (text[k] != '\n') text[k] = ' ';
      out.push_back(std::move(p));
      i = end;
      continue;
    }
    if (c == '(' || c == '[') ++depth;
    if ((c == ')' || c == ']') && depth > 0) --depth;
    ++i;
  }
  return text;
}

bool has_capture(std::string_view q) {
  for (std::size_t i = 0; i < q.size();) {
    if (q[i] == '"') { i = skip_string(q, i); continue; }
    if (q[i] == ';') { i = skip_comment(q, i); continue; }
    if (predicate_hash_at(q, i) != std::string_view::npos) { i = skip_group(q, i); continue; }
    if (q[i] == '@') return true;
    ++i;
  }
  return false;
}

}  // namespace provscan::scan::detail
