#pragma once
// A fresh SqliteStore in a temp dir, with a clock the test moves by hand. Tests use it
// through the Store interface, as callers do.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace teltubby::store::testing {

class StoreTest : public ::testing::Test {
 protected:
  StoreTest()
      : sqlite_(SqliteStore::open(
            {dir_.path() / "teltubby.sqlite", std::chrono::milliseconds{10'000}, [this] { return now_; }})),
        store_(*sqlite_) {}

  void advance(std::chrono::milliseconds by) { now_ += by; }

  // A syntactically valid SHA-256 that differs per `seed`.
  static std::string sha_of(int seed) {
    std::string hex = std::to_string(seed);
    return std::string(64 - hex.size(), 'a') + hex;
  }

  TempDir dir_;
  Timestamp now_{std::chrono::milliseconds{1'780'000'000'000}};  // 2026-05-28
  std::unique_ptr<SqliteStore> sqlite_;
  Store& store_;
};

}  // namespace teltubby::store::testing
