#include <iostream>

#include "app/build_info.hpp"
#include "app/commands.hpp"

namespace teltubby::app {

int run_version(CommandArgs) {
  std::cout << "teltubby " << build_info::version << " (commit " << build_info::git_commit << ", "
            << build_info::compiler << ", " << build_info::build_type
            << (build_info::sanitized ? ", asan+ubsan" : "") << ")\n";
  return 0;
}

}  // namespace teltubby::app
