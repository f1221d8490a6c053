# Builds and runs the consumer's tracker use with only pkg-config's flags for greentrain, either
# installed (its lib/pkgconfig/greentrain.pc, `--static`) or from a build tree, nothing installed
# (greentrain-uninstalled.pc, which pkg-config prefers; a plain `--libs` links the static core):
# cmake (-DPREFIX=<prefix> | -DPC_DIR=<build folder>) -DCXX=<compiler> -DWORK=<dir>
#       -DPROJECT=<consumer project> -P check_pkg_config.cmake
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
if(PC_DIR)
  set(ENV{PKG_CONFIG_PATH} ${PC_DIR})
  execute_process(COMMAND ${PKG_CONFIG} --uninstalled greentrain RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config does not take greentrain-uninstalled.pc from ${PC_DIR}")
  endif()
  set(query --cflags --libs greentrain)
else()
  file(GLOB_RECURSE pc_file ${PREFIX}/*/greentrain.pc)
  if(NOT pc_file)
    message(FATAL_ERROR "greentrain.pc is not installed under ${PREFIX}")
  endif()
  get_filename_component(pc_dir ${pc_file} DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} ${pc_dir})
  set(query --cflags --libs --static greentrain)
endif()
execute_process(COMMAND ${PKG_CONFIG} ${query}
  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
message(STATUS "pkg-config ${query}: ${flags}")
separate_arguments(flags UNIX_COMMAND "${flags}")
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${CXX} -std=c++20 -O1 ${PROJECT}/main.cpp ${PROJECT}/use_tracker.cpp ${flags}
  -o ${WORK}/consumer COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${WORK}/consumer ${WORK}/out
  OUTPUT_VARIABLE out RESULT_VARIABLE rc)
message(STATUS "${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer tracker: ok")
  message(FATAL_ERROR "the pkg-config consumer failed (${rc})")
endif()
