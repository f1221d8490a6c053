# Builds and runs the consumer's tracker use with only pkg-config's flags for greentrain:
# cmake -DPREFIX=<prefix> -DCXX=<compiler> -DWORK=<dir> -DPROJECT=<consumer project> -P check_pkg_config.cmake
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
file(GLOB_RECURSE pc_file ${PREFIX}/*/greentrain.pc)
if(NOT pc_file)
  message(FATAL_ERROR "greentrain.pc is not installed under ${PREFIX}")
endif()
get_filename_component(pc_dir ${pc_file} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs --static greentrain
  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
separate_arguments(flags UNIX_COMMAND "${flags}")
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${CXX} -std=c++20 -O1 ${PROJECT}/main.cpp ${PROJECT}/use_tracker.cpp ${flags}
  -o ${WORK}/consumer COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${WORK}/consumer ${WORK}/out
  OUTPUT_VARIABLE out RESULT_VARIABLE rc)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the pkg-config consumer failed (${rc})")
endif()
