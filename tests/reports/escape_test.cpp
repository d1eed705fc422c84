#include "reports/escape.h"

#include <doctest/doctest.h>

using namespace provscan::report::detail;

TEST_CASE("valid_utf8 keeps valid text and spells out each invalid byte") {
  CHECK(valid_utf8("caf\xc3\xa9 \xf0\x9f\x94\x92") == "caf\xc3\xa9 \xf0\x9f\x94\x92");
  CHECK(valid_utf8("a\xff" "b") == "a\\xffb");
  CHECK(valid_utf8("\xc0\xaf") == "\\xc0\\xaf");              // overlong '/'
  CHECK(valid_utf8("\xed\xa0\x80") == "\\xed\\xa0\\x80");     // surrogate U+D800
  CHECK(valid_utf8("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  CHECK(valid_utf8("\xe2\x80") == "\\xe2\\x80");              // truncated at the end
  CHECK(valid_utf8("\xc3(") == "\\xc3(");                     // truncated before ASCII
  CHECK(valid_utf8(std::string("a\0b", 3)) == std::string("a\0b", 3));  // valid; JSON escapes it
}

TEST_CASE("display makes control, C1, bidi and invalid bytes visible") {
  CHECK(display("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(display("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(display(std::string("\0\x07\x7f", 3)) == "\\x00\\x07\\x7f");
  CHECK(display("\xc2\x9b" "31m") == "\\u009b31m");           // one-code-point CSI
  CHECK(display("abc\xe2\x80\xae" "def") == "abc\\u202edef");  // right-to-left override
  CHECK(display("\xe2\x81\xa6x\xe2\x81\xa9") == "\\u2066x\\u2069");
  CHECK(display("\xef\xbb\xbfx") == "\\ufeffx");
  CHECK(display("Jos\xc3\xa9 \xe4\xb8\xad") == "Jos\xc3\xa9 \xe4\xb8\xad");
  CHECK(display("\xff") == "\\xff");
}

TEST_CASE("harden_json_text escapes only the hidden code points") {
  CHECK(harden_json_text("\"a\xe2\x80\xae" "b\"") == "\"a\\u202eb\"");
  CHECK(harden_json_text("\"\xc2\x85\x7f\"") == "\"\\u0085\\u007f\"");
  CHECK(harden_json_text("{\"k\": \"Jos\xc3\xa9\"}") == "{\"k\": \"Jos\xc3\xa9\"}");
}

TEST_CASE("markdown_text neutralises table, code, link and HTML syntax") {
  CHECK(markdown_text("a|b`c<d>[e](f)*_~#&\\") ==
        "a\\|b\\`c\\<d\\>\\[e\\](f)\\*\\_\\~\\#\\&\\\\");
  CHECK(markdown_text("x\ny") == "x\\\\ny");  // display() first, then the backslash is escaped
}

TEST_CASE("percent_encode_path follows RFC 3986") {
  CHECK(percent_encode_path("src/a-b_c.d~e") == "src/a-b_c.d~e");
  CHECK(percent_encode_path("a b/%,:?#\xc3\xbc\xff") == "a%20b/%25%2C%3A%3F%23%C3%BC%FF");
  CHECK(percent_encode_path("x\ny") == "x%0Ay");
}
