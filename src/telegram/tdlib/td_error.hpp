#pragma once
// TDLib answers -> our Result. Pure functions: no I/O, tested on their own.
//
// td_api.tl: `error code:int32 message:string = Error;` — "An object of this type can be
// returned on every function call". Codes seen from TDLib: 400 bad request (wrong code,
// wrong password, ...), 401 not authorized (session gone), 404 not found, 406 (must not be
// shown to the user), 420 FLOOD_WAIT_N from the server, 429 "Too Many Requests: retry
// after N" (TDLib's own flood-wait answer), 500 internal / client closing.
#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace teltubby::tdlib {

// Seconds to wait from "retry after N" or "FLOOD_WAIT_N" anywhere in `message`; 0 if absent.
[[nodiscard]] std::chrono::seconds parse_retry_after(std::string_view message);

// A td_api `error` object as our Error: code "tdlib.<code>", TDLib's message, kind by code,
// retry_after parsed from the message. A malformed error object still yields an Error.
[[nodiscard]] Error error_from_td(const nlohmann::json& error_object);

// The account is not (or no longer) authorized: TDLib code 401 (e.g. session revoked).
[[nodiscard]] bool is_auth_error(const Error& error);

// Parses one answer string from td_receive / td_execute. JSON that is not an object is an
// error ("tdlib.json"); an `error` object becomes its Error; anything else is returned.
[[nodiscard]] Result<nlohmann::json> parse_answer(std::string_view text);

// Same for an already parsed answer.
[[nodiscard]] Result<nlohmann::json> answer_to_result(nlohmann::json answer);

}  // namespace teltubby::tdlib
