#pragma once
// The module settings each process builds from the configuration, in one place so the
// bot and the worker talk to storage the same way.
#include <chrono>

#include "core/config.hpp"
#include "mtproto/td_account.hpp"
#include "queue/settings.hpp"
#include "storage/s3_settings.hpp"

namespace teltubby::app {

storage::S3Settings s3_settings_from(const Config& config);
// RABBITMQ_*, JOB_* and WORKER_* (prefetch = WORKER_CONCURRENCY, retry backoff, max retries).
queue::QueueSettings queue_settings_from(const Config& config);
// MTPROTO_* and TDLib's files directory (WORK_DIR/tdlib-files), for the worker and
// `teltubby login`, which must open the same session the same way.
mtproto::AccountSettings account_settings_from(const Config& config, std::chrono::milliseconds request_timeout);

}  // namespace teltubby::app
