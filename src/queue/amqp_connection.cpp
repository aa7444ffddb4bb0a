#include "queue/amqp_connection.hpp"

#include <sys/time.h>

#include <vector>

#include <amqp_tcp_socket.h>

#include "queue/amqp_error.hpp"

namespace teltubby::queue {

namespace {

constexpr amqp_channel_t kChannel = 1;

amqp_bytes_t bytes_of(const std::string& text) {
  // rabbitmq-c takes non-const pointers but only reads what we pass in.
  return amqp_bytes_t{text.size(), const_cast<char*>(text.data())};
}

std::string string_of(amqp_bytes_t bytes) {
  return bytes.len == 0 ? std::string{} : std::string(static_cast<const char*>(bytes.bytes), bytes.len);
}

timeval to_timeval(std::chrono::milliseconds duration) {
  if (duration.count() < 0) duration = std::chrono::milliseconds{0};
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return tv;
}

// The entries point into `table`'s strings: the FieldTable must outlive the result.
class EncodedTable {
 public:
  explicit EncodedTable(const FieldTable& table) {
    entries_.reserve(table.size());
    for (const auto& [key, value] : table) {
      amqp_table_entry_t entry{};
      entry.key = bytes_of(key);
      if (const auto* text = std::get_if<std::string>(&value)) {
        entry.value.kind = AMQP_FIELD_KIND_UTF8;
        entry.value.value.bytes = bytes_of(*text);
      } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
        entry.value.kind = AMQP_FIELD_KIND_I64;
        entry.value.value.i64 = *number;
      } else {
        entry.value.kind = AMQP_FIELD_KIND_BOOLEAN;
        entry.value.value.boolean = std::get<bool>(value) ? 1 : 0;
      }
      entries_.push_back(entry);
    }
  }
  [[nodiscard]] amqp_table_t table() {
    return amqp_table_t{static_cast<int>(entries_.size()), entries_.empty() ? nullptr : entries_.data()};
  }

 private:
  std::vector<amqp_table_entry_t> entries_;
};

FieldTable decode_table(const amqp_table_t& table) {
  FieldTable out;
  for (int i = 0; i < table.num_entries; ++i) {
    const amqp_table_entry_t& entry = table.entries[i];
    const amqp_field_value_t& v = entry.value;
    std::string key = string_of(entry.key);
    switch (v.kind) {
      case AMQP_FIELD_KIND_BOOLEAN:
        out.emplace(std::move(key), v.value.boolean != 0);
        break;
      case AMQP_FIELD_KIND_I8:
        out.emplace(std::move(key), std::int64_t{v.value.i8});
        break;
      case AMQP_FIELD_KIND_U8:
        out.emplace(std::move(key), std::int64_t{v.value.u8});
        break;
      case AMQP_FIELD_KIND_I16:
        out.emplace(std::move(key), std::int64_t{v.value.i16});
        break;
      case AMQP_FIELD_KIND_U16:
        out.emplace(std::move(key), std::int64_t{v.value.u16});
        break;
      case AMQP_FIELD_KIND_I32:
        out.emplace(std::move(key), std::int64_t{v.value.i32});
        break;
      case AMQP_FIELD_KIND_U32:
        out.emplace(std::move(key), std::int64_t{v.value.u32});
        break;
      case AMQP_FIELD_KIND_I64:
        out.emplace(std::move(key), std::int64_t{v.value.i64});
        break;
      case AMQP_FIELD_KIND_TIMESTAMP:
      case AMQP_FIELD_KIND_U64:
        if (v.value.u64 <= static_cast<std::uint64_t>(INT64_MAX)) {
          out.emplace(std::move(key), static_cast<std::int64_t>(v.value.u64));
        }
        break;
      case AMQP_FIELD_KIND_UTF8:
      case AMQP_FIELD_KIND_BYTES:
        out.emplace(std::move(key), string_of(v.value.bytes));
        break;
      default:
        break;  // arrays, nested tables (x-death), floats: not ours
    }
  }
  return out;
}

const char* exchange_type_name(ExchangeType type) {
  switch (type) {
    case ExchangeType::direct:
      return "direct";
    case ExchangeType::topic:
      return "topic";
    case ExchangeType::fanout:
      return "fanout";
  }
  return "direct";
}

}  // namespace

void AmqpHandleCloser::operator()(AmqpHandleState* state) const noexcept {
  if (state == nullptr) return;
  if (state->raw != nullptr) {
    if (state->logged_in && state->socket_alive) {
      // Both are RPCs bounded by the rpc timeout; their outcome does not matter here.
      if (state->channel_open) amqp_channel_close(state->raw, kChannel, AMQP_REPLY_SUCCESS);
      amqp_connection_close(state->raw, AMQP_REPLY_SUCCESS);
    }
    amqp_destroy_connection(state->raw);
  }
  delete state;
}

