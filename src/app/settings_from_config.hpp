#pragma once
// The module settings each process builds from the configuration, in one place so the
// bot, the worker and `teltubby jobs` talk to storage and the broker the same way.
#include "core/config.hpp"
#include "queue/settings.hpp"
#include "storage/s3_settings.hpp"

namespace teltubby::app {

storage::S3Settings s3_settings_from(const Config& config);
// RABBITMQ_*, JOB_* and WORKER_* (prefetch = WORKER_CONCURRENCY, retry delay and count).
queue::QueueSettings queue_settings_from(const Config& config);

}  // namespace teltubby::app
