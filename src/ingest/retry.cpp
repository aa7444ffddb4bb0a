#include "ingest/retry.hpp"

namespace teltubby::ingest {

double retry_jitter() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>{0.0, 1.0}(generator);
}

}  // namespace teltubby::ingest
