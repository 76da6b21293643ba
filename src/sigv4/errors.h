// Builders for the failures verify() reports, with AWS's codes and texts for both protocol
// families. Sources of each text are listed in errors.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sigv4/sigv4.h"

namespace signoff::sigv4 {

Error missing_authentication();
Error incomplete_signature(std::string message);
Error signature_mismatch(std::string canonical_request, std::string string_to_sign);
Error signature_expired(std::string_view amz_date, int64_t now, int64_t skew);
Error signature_not_yet_current(std::string_view amz_date, int64_t now, int64_t skew);
Error presign_expired();
Error presign_not_yet_valid();
Error credential_scope(std::string message);
Error unknown_access_key();
Error invalid_session_token();
Error expired_session_token();
Error payload_hash_mismatch();

}  // namespace signoff::sigv4
