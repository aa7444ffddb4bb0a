#pragma once
// Helpers for the store tests: a temporary directory, and unwrap().
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include "core/error.hpp"
#include "store/records.hpp"
#include "support/temp_dir.hpp"

namespace teltubby::store::testing {

// A private temporary directory for one test (the shared test-support one).
using TempDir = teltubby::test::TempDir;

// The value of a Result, or an exception carrying the error (GoogleTest reports it as
// a failure with that text). Needed to compare a Result<optional<T>> with an optional:
// that comparison is ambiguous in the standard library.
template <class T>
T unwrap(Result<T> result) {
  if (!result) throw std::runtime_error(result.error().describe());
  return std::move(*result);
}

// A PENDING job row as the bot records it, with a placeholder payload (tests of the
// store and of admin operations never publish it).
inline JobRecord sample_job(std::string job_id, std::int64_t file_size, std::string file_unique_id,
                            std::string payload = "{}") {
  JobRecord job;
  job.job_id = std::move(job_id);
  job.user_id = 7;
  job.chat_id = 7;
  job.message_id = 99;
  job.file_unique_id = std::move(file_unique_id);
  job.file_size = file_size;
  job.payload = std::move(payload);
  job.max_retries = 3;
  return job;
}

}  // namespace teltubby::store::testing
