// EventBridge schedule expressions: rate(N unit) and cron(min hour dom month dow year), parsed
// into a value and asked for the next firing time. Pure: times are passed in (UTC, ms).
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::bus {

struct CronSpec {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days;                // 1..31
  std::bitset<13> months;              // 1..12
  std::bitset<8> weekdays;             // 1..7, 1 = Sunday (as EventBridge counts)
  std::bitset<231> years;              // 1970..2200, as offsets from 1970
  bool any_day = false;                // day-of-month is '?'
  bool any_weekday = false;            // day-of-week is '?'
  bool last_day = false;               // L in day-of-month
  int last_day_offset = 0;             // L-3: three days before the last
  int nearest_weekday = 0;             // 15W: the weekday nearest the 15th (0: unused)
  bool last_weekday_of_month = false;  // LW
  int last_weekday = 0;                // 6L: the last Friday of the month (0: unused)
  int nth_weekday = 0;  // 2#3: the third Monday (weekday in nth_weekday, n in nth_index)
  int nth_index = 0;
};

struct Schedule {
  enum class Kind { Rate, Cron };
  Kind kind = Kind::Rate;
  int64_t period_ms = 0;  // Rate
  CronSpec cron;          // Cron
};

// nullopt for anything EventBridge rejects ("Parameter ScheduleExpression is not valid.").
std::optional<Schedule> parse_schedule(std::string_view expression);

// The first firing strictly after after_ms. Rate schedules keep the phase of anchor_ms (when the
// rule was scheduled); cron schedules fire at whole minutes. nullopt when a cron expression never
// fires again (its years are over).
std::optional<int64_t> next_fire(const Schedule& schedule, int64_t after_ms, int64_t anchor_ms);

}  // namespace signoff::bus
