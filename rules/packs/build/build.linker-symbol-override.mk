# Fixture for build.linker-symbol-override (provscan's own).
# ruleid: build.linker-symbol-override
LDFLAGS += -Wl,--wrap=RSA_public_decrypt
# ruleid: build.linker-symbol-override
LDFLAGS += -Wl,--defsym,check_password=always_ok
# ruleid: build.linker-symbol-override
libauth_la_LDFLAGS = -Wl,-z,muldefs
# ok: build.linker-symbol-override
LDFLAGS += -Wl,--as-needed -Wl,--gc-sections
# ok: build.linker-symbol-override
LDFLAGS += -Wl,--version-script=$(srcdir)/libauth.map
