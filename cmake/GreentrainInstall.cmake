# The package two ways, with the same targets (greentrain::greentrain and one per component):
# installed (relocatable: find_package(greentrain) on the prefix, lib/pkgconfig/greentrain.pc) and
# straight from this build tree, nothing installed (-Dgreentrain_DIR=<build folder>, or
# PKG_CONFIG_PATH=<build folder>, where greentrain-uninstalled.pc answers). What is installed is
# staged in <build folder>/for-install, so no file at the top of the build folder names the prefix.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

get_property(exported GLOBAL PROPERTY GREENTRAIN_EXPORTED_TARGETS)
install(TARGETS ${exported} EXPORT greentrainTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/greentrain TYPE INCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/data/LICENSES.md DESTINATION ${CMAKE_INSTALL_DATADIR}/greentrain)

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/greentrain)
set(staged ${PROJECT_BINARY_DIR}/for-install)
install(EXPORT greentrainTargets NAMESPACE greentrain:: DESTINATION ${config_dir})
export(EXPORT greentrainTargets NAMESPACE greentrain:: FILE ${PROJECT_BINARY_DIR}/greentrainTargets.cmake)

# Components that were built, so the config asks only for their dependencies.
set(GREENTRAIN_BUILT_COMPONENTS tracker)
foreach(target IN LISTS exported)
  get_target_property(component ${target} EXPORT_NAME)
  if(NOT component STREQUAL "greentrain")
    list(APPEND GREENTRAIN_BUILT_COMPONENTS ${component})
  endif()
endforeach()

set(config_in ${PROJECT_SOURCE_DIR}/cmake/greentrainConfig.cmake.in)
configure_package_config_file(${config_in} ${staged}/greentrainConfig.cmake
  INSTALL_DESTINATION ${config_dir})
configure_package_config_file(${config_in} ${PROJECT_BINARY_DIR}/greentrainConfig.cmake
  INSTALL_DESTINATION ${PROJECT_BINARY_DIR} INSTALL_PREFIX ${PROJECT_BINARY_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/greentrainConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${staged}/greentrainConfig.cmake ${PROJECT_BINARY_DIR}/greentrainConfigVersion.cmake
  DESTINATION ${config_dir})

# pkg-config for the core. A static libgreentrain.a is of no use without fmt, simdjson, -ldl and
# -pthread, so those are public then (a plain `pkg-config --libs` links); private for a shared one.
get_target_property(core_type greentrain TYPE)
set(GREENTRAIN_PC_LIBS_PRIVATE -pthread)
if(CMAKE_DL_LIBS)
  string(APPEND GREENTRAIN_PC_LIBS_PRIVATE " -l${CMAKE_DL_LIBS}")
endif()
if(core_type STREQUAL "STATIC_LIBRARY")
  set(GREENTRAIN_PC_REQUIRES_FIELD Requires)
  set(GREENTRAIN_PC_LIBS ${GREENTRAIN_PC_LIBS_PRIVATE})
  set(GREENTRAIN_PC_LIBS_PRIVATE "")
else()
  set(GREENTRAIN_PC_REQUIRES_FIELD Requires.private)
  set(GREENTRAIN_PC_LIBS "")
endif()

# Installed: the prefix is found from the file's own place, so the tree relocates.
set(pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH prefix_from_pc_dir /prefix/${pc_dir} /prefix)
string(REGEX REPLACE "/$" "" prefix_from_pc_dir "${prefix_from_pc_dir}")
set(GREENTRAIN_PC_WHERE "Installed; relocatable: paths are relative to this file.")
set(GREENTRAIN_PC_PREFIX "\${pcfiledir}/${prefix_from_pc_dir}")
set(GREENTRAIN_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
set(GREENTRAIN_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/greentrain.pc.in ${staged}/greentrain.pc @ONLY)
install(FILES ${staged}/greentrain.pc DESTINATION ${pc_dir})

# The build tree: the libraries in GREENTRAIN_LIBRARY_DIR, the headers in the source.
set(GREENTRAIN_PC_WHERE "This build tree, not installed: PKG_CONFIG_PATH=<this folder> finds it.")
set(GREENTRAIN_PC_PREFIX ${PROJECT_BINARY_DIR})
set(GREENTRAIN_PC_LIBDIR ${GREENTRAIN_LIBRARY_DIR})
set(GREENTRAIN_PC_INCLUDEDIR "${PROJECT_SOURCE_DIR}/include")
configure_file(${PROJECT_SOURCE_DIR}/cmake/greentrain.pc.in
  ${PROJECT_BINARY_DIR}/greentrain-uninstalled.pc @ONLY)
