#pragma once
// The module settings each process builds from the configuration, in one place so the
// bot and the worker talk to storage the same way.
#include "core/config.hpp"
#include "storage/s3_settings.hpp"

namespace teltubby::app {

storage::S3Settings s3_settings_from(const Config& config);

}  // namespace teltubby::app