Result<Connection> Connection::open(const ConnectParams& params) {
  const std::string where = params.host + ":" + std::to_string(params.port);
  AmqpHandle handle{new AmqpHandleState{}};
  handle->raw = amqp_new_connection();
  if (handle->raw == nullptr)
    return fail(ErrorKind::retryable, "amqp.no_memory", "creating a connection to " + where);
  handle->socket_alive = false;  // until the socket is open
  amqp_socket_t* socket = amqp_tcp_socket_new(handle->raw);
  if (socket == nullptr) return fail(ErrorKind::retryable, "amqp.no_memory", "creating a socket to " + where);
  const timeval connect_timeout = to_timeval(params.connect_timeout);
  const int opened = amqp_socket_open_noblock(socket, params.host.c_str(), params.port, &connect_timeout);
  if (opened != AMQP_STATUS_OK)
    return std::unexpected(amqp_error(library_reply(opened), "connecting to " + where));
  handle->socket_alive = true;
  amqp_set_handshake_timeout(handle->raw, &connect_timeout);
  const timeval rpc_timeout = to_timeval(params.rpc_timeout);
  amqp_set_rpc_timeout(handle->raw, &rpc_timeout);

  const amqp_rpc_reply_t login =
      amqp_login(handle->raw, params.vhost.c_str(), 0, AMQP_DEFAULT_FRAME_SIZE,
                 static_cast<int>(params.heartbeat.count()), AMQP_SASL_METHOD_PLAIN, params.username.c_str(),
                 params.password.c_str());
  if (login.reply_type != AMQP_RESPONSE_NORMAL) {
    handle->socket_alive = false;  // the broker closes the socket after a refused login
    return std::unexpected(amqp_error(login, "logging in to " + where + " as user '" + params.username +
                                                 "' on vhost '" + params.vhost + "'"));
  }
  handle->logged_in = true;
  Connection connection{std::move(handle), params.rpc_timeout};
  if (amqp_channel_open(connection.handle_->raw, kChannel) == nullptr) {
    return std::unexpected(connection.fail_rpc("opening a channel on " + where));
  }
  connection.handle_->channel_open = true;
  if (amqp_confirm_select(connection.handle_->raw, kChannel) == nullptr) {
    return std::unexpected(connection.fail_rpc("enabling publisher confirms on " + where));
  }
  return connection;
}

Error Connection::fail_reply(const amqp_rpc_reply_t& reply, std::string_view operation) {
  Error error = amqp_error(reply, operation);
  AmqpHandleState& state = *handle_;
  state.broken = true;
  if (reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION) {
    if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
      amqp_channel_close_ok_t ok{};
      amqp_send_method(state.raw, kChannel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
      state.channel_open = false;
    } else if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
      amqp_connection_close_ok_t ok{};
      amqp_send_method(state.raw, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
      state.socket_alive = false;
    }
  } else {
    state.socket_alive = false;  // socket error or timeout: the stream is in an unknown state
  }
  amqp_maybe_release_buffers(state.raw);
  return error;
}

Error Connection::fail_rpc(std::string_view operation) {
  return fail_reply(amqp_get_rpc_reply(handle_->raw), operation);
}

Error Connection::fail_status(int status, std::string_view operation) {
  return fail_reply(library_reply(status), operation);
}

Status Connection::declare_exchange(const ExchangeName& name, ExchangeType type) {
  const std::string type_name = exchange_type_name(type);
  if (amqp_exchange_declare(handle_->raw, kChannel, bytes_of(name.str()), bytes_of(type_name), 0, 1, 0, 0,
                            amqp_empty_table) == nullptr) {
    return std::unexpected(fail_rpc("declaring exchange '" + name.str() + "' (" + type_name + ")"));
  }
  amqp_maybe_release_buffers(handle_->raw);
  return {};
}

Result<std::uint32_t> Connection::declare_queue(const QueueName& name, const FieldTable& arguments,
                                                bool passive) {
  EncodedTable encoded{arguments};
  const amqp_queue_declare_ok_t* ok = amqp_queue_declare(handle_->raw, kChannel, bytes_of(name.str()),
                                                         passive ? 1 : 0, 1, 0, 0, encoded.table());
  if (ok == nullptr) {
    return std::unexpected(fail_rpc((passive ? "checking queue '" : "declaring queue '") + name.str() + "'"));
  }
  const std::uint32_t count = ok->message_count;
  amqp_maybe_release_buffers(handle_->raw);
  return count;
}

