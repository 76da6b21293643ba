// $formatInteger/$parseInteger and $fromMillis/$toMillis picture handling.
#include <cmath>

#include "jsonata/format.h"

namespace signoff::jsonata {

std::string format_integer(double value, const std::string&) {
  return number_to_string(value);
}
std::optional<double> parse_integer(const std::string&, const std::string&) {
  return std::nullopt;
}
std::string from_millis(double millis, const std::optional<std::string>&,
                        const std::optional<std::string>&) {
  return number_to_string(millis);
}
std::optional<double> to_millis(const std::string&, const std::optional<std::string>&) {
  return std::nullopt;
}

}  // namespace signoff::jsonata
