// Small encodings the Lambda API needs: base64 (Code.ZipFile, X-Amz-Log-Result, CodeSha256),
// SHA-256, random ids and Lambda's LastModified timestamps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::functions {

std::string base64_encode(std::string_view bytes);
// nullopt for anything that is not standard base64 (padding optional, whitespace ignored).
std::optional<std::string> base64_decode(std::string_view text);
std::string sha256_raw(std::string_view data);
std::string to_hex(std::string_view bytes);
std::string random_hex(size_t bytes);
std::string uuid4();
// "2026-12-01T10:00:00.000+0000"
std::string lambda_timestamp(int64_t ms);
// "2026/12/01"
std::string log_stream_date(int64_t ms);

}  // namespace signoff::functions
