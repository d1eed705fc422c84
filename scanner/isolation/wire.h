#pragma once
// The messages between provscan and its engine workers, and their byte encoding.
//
// A worker parses hostile content with third-party code (tree-sitter, Clang): a memory-safety
// bug there may hand the process to the repository's author. So the parent treats every byte a
// worker sends as hostile too: every length is bounded, every rule id must name a rule of the
// set, and anything malformed ends that worker like a crash would.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/skipped.h"

namespace provscan::scan::wire {

// Frame: u32 type, u64 payload length (little-endian), payload.
enum class Type : std::uint32_t { Ready = 0x52454459, Request = 0x52455155, Response = 0x52455350 };

inline constexpr std::uint64_t kMaxFrameBytes = 1ull << 31;  // above any --max-blob-bytes we accept
inline constexpr std::uint64_t kMaxHitsPerResponse = 1u << 20;
// Notes (skipped entries) in one reply, and the length of each one's reason: a worker sends one
// per rule that hit its match cap at most, with a one-line reason.
inline constexpr std::uint64_t kMaxNotesPerResponse = 256;
inline constexpr std::uint64_t kMaxNoteReason = 1024;

struct Ready {
  bool ok = false;
  bool input_error = false;  // a bad rule: the parent exits 2 with `message`
  std::string message;       // the rule-set sha256 when ok, else the error
};

struct Request {
  std::string path, blob_id, language;
  bool binary = false;
  std::string content;
};

struct WireHit {
  std::string rule_id;
  std::uint32_t line = 0, end_line = 0;
  std::string detail;
};

struct Response {
  std::vector<WireHit> hits;
  std::vector<Skipped> notes;
};

std::string encode(const Ready& m);
std::string encode(const Request& m);
std::string encode(const Response& m);

// Decoders return nullopt for anything malformed (short, over-long, trailing bytes).
std::optional<Ready> decode_ready(std::string_view payload);
std::optional<Request> decode_request(std::string_view payload);
std::optional<Response> decode_response(std::string_view payload);

// The 12-byte frame header for a payload.
std::string frame_header(Type type, std::uint64_t length);
struct Header {
  Type type;
  std::uint64_t length;
};
std::optional<Header> parse_header(std::string_view twelve_bytes);

}  // namespace provscan::scan::wire
