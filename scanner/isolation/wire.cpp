#include "scanner/isolation/wire.h"

#include <algorithm>
#include <cstring>

namespace provscan::scan::wire {

namespace {

// Each message's fields are listed once (fields() below) and walked by a Writer to encode or a
// Reader to decode, so the two directions cannot drift apart.
class Writer {
 public:
  void operator()(bool v) { u8(v ? 1 : 0); }
  void operator()(std::uint32_t v) { uint(v, 4); }
  void operator()(std::uint64_t v) { uint(v, 8); }
  void operator()(const std::string& s) {
    uint(s.size(), 8);
    out_.append(s);
  }
  template <class T>
  void operator()(const std::vector<T>& v) {
    uint(v.size(), 8);
    for (const T& x : v) fields(*this, const_cast<T&>(x));
  }
  std::string take() { return std::move(out_); }
  std::size_t size() const { return out_.size(); }

 private:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void uint(std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string out_;
};

template <class T>
std::size_t min_size();

// Reads with bounds; any overrun, a bool other than 0/1 or a count the remaining bytes cannot
// hold sets failed() and yields zeros.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == in_.size(); }
  void operator()(bool& v) {
    const std::uint64_t b = uint(1);
    if (b > 1) failed_ = true;
    v = b == 1;
  }
  void operator()(std::uint32_t& v) { v = static_cast<std::uint32_t>(uint(4)); }
  void operator()(std::uint64_t& v) { v = uint(8); }
  void operator()(std::string& s) {
    const std::uint64_t n = uint(8);
    if (!need(n)) return;
    s.assign(in_.substr(pos_, n));
    pos_ += n;
  }
  template <class T>
  void operator()(std::vector<T>& v) {
    const std::uint64_t n = uint(8);
    // Every element takes at least the bytes of an empty one, and no reply lists more than
    // kMaxHitsPerResponse of anything: a larger count is a lie, refused before any allocation
    // (with a bound of 9 bytes each, 9 MB announcing a million 168-byte elements once cost 170 MB).
    if (n > kMaxHitsPerResponse || n > (in_.size() - pos_) / min_size<T>()) {
      failed_ = true;
      return;
    }
    v.resize(n);
    for (T& x : v) {
      if (failed_) return;
      fields(*this, x);
    }
  }

 private:
  bool need(std::uint64_t n) {
    if (failed_ || n > in_.size() - pos_) {
      failed_ = true;
      return false;
    }
    return true;
  }
  std::uint64_t uint(int bytes) {
    if (!need(bytes)) return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= std::uint64_t(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += bytes;
    return v;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// The encoded size of an empty T: the least any element of a vector<T> can take.
template <class T>
std::size_t min_size() {
  static const std::size_t n = [] {
    Writer w;
    T empty{};
    fields(w, empty);
    return std::max<std::size_t>(w.size(), 1);
  }();
  return n;
}

template <class A>
void fields(A& a, Ready& m) {
  a(m.ok);
  a(m.input_error);
  a(m.message);
}
template <class A>
void fields(A& a, Request& m) {
  a(m.path);
  a(m.blob_id);
  a(m.language);
  a(m.binary);
  a(m.content);
}
template <class A>
void fields(A& a, WireHit& h) {
  a(h.rule_id);
  a(h.line);
  a(h.end_line);
  a(h.detail);
}
template <class A>
void fields(A& a, Skipped& s) {  // the commit is the parent's to fill in
  a(s.kind);
  a(s.path);
  a(s.object);
  a(s.reason);
  a(s.incomplete);
}
template <class A>
void fields(A& a, Response& m) {
  a(m.hits);
  a(m.notes);
}

template <class M>
std::string encode_message(const M& m) {
  Writer w;
  fields(w, const_cast<M&>(m));  // the Writer only reads
  return w.take();
}

template <class M>
std::optional<M> decode_message(std::string_view payload) {
  Reader r(payload);
  M m;
  fields(r, m);
  if (r.failed() || !r.at_end()) return std::nullopt;
  return m;
}

}  // namespace

std::string encode(const Ready& m) { return encode_message(m); }
std::string encode(const Request& m) { return encode_message(m); }
std::string encode(const Response& m) { return encode_message(m); }
std::optional<Ready> decode_ready(std::string_view payload) { return decode_message<Ready>(payload); }
std::optional<Request> decode_request(std::string_view payload) { return decode_message<Request>(payload); }
std::optional<Response> decode_response(std::string_view payload) { return decode_message<Response>(payload); }

std::string frame_header(Type type, std::uint64_t length) {
  std::string h(12, '\0');
  const auto t = static_cast<std::uint32_t>(type);
  for (int i = 0; i < 4; ++i) h[i] = static_cast<char>((t >> (8 * i)) & 0xff);
  for (int i = 0; i < 8; ++i) h[4 + i] = static_cast<char>((length >> (8 * i)) & 0xff);
  return h;
}

std::optional<Header> parse_header(std::string_view b) {
  if (b.size() != 12) return std::nullopt;
  std::uint32_t t = 0;
  std::uint64_t n = 0;
  for (int i = 0; i < 4; ++i) t |= std::uint32_t(static_cast<unsigned char>(b[i])) << (8 * i);
  for (int i = 0; i < 8; ++i) n |= std::uint64_t(static_cast<unsigned char>(b[4 + i])) << (8 * i);
  const auto type = static_cast<Type>(t);
  if (type != Type::Ready && type != Type::Request && type != Type::Response) return std::nullopt;
  if (n > kMaxFrameBytes) return std::nullopt;
  return Header{type, n};
}

}  // namespace provscan::scan::wire
