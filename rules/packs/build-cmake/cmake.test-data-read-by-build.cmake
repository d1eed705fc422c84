# Fixture for cmake.test-data-read-by-build (provscan's own).
# ruleid: cmake.test-data-read-by-build
file(READ "${CMAKE_SOURCE_DIR}/tests/files/good-2-lzma2.xz" _blob HEX)
# ruleid: cmake.test-data-read-by-build
execute_process(COMMAND xz -dc ${CMAKE_SOURCE_DIR}/tests/files/bad-3-corrupt.xz OUTPUT_FILE ${CMAKE_BINARY_DIR}/stage.o)
# ok: cmake.test-data-read-by-build
add_test(NAME decode_good
         COMMAND xz -t ${CMAKE_SOURCE_DIR}/tests/files/good-1-lzma2.xz)
# ok: cmake.test-data-read-by-build
file(READ "${CMAKE_SOURCE_DIR}/VERSION" PROJECT_VERSION_TEXT)
# ok: cmake.test-data-read-by-build
configure_file(tests/config.h.in ${CMAKE_BINARY_DIR}/tests/config.h)
