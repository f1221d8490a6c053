# Fails when <greentrain/greentrain.hpp> misses a public header, or pulls in a heavy dependency:
# cmake -DSOURCE=<source tree> -DCXX=<compiler> -P check_umbrella.cmake
get_filename_component(SOURCE ${SOURCE} ABSOLUTE)
set(umbrella greentrain/greentrain.hpp)
# Kept out on purpose, each for the reason in the umbrella's comment.
set(left_out greentrain/trainer/tbb_arena.hpp)

file(READ ${SOURCE}/include/${umbrella} text)
file(GLOB_RECURSE headers RELATIVE ${SOURCE}/include ${SOURCE}/include/greentrain/*.hpp)
list(REMOVE_ITEM headers ${umbrella} ${left_out})
set(missing "")
foreach(header IN LISTS headers)
  string(FIND "${text}" "#include \"${header}\"" at)
  if(at EQUAL -1)
    list(APPEND missing ${header})
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "${umbrella} does not include: ${missing} (add it, or to left_out here)")
endif()

# What the preprocessor opens for it: the standard library and greentrain's own headers only.
execute_process(COMMAND ${CXX} -std=c++20 -M -I${SOURCE}/include -x c++ ${SOURCE}/include/${umbrella}
  OUTPUT_VARIABLE opened ERROR_VARIABLE errors RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${umbrella} does not compile alone: ${errors}")
endif()
set(heavy_folder "/(boost|tbb|oneapi|openssl|simdjson|fmt|toml\\+\\+|nlohmann|openmpi)/")
set(heavy_file "/(mpi|dnnl|omp|simdjson)\\.h")
string(REGEX MATCHALL "[^ \n]*(${heavy_folder}|${heavy_file})[^ \n]*" heavy "${opened}")
if(heavy)
  list(SUBLIST heavy 0 3 first)
  message(FATAL_ERROR "${umbrella} opens heavy headers, first: ${first}")
endif()
list(LENGTH headers count)
message(STATUS "${umbrella} includes all ${count} light public headers and no heavy one")
