#pragma once
// The stand-in's side of the account API (docs/fake-world-protocol.md): HTTP to the
// fake-telegram server, answers as JSON, errors turned into td_api `error` objects.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace teltubby::fake_tdjson {

struct ApiAnswer {
  int http_status = 0;          // 0 = no HTTP answer at all (connection refused, timeout)
  nlohmann::json body;          // parsed JSON body (object), or null
  std::string bytes;            // raw body (file ranges)

  [[nodiscard]] bool ok() const { return http_status >= 200 && http_status < 300; }
  // The server or the path to it is down: TDLib would wait and reconnect.
  [[nodiscard]] bool network_down() const;
  // The session is no longer valid (revoked, deactivated, banned).
  [[nodiscard]] bool unauthorized() const { return http_status == 401; }
  [[nodiscard]] std::string error_code() const;  // the server's "error" name, "" if none
};

// The td_api error TDLib would answer for a failed server call (pure).
[[nodiscard]] nlohmann::json td_error_for(const ApiAnswer& answer);

class AccountApi {
 public:
  explicit AccountApi(std::string base_url);
  [[nodiscard]] const std::string& base_url() const { return base_url_; }

  ApiAnswer get(const std::string& path) const;
  ApiAnswer post(const std::string& path, const nlohmann::json& body) const;
  // Raw bytes of a file range.
  ApiAnswer get_bytes(const std::string& path) const;

 private:
  std::string base_url_;
};

// Percent-encodes a query value.
[[nodiscard]] std::string url_encode(const std::string& value);

}  // namespace teltubby::fake_tdjson
