# Fixture for build.hardening-disabled (provscan's own).
# ruleid: build.hardening-disabled
add_compile_options(-O2 -fno-stack-protector)
# ruleid: build.hardening-disabled
string(APPEND CMAKE_C_FLAGS " -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=0")
# ruleid: build.hardening-disabled
target_link_options(server PRIVATE "-Wl,-z,execstack")
# ok: build.hardening-disabled
add_compile_options(-O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2)
# ok: build.hardening-disabled
target_link_options(server PRIVATE "-Wl,-z,relro,-z,now,-z,noexecstack")
