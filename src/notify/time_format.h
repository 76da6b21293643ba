// Timestamps in the two forms SNS messages carry: ISO 8601 with milliseconds in JSON envelopes
// ("2012-05-02T00:54:06.655Z") and RFC 5322 in mail headers ("Tue, 02 May 2012 00:54:06 +0000").
#pragma once

#include <cstdint>
#include <string>

namespace signoff::notify {

std::string iso8601_ms(int64_t epoch_ms);
std::string rfc5322_date(int64_t epoch_ms);

}  // namespace signoff::notify
