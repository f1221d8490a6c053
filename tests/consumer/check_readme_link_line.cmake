# Compiles the README's first program (examples/first_program) with the README's line for a plain
# compiler, as written there but for the build folder's name and the output's place, and runs it:
# cmake -DSOURCE=<source tree> -DBUILD=<build folder> -DCXX=<compiler> -DWORK=<dir>
#       -P check_readme_link_line.cmake
file(READ ${SOURCE}/README.md readme)
string(REGEX MATCH "\ng\\+\\+ -std=c\\+\\+20 app\\.cpp [^\n]*-o app\n" line "${readme}")
if(NOT line)
  message(FATAL_ERROR "README.md has no line `g++ -std=c++20 app.cpp ... -o app`")
endif()
string(STRIP "${line}" line)
message(STATUS "README: ${line}")
string(REGEX REPLACE "^g\\+\\+ " "" line "${line}")
string(REPLACE "build/release/" "${BUILD}/" line "${line}")
string(REPLACE " app.cpp " " ${SOURCE}/examples/first_program/main.cpp " line "${line}")
string(REGEX REPLACE " -o app$" " -o ${WORK}/app" line "${line}")
separate_arguments(args UNIX_COMMAND "${line}")

file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${CXX} ${args} WORKING_DIRECTORY ${SOURCE} COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${WORK}/app WORKING_DIRECTORY ${WORK} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
message(STATUS "${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "greentrain: run .* emitting")
  message(FATAL_ERROR "the program linked with the README's line failed (${rc})")
endif()
