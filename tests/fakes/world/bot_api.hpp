#pragma once
// The Bot API methods (https://core.telegram.org/bots/api#available-methods) over the
// world: one function per method, each answering the documented result or error.
#include <string>

#include "api_types.hpp"
#include "rate_limiter.hpp"
#include "world.hpp"

namespace fake_world {

class BotApi {
 public:
  explicit BotApi(World& world) : world_(world) {}

  // /bot<token>/<method>; method names are case-insensitive as in Telegram.
  ApiReply call(const std::string& token, const std::string& method, const ApiRequest& request);
  // /file/bot<token>/<file_path>, with Range.
  ApiReply download(const std::string& token, const std::string& file_path, const std::string& range);

 private:
  World& world_;
  RateLimiter limiter_;  // guarded by world_.mutex
};

}  // namespace fake_world
