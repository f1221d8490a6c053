# Install the headers, the libraries and a relocatable package config for find_package(greentrain).
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
install(EXPORT greentrainTargets NAMESPACE greentrain:: DESTINATION ${config_dir})

# Components that were built, so the config asks only for their dependencies.
set(GREENTRAIN_BUILT_COMPONENTS tracker)
foreach(target IN LISTS exported)
  get_target_property(component ${target} EXPORT_NAME)
  if(NOT component STREQUAL "greentrain")
    list(APPEND GREENTRAIN_BUILT_COMPONENTS ${component})
  endif()
endforeach()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/greentrainConfig.cmake.in
  ${PROJECT_BINARY_DIR}/greentrainConfig.cmake INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/greentrainConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/greentrainConfig.cmake
  ${PROJECT_BINARY_DIR}/greentrainConfigVersion.cmake DESTINATION ${config_dir})

# pkg-config for the core; the prefix is found from the file's own place, so the tree relocates.
set(pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH GREENTRAIN_PC_PREFIX_FROM_PCDIR /prefix/${pc_dir} /prefix)
string(REGEX REPLACE "/$" "" GREENTRAIN_PC_PREFIX_FROM_PCDIR "${GREENTRAIN_PC_PREFIX_FROM_PCDIR}")
set(GREENTRAIN_PC_DL "")
if(CMAKE_DL_LIBS)
  set(GREENTRAIN_PC_DL -l${CMAKE_DL_LIBS})
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/greentrain.pc.in ${PROJECT_BINARY_DIR}/greentrain.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/greentrain.pc DESTINATION ${pc_dir})
