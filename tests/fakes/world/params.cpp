#include "params.hpp"

#include <charconv>

namespace fake_world::params {

std::optional<std::string> text(const Json& p, const std::string& key) {
  if (!p.is_object() || !p.contains(key) || p[key].is_null()) return std::nullopt;
  const Json& v = p[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

std::expected<std::optional<std::int64_t>, std::string> integer(const Json& p, const std::string& key) {
  if (!p.is_object() || !p.contains(key) || p[key].is_null()) return std::optional<std::int64_t>{};
  const Json& v = p[key];
  if (v.is_number_integer()) return std::optional<std::int64_t>{v.get<std::int64_t>()};
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc{} && end == s.data() + s.size() && !s.empty()) return std::optional<std::int64_t>{value};
  }
  return std::unexpected("not an integer");
}

bool boolean(const Json& p, const std::string& key) {
  if (!p.is_object() || !p.contains(key)) return false;
  const Json& v = p[key];
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<std::int64_t>() != 0;
  if (v.is_string()) return v == "true" || v == "1" || v == "True";
  return false;
}

std::expected<Json, std::string> structured(const Json& p, const std::string& key) {
  if (!p.is_object() || !p.contains(key) || p[key].is_null()) return Json();
  const Json& v = p[key];
  if (!v.is_string()) return v;
  Json parsed = Json::parse(v.get<std::string>(), nullptr, false);
  if (parsed.is_discarded()) return std::unexpected("can't parse " + key + " JSON object");
  return parsed;
}

}  // namespace fake_world::params
