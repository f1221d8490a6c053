# vcpkg port for greentrain, written from vcpkg's maintainer documentation (not run here: vcpkg is
# not installable on the project's machines). Set REF and SHA512 to the release being packaged.
vcpkg_check_linkage(ONLY_STATIC_LIBRARY)

vcpkg_from_github(
  OUT_SOURCE_PATH SOURCE_PATH
  REPO greentrain/greentrain
  REF "v${VERSION}"
  SHA512 0
  HEAD_REF main
)

# One feature per optional component; tests/packaging/check_options.py keeps this list in step with
# CMakeLists.txt and conanfile.py.
vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    regions GREENTRAIN_WITH_REGIONS
    trainer GREENTRAIN_WITH_TRAINER
    server  GREENTRAIN_WITH_SERVER
    mpi     GREENTRAIN_WITH_MPI
    tools   GREENTRAIN_BUILD_TOOLS
)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DGREENTRAIN_BUILD_TESTS=OFF
    -DGREENTRAIN_BUILD_EXAMPLES=OFF
    -DGREENTRAIN_BUILD_BENCHMARKS=OFF
    -DGREENTRAIN_INSTALL=ON
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/greentrain)
vcpkg_fixup_pkgconfig()

if("tools" IN_LIST FEATURES)
  vcpkg_copy_tools(TOOL_NAMES greentrain AUTO_CLEAN)
endif()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/data/LICENSES.md")