Status Connection::bind_queue(const QueueName& queue, const ExchangeName& exchange, const RoutingKey& key) {
  if (amqp_queue_bind(handle_->raw, kChannel, bytes_of(queue.str()), bytes_of(exchange.str()),
                      bytes_of(key.str()), amqp_empty_table) == nullptr) {
    return std::unexpected(fail_rpc("binding queue '" + queue.str() + "' to exchange '" + exchange.str() +
                                    "' with key '" + key.str() + "'"));
  }
  amqp_maybe_release_buffers(handle_->raw);
  return {};
}

Status Connection::delete_queue(const QueueName& name) {
  if (amqp_queue_delete(handle_->raw, kChannel, bytes_of(name.str()), 0, 0) == nullptr) {
    return std::unexpected(fail_rpc("deleting queue '" + name.str() + "'"));
  }
  amqp_maybe_release_buffers(handle_->raw);
  return {};
}

Status Connection::delete_exchange(const ExchangeName& name) {
  if (amqp_exchange_delete(handle_->raw, kChannel, bytes_of(name.str()), 0) == nullptr) {
    return std::unexpected(fail_rpc("deleting exchange '" + name.str() + "'"));
  }
  amqp_maybe_release_buffers(handle_->raw);
  return {};
}

Status Connection::set_prefetch(std::uint16_t count) {
  if (amqp_basic_qos(handle_->raw, kChannel, 0, count, 0) == nullptr) {
    return std::unexpected(fail_rpc("setting prefetch to " + std::to_string(count)));
  }
  amqp_maybe_release_buffers(handle_->raw);
  return {};
}

Status Connection::publish(const ExchangeName& exchange, const RoutingKey& key,
                           const OutgoingMessage& message) {
  const std::string target = "publishing to exchange '" + exchange.str() + "' with key '" + key.str() + "'";
  amqp_basic_properties_t properties{};
  properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
  properties.content_type = bytes_of(message.content_type);
  properties.delivery_mode = message.persistent ? 2 : 1;
  EncodedTable headers{message.headers};
  if (!message.headers.empty()) {
    properties._flags |= AMQP_BASIC_HEADERS_FLAG;
    properties.headers = headers.table();
  }
  if (message.priority) {
    properties._flags |= AMQP_BASIC_PRIORITY_FLAG;
    properties.priority = *message.priority;
  }
  const std::uint64_t tag = next_publish_tag_++;
  const int sent = amqp_basic_publish(handle_->raw, kChannel, bytes_of(exchange.str()), bytes_of(key.str()),
                                      /*mandatory=*/1, /*immediate=*/0, &properties, bytes_of(message.body));
  if (sent != AMQP_STATUS_OK) return std::unexpected(fail_status(sent, target));

  // Wait for basic.ack / basic.nack of `tag`. An unroutable message comes back as
  // basic.return (followed by its content) before its ack.
  std::optional<std::string> returned;
  const auto deadline = std::chrono::steady_clock::now() + rpc_timeout_;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return std::unexpected(fail_status(AMQP_STATUS_TIMEOUT, target + " (waiting for the confirm)"));
    const timeval tv = to_timeval(left);
    amqp_frame_t frame{};
    const int status = amqp_simple_wait_frame_noblock(handle_->raw, &frame, &tv);
    if (status == AMQP_STATUS_TIMEOUT) continue;
    if (status != AMQP_STATUS_OK) return std::unexpected(fail_status(status, target));
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;  // heartbeats, stray content
    const amqp_method_t& method = frame.payload.method;
    switch (method.id) {
      case AMQP_BASIC_ACK_METHOD: {
        const auto* ack = static_cast<const amqp_basic_ack_t*>(method.decoded);
        if (ack->delivery_tag < tag) break;  // an older confirm (cannot happen: one at a time)
        amqp_maybe_release_buffers(handle_->raw);
        if (returned) {
          return fail(ErrorKind::permanent, "amqp.unroutable",
                      target + ": no queue is bound for it (" + *returned + ")");
        }
        return {};
      }
      case AMQP_BASIC_NACK_METHOD: {
        const auto* nack = static_cast<const amqp_basic_nack_t*>(method.decoded);
        if (nack->delivery_tag < tag) break;
        amqp_maybe_release_buffers(handle_->raw);
        return fail(ErrorKind::retryable, "amqp.nack", target + ": the broker refused to take the message");
      }
      case AMQP_BASIC_RETURN_METHOD: {
        const auto* back = static_cast<const amqp_basic_return_t*>(method.decoded);
        returned = std::to_string(back->reply_code) + " " + string_of(back->reply_text);
        amqp_message_t content{};
        const amqp_rpc_reply_t read = amqp_read_message(handle_->raw, frame.channel, &content, 0);
        if (read.reply_type != AMQP_RESPONSE_NORMAL) return std::unexpected(fail_reply(read, target));
        amqp_destroy_message(&content);
        break;
      }
      case AMQP_CHANNEL_CLOSE_METHOD:
      case AMQP_CONNECTION_CLOSE_METHOD:
        return std::unexpected(fail_reply(server_reply(method), target));
      default:
        break;
    }
  }
}

