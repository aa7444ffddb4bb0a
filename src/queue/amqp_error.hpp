#pragma once
// The one place that turns rabbitmq-c outcomes into our Error. Library status codes
// and asynchronously received channel.close / connection.close methods are first
// wrapped into an amqp_rpc_reply_t (library_reply, server_reply), so every failure
// goes through `amqp_error`.
#include <string_view>

#include <amqp.h>

#include "core/error.hpp"

namespace teltubby::queue {

// `operation` says what we were doing, with the object's name ("declaring queue
// 'teltubby.large_files'"); it must not contain a secret. The broker's reply text is
// passed through redact() as a second guard.
//
//   connection lost / socket errors / timeouts / 320 CONNECTION_FORCED -> retryable "amqp.connection"
//   403 ACCESS_REFUSED                 -> permanent "amqp.access_refused"
//   406 PRECONDITION_FAILED            -> permanent "amqp.precondition"
//   404 NOT_FOUND                      -> not_found "amqp.not_found"
//   530 NOT_ALLOWED (e.g. no such vhost) -> permanent "amqp.not_allowed"
//   other channel errors               -> permanent "amqp.channel.<code>"
//   other connection errors            -> retryable "amqp.server.<code>"
Error amqp_error(const amqp_rpc_reply_t& reply, std::string_view operation);

amqp_rpc_reply_t library_reply(int status);
amqp_rpc_reply_t server_reply(const amqp_method_t& method);

}  // namespace teltubby::queue
