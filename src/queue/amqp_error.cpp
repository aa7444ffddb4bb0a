#include "queue/amqp_error.hpp"

#include <string>

#include "core/log.hpp"

namespace teltubby::queue {

namespace {

std::string text_of(amqp_bytes_t bytes) {
  return {static_cast<const char*>(bytes.bytes), bytes.len};
}

Error server_error(int code, const std::string& reply_text, bool connection_level,
                   std::string_view operation) {
  const std::string what = std::string(operation) + ": " + redact(reply_text);
  switch (code) {
    case AMQP_ACCESS_REFUSED:
      // The broker says "Login was refused using authentication mechanism PLAIN";
      // the credentials themselves are never part of our text.
      return {ErrorKind::permanent,
              "amqp.access_refused",
              "access refused by the broker (check RABBITMQ_USERNAME, RABBITMQ_PASSWORD and the user's "
              "permissions on RABBITMQ_VHOST): " +
                  what,
              {}};
    case AMQP_PRECONDITION_FAILED:
      return {ErrorKind::permanent,
              "amqp.precondition",
              "the broker refused (an existing queue or exchange has different arguments, or a "
              "limit was hit): " +
                  what,
              {}};
    case AMQP_NOT_FOUND:
      return {ErrorKind::not_found, "amqp.not_found", what, {}};
    case AMQP_NOT_ALLOWED:
      return {
          ErrorKind::permanent, "amqp.not_allowed", "not allowed (does RABBITMQ_VHOST exist?): " + what, {}};
    case AMQP_CONNECTION_FORCED:
      return {ErrorKind::retryable, "amqp.connection", "the broker closed the connection: " + what, {}};
    default:
      break;
  }
  if (connection_level) {
    return {ErrorKind::retryable,
            "amqp.server." + std::to_string(code),
            "connection closed by the broker: " + what,
            {}};
  }
  return {ErrorKind::permanent,
          "amqp.channel." + std::to_string(code),
          "channel closed by the broker: " + what,
          {}};
}

}  // namespace

amqp_rpc_reply_t library_reply(int status) {
  amqp_rpc_reply_t reply{};
  reply.reply_type = AMQP_RESPONSE_LIBRARY_EXCEPTION;
  reply.library_error = status;
  return reply;
}

amqp_rpc_reply_t server_reply(const amqp_method_t& method) {
  amqp_rpc_reply_t reply{};
  reply.reply_type = AMQP_RESPONSE_SERVER_EXCEPTION;
  reply.reply = method;
  return reply;
}

Error amqp_error(const amqp_rpc_reply_t& reply, std::string_view operation) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return {ErrorKind::permanent, "amqp.internal", std::string(operation) + ": no error reported", {}};
    case AMQP_RESPONSE_NONE:
      return {
          ErrorKind::retryable, "amqp.connection", std::string(operation) + ": no reply from the broker", {}};
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: {
      const int status = reply.library_error;
      const std::string detail = std::string(operation) + ": " + amqp_error_string2(status);
      switch (status) {
        case AMQP_STATUS_NO_MEMORY:
          return {ErrorKind::retryable, "amqp.no_memory", detail, {}};
        case AMQP_STATUS_BAD_AMQP_DATA:
        case AMQP_STATUS_UNKNOWN_CLASS:
        case AMQP_STATUS_UNKNOWN_METHOD:
        case AMQP_STATUS_WRONG_METHOD:
        case AMQP_STATUS_UNEXPECTED_STATE:
        case AMQP_STATUS_TABLE_TOO_BIG:
        case AMQP_STATUS_INVALID_PARAMETER:
          // Our side or the peer broke the protocol; a fresh connection is the cure.
          return {ErrorKind::retryable, "amqp.protocol", detail, {}};
        default:
          // Socket errors, connection closed, heartbeat timeout, timeouts, resolving.
          return {ErrorKind::retryable, "amqp.connection", detail, {}};
      }
    }
    case AMQP_RESPONSE_SERVER_EXCEPTION: {
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD && reply.reply.decoded != nullptr) {
        const auto* close = static_cast<const amqp_connection_close_t*>(reply.reply.decoded);
        return server_error(close->reply_code, text_of(close->reply_text), true, operation);
      }
      if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD && reply.reply.decoded != nullptr) {
        const auto* close = static_cast<const amqp_channel_close_t*>(reply.reply.decoded);
        return server_error(close->reply_code, text_of(close->reply_text), false, operation);
      }
      return {ErrorKind::retryable,
              "amqp.protocol",
              std::string(operation) + ": unexpected method " + amqp_method_name(reply.reply.id),
              {}};
    }
  }
  return {ErrorKind::retryable, "amqp.protocol", std::string(operation) + ": unknown reply type", {}};
}

}  // namespace teltubby::queue
