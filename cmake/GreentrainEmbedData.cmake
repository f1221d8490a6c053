# greentrain_embed_data(target name file [name file ...])
# Compiles each file into the target as `std::string_view greentrain::detail::data::<name>()`.
# The text goes in as a raw string literal split in chunks (some compilers cap literal length).
function(greentrain_embed_data target)
  set(args ${ARGN})
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/embedded)
  set(header "#pragma once\n#include <string_view>\nnamespace greentrain::detail::data {\n")
  while(args)
    list(POP_FRONT args name file)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    file(READ ${file} text)
    string(LENGTH "${text}" length)
    set(body "")
    set(offset 0)
    while(offset LESS length)
      string(SUBSTRING "${text}" ${offset} 8000 chunk)
      string(APPEND body "R\"gt_data(${chunk})gt_data\"\n")
      math(EXPR offset "${offset} + 8000")
    endwhile()
    set(source ${out_dir}/${name}.cpp)
    file(CONFIGURE OUTPUT ${source} CONTENT
"#include <string_view>
namespace greentrain::detail::data {
namespace { constexpr char text[] =
@body@;
}
std::string_view ${name}() { return {text, sizeof(text) - 1}; }
}
" @ONLY)
    target_sources(${target} PRIVATE ${source})
    string(APPEND header "std::string_view ${name}();\n")
  endwhile()
  string(APPEND header "}\n")
  file(CONFIGURE OUTPUT ${out_dir}/greentrain_embedded_data.hpp CONTENT "${header}")
  target_include_directories(${target} PRIVATE ${out_dir})
endfunction()
