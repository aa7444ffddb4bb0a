#pragma once
// HTTP header list with case-insensitive name lookup (HTTP names are case-insensitive).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace teltubby::http {

bool iequals(std::string_view a, std::string_view b);

class Headers {
 public:
  Headers() = default;
  Headers(std::initializer_list<std::pair<std::string, std::string>> entries) : entries_(entries) {}

  // Appends; an existing header of the same name is kept (use set() to replace).
  void add(std::string name, std::string value);
  // Replaces every header of this name with one value.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  // The first value of `name`, if present.
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const { return get(name).has_value(); }

  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
  [[nodiscard]] bool empty() const { return entries_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace teltubby::http
