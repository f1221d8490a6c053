# The local HTTPS replay server, shared by the network tests and benchmarks.
if(NOT TARGET greentrain_replay_server)
  find_package(Boost 1.74 REQUIRED)
  find_package(OpenSSL REQUIRED)
  add_library(greentrain_replay_server STATIC
    ${PROJECT_SOURCE_DIR}/tests/network/replay_server.cpp
    ${PROJECT_SOURCE_DIR}/tests/network/test_pki.cpp)
  target_link_libraries(greentrain_replay_server
    PUBLIC greentrain Boost::boost OpenSSL::SSL OpenSSL::Crypto
    PRIVATE greentrain_warnings)
  target_include_directories(greentrain_replay_server PUBLIC ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(greentrain_replay_server
    PRIVATE GREENTRAIN_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data")
endif()
