// Number and date/time formatting with XPath/XSLT picture strings ($formatNumber,
// $formatInteger, $parseInteger, $fromMillis, $toMillis).
#pragma once

#include <optional>
#include <string>

#include "jsonata/runtime.h"

namespace signoff::jsonata {

std::optional<double> parse_js_number_literal(const std::string& s);
std::string format_number(double value, const std::string& picture, const Val& options);
std::string format_integer(double value, const std::string& picture);
double jsonata_round(double x, int precision);
std::optional<double> parse_integer(const std::string& value, const std::string& picture);
std::string from_millis(double millis, const std::optional<std::string>& picture,
                        const std::optional<std::string>& timezone);
std::optional<double> to_millis(const std::string& timestamp,
                                const std::optional<std::string>& picture, double now);

}  // namespace signoff::jsonata
