#pragma once
// Retry delays for the ingestion steps (download, upload, enqueue). Pure.
#include <chrono>

namespace teltubby::ingest {

// The wait before retry number `retry` (1 = the first retry): `first` doubled per
// retry, scaled by 0.75 + 0.5 × `jitter` (jitter in [0, 1), so ±25 %) so that units
// failing together do not retry in lock-step; at least what the server asked for
// (`retry_after`, 0 = not said). The doubling stops at 2^16 so the value cannot overflow.
[[nodiscard]] std::chrono::milliseconds backoff_delay(std::chrono::milliseconds first, int retry, double jitter,
                                                      std::chrono::seconds retry_after);

}  // namespace teltubby::ingest