Result<std::optional<Delivery>> Connection::get(const QueueName& queue) {
  const std::string operation = "getting a message from queue '" + queue.str() + "'";
  const amqp_rpc_reply_t reply = amqp_basic_get(handle_->raw, kChannel, bytes_of(queue.str()), /*no_ack=*/0);
  if (reply.reply_type != AMQP_RESPONSE_NORMAL) return std::unexpected(fail_reply(reply, operation));
  if (reply.reply.id == AMQP_BASIC_GET_EMPTY_METHOD) {
    amqp_maybe_release_buffers(handle_->raw);
    return std::optional<Delivery>{};
  }
  if (reply.reply.id != AMQP_BASIC_GET_OK_METHOD)
    return std::unexpected(fail_status(AMQP_STATUS_WRONG_METHOD, operation));
  const auto* ok = static_cast<const amqp_basic_get_ok_t*>(reply.reply.decoded);
  Delivery delivery;
  delivery.delivery_tag = ok->delivery_tag;
  delivery.redelivered = ok->redelivered != 0;
  delivery.queue = queue;
  delivery.exchange = ExchangeName{string_of(ok->exchange)};
  delivery.routing_key = RoutingKey{string_of(ok->routing_key)};
  delivery.remaining = ok->message_count;

  amqp_message_t content{};
  const amqp_rpc_reply_t read = amqp_read_message(handle_->raw, kChannel, &content, 0);
  if (read.reply_type != AMQP_RESPONSE_NORMAL) return std::unexpected(fail_reply(read, operation));
  delivery.body = string_of(content.body);
  const amqp_basic_properties_t& properties = content.properties;
  if ((properties._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) != 0)
    delivery.content_type = string_of(properties.content_type);
  if ((properties._flags & AMQP_BASIC_HEADERS_FLAG) != 0) delivery.headers = decode_table(properties.headers);
  if ((properties._flags & AMQP_BASIC_PRIORITY_FLAG) != 0) delivery.priority = properties.priority;
  amqp_destroy_message(&content);
  amqp_maybe_release_buffers(handle_->raw);
  return std::optional<Delivery>{std::move(delivery)};
}

Status Connection::ack(std::uint64_t delivery_tag) {
  const int status = amqp_basic_ack(handle_->raw, kChannel, delivery_tag, 0);
  if (status != AMQP_STATUS_OK) return std::unexpected(fail_status(status, "acknowledging a delivery"));
  return {};
}

Status Connection::nack(std::uint64_t delivery_tag, bool requeue) {
  const int status = amqp_basic_nack(handle_->raw, kChannel, delivery_tag, 0, requeue ? 1 : 0);
  if (status != AMQP_STATUS_OK)
    return std::unexpected(fail_status(status, "negatively acknowledging a delivery"));
  return {};
}

Status Connection::reject(std::uint64_t delivery_tag, bool requeue) {
  const int status = amqp_basic_reject(handle_->raw, kChannel, delivery_tag, requeue ? 1 : 0);
  if (status != AMQP_STATUS_OK) return std::unexpected(fail_status(status, "rejecting a delivery"));
  return {};
}

Status Connection::idle(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    const timeval tv = to_timeval(left);
    amqp_frame_t frame{};
    const int status = amqp_simple_wait_frame_noblock(handle_->raw, &frame, &tv);
    if (status == AMQP_STATUS_TIMEOUT) return {};
    if (status != AMQP_STATUS_OK) return std::unexpected(fail_status(status, "waiting for the broker"));
    if (frame.frame_type == AMQP_FRAME_METHOD && (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
                                                  frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD)) {
      return std::unexpected(fail_reply(server_reply(frame.payload.method), "waiting for the broker"));
    }
    amqp_maybe_release_buffers(handle_->raw);
  }
}

}  // namespace teltubby::queue
