#include "scanner/isolation/wire.h"

#include <cstring>

namespace provscan::scan::wire {

namespace {

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void str(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads with bounds; any overrun sets failed() and yields zeros.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == in_.size(); }
  std::uint8_t u8() {
    if (!need(1)) return 0;
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::uint32_t u32() { return static_cast<std::uint32_t>(uint(4)); }
  std::uint64_t u64() { return uint(8); }
  std::string str() {
    const std::uint64_t n = u64();
    if (!need(n)) return {};
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  bool boolean() {
    const std::uint8_t b = u8();
    if (b > 1) failed_ = true;
    return b == 1;
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

template <class T>
std::optional<T> finish(const Reader& r, T value) {
  if (r.failed() || !r.at_end()) return std::nullopt;
  return value;
}

}  // namespace

std::string encode(const Ready& m) {
  Writer w;
  w.u8(m.ok);
  w.u8(m.input_error);
  w.str(m.message);
  return w.take();
}

std::string encode(const Request& m) {
  Writer w;
  w.str(m.path);
  w.str(m.blob_id);
  w.str(m.language);
  w.u8(m.binary);
  w.str(m.content);
  return w.take();
}

std::string encode(const Response& m) {
  Writer w;
  w.u64(m.hits.size());
  for (const WireHit& h : m.hits) {
    w.str(h.rule_id);
    w.u32(h.line);
    w.u32(h.end_line);
    w.str(h.detail);
  }
  w.u64(m.notes.size());
  for (const Skipped& s : m.notes) {
    w.str(s.kind);
    w.str(s.path);
    w.str(s.object);
    w.str(s.reason);
    w.u8(s.incomplete);
  }
  return w.take();
}

std::optional<Ready> decode_ready(std::string_view payload) {
  Reader r(payload);
  Ready m;
  m.ok = r.boolean();
  m.input_error = r.boolean();
  m.message = r.str();
  return finish(r, std::move(m));
}

std::optional<Request> decode_request(std::string_view payload) {
  Reader r(payload);
  Request m;
  m.path = r.str();
  m.blob_id = r.str();
  m.language = r.str();
  m.binary = r.boolean();
  m.content = r.str();
  return finish(r, std::move(m));
}

std::optional<Response> decode_response(std::string_view payload) {
  Reader r(payload);
  Response m;
  const std::uint64_t hits = r.u64();
  // Each hit takes at least 24 bytes: a count beyond what the payload can hold is a lie.
  if (hits > kMaxHitsPerResponse || hits > payload.size() / 24) return std::nullopt;
  m.hits.reserve(hits);
  for (std::uint64_t i = 0; i < hits && !r.failed(); ++i) {
    WireHit h;
    h.rule_id = r.str();
    h.line = r.u32();
    h.end_line = r.u32();
    h.detail = r.str();
    m.hits.push_back(std::move(h));
  }
  const std::uint64_t notes = r.u64();
  if (notes > payload.size() / 33) return std::nullopt;
  for (std::uint64_t i = 0; i < notes && !r.failed(); ++i) {
    Skipped s;
    s.kind = r.str();
    s.path = r.str();
    s.object = r.str();
    s.reason = r.str();
    s.incomplete = r.boolean();
    m.notes.push_back(std::move(s));
  }
  return finish(r, std::move(m));
}

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
