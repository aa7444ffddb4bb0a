#pragma once
// Helpers for the store tests: a temporary directory, and unwrap().
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include "core/error.hpp"
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

}  // namespace teltubby::store::testing
