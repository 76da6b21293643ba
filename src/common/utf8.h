// UTF-8 and code points, as JavaScript's Array.from(string) sees them: the JSONata functions and
// the regular expression engine count and index text by code point. Decoding is lenient, as JS
// strings are: a byte that starts no valid sequence stands for itself.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace signoff {

std::u32string utf8_to_u32(std::string_view s);
std::string u32_to_utf8(std::u32string_view s);
void append_utf8(std::string& out, char32_t c);
size_t utf8_length(std::string_view s);

}  // namespace signoff
