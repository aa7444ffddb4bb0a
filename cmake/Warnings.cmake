# Warnings every target of ours compiles with; third-party headers are included as
# SYSTEM so their warnings do not fail our build.
add_library(teltubby_warnings INTERFACE)
target_compile_options(teltubby_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  $<$<BOOL:${TELTUBBY_WERROR}>:-Werror>)
