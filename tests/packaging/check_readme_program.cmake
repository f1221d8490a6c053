# Fails when the README's first C++ snippet is not examples/first_program/main.cpp, word for word
# (that file is built and run by ctest, so the README shows a program that works):
# cmake -DSOURCE=<source tree> -P check_readme_program.cmake
file(READ ${SOURCE}/README.md readme)
file(READ ${SOURCE}/examples/first_program/main.cpp program)
string(FIND "${readme}" "```cpp\n" start)
if(start EQUAL -1)
  message(FATAL_ERROR "README.md has no ```cpp snippet")
endif()
math(EXPR start "${start} + 7")
string(SUBSTRING "${readme}" ${start} -1 rest)
string(FIND "${rest}" "```\n" end)
string(SUBSTRING "${rest}" 0 ${end} snippet)
if(NOT snippet STREQUAL program)
  message(FATAL_ERROR "README.md's first ```cpp snippet is not examples/first_program/main.cpp: "
    "paste the file there (or change the file), so the README shows the program ctest runs")
endif()
message(STATUS "README.md's first program is examples/first_program/main.cpp")
