# teltubby_module(NAME SOURCES ... DEPS ...): one library per module under src/.
# Every module is a static library named teltubby_<NAME>, includes resolve from src/
# (so code writes #include "core/config.hpp"), and it links the warnings target.
function(teltubby_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(teltubby_${name} STATIC ${ARG_SOURCES})
  target_include_directories(teltubby_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(teltubby_${name} PUBLIC ${ARG_DEPS} PRIVATE teltubby_warnings)
  if(NOT name STREQUAL "core")
    target_precompile_headers(teltubby_${name} REUSE_FROM teltubby_core)
  endif()
endfunction()

# teltubby_test(NAME SOURCES ... DEPS ... [LABELS ...]): a GoogleTest executable whose
# cases are registered with CTest one by one, so `ctest -R` can pick single behaviours.
function(teltubby_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main teltubby_warnings)
  target_precompile_headers(${name} REUSE_FROM teltubby_core)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  set(properties TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABELS)
    list(APPEND properties LABELS "${ARG_LABELS}")
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    PROPERTIES ${properties}
    # One variable only: CMake 3.25's discovery script splits a list here at `;`.
    # scripts/run-tests exports TELTUBBY_SOURCE_DIR for every test instead.
    ENVIRONMENT "TELTUBBY_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
