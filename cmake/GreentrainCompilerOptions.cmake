# Warnings and sanitizers for greentrain's own targets; never forced on a parent project.
add_library(greentrain_warnings INTERFACE)
target_compile_options(greentrain_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wno-missing-field-initializers>)

if(GREENTRAIN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Coverage for libFuzzer in every greentrain object; the harnesses link the fuzzer's main.
if(GREENTRAIN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GREENTRAIN_FUZZ needs clang (libFuzzer): configure with the `fuzz` preset "
                        "or -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_compile_definitions(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
  add_link_options(-fsanitize=address,undefined)
endif()

# Every library of greentrain's lands in one folder, <build>/lib like the installed layout (unless
# the parent project chose one), so a plain compiler links any component with one -L.
if(CMAKE_ARCHIVE_OUTPUT_DIRECTORY)
  set(GREENTRAIN_LIBRARY_DIR ${CMAKE_ARCHIVE_OUTPUT_DIRECTORY})
else()
  set(GREENTRAIN_LIBRARY_DIR ${PROJECT_BINARY_DIR}/lib)
endif()

# Add every component folder's greentrain_<name> target to this list to export it. Its warnings are
# compile options, not a linked target: the build tree's package exports all that a library links,
# and greentrain_warnings has no place there.
set_property(GLOBAL PROPERTY GREENTRAIN_EXPORTED_TARGETS "")
function(greentrain_export target component)
  set_property(GLOBAL APPEND PROPERTY GREENTRAIN_EXPORTED_TARGETS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${component}
    ARCHIVE_OUTPUT_DIRECTORY ${GREENTRAIN_LIBRARY_DIR} LIBRARY_OUTPUT_DIRECTORY ${GREENTRAIN_LIBRARY_DIR})
  target_compile_options(${target} PRIVATE $<TARGET_PROPERTY:greentrain_warnings,INTERFACE_COMPILE_OPTIONS>)
  add_library(greentrain::${component} ALIAS ${target})
endfunction()
