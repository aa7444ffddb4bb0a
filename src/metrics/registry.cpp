#include "metrics/registry.hpp"

namespace teltubby::metrics {

std::vector<FamilySnapshot> Registry::collect() const {
  // Families are never removed, so the pointers stay valid after the lock is released;
  // collecting outside it means a slow gauge function never blocks registration.
  std::vector<const detail::FamilyBase*> families;
  {
    std::lock_guard lock(mutex_);
    families.reserve(families_.size());
    for (const auto& [name, family] : families_) families.push_back(family.get());
  }
  std::vector<FamilySnapshot> snapshots;
  snapshots.reserve(families.size());
  for (const auto* family : families) snapshots.push_back(family->collect());
  return snapshots;
}

std::string Registry::render() const {
  const auto snapshots = collect();
  return render_text(snapshots);
}

}  // namespace teltubby::metrics
