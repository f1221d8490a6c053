# Runs a command (COMMAND, a ;-list) and fails unless its stdout is valid JSON (CMake's parser
# refuses NaN, bare control characters and unescaped quotes) whose member at PATH (a ;-list of
# keys and indices) is of TYPE (default NULL).
execute_process(COMMAND ${COMMAND} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit ${rc}: ${err}")
endif()
string(JSON type ERROR_VARIABLE bad TYPE "${out}" ${PATH})
if(bad)
  message(FATAL_ERROR "not valid JSON (${bad}):\n${out}")
endif()
if(NOT DEFINED TYPE)
  set(TYPE NULL)
endif()
if(NOT type STREQUAL TYPE)
  message(FATAL_ERROR "${PATH} is ${type}, not ${TYPE}:\n${out}")
endif()
