# Runs a program and checks its exit status and what it wrote to stderr:
# cmake -DPROGRAM=<program> -DARGS="<arg>;..." -DEXIT=<status> -DEXPECT=<regex> -P expect_exit.cmake
execute_process(COMMAND ${PROGRAM} ${ARGS} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc STREQUAL "${EXIT}")
  message(FATAL_ERROR "${PROGRAM} exited with '${rc}', not ${EXIT}; stderr: ${err}")
endif()
if(NOT err MATCHES "${EXPECT}")
  message(FATAL_ERROR "${PROGRAM}'s stderr does not match '${EXPECT}': ${err}")
endif()
message(STATUS "exit ${rc}: ${err}")
