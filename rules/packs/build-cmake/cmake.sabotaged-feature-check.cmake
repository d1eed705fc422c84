# Fixture for cmake.sabotaged-feature-check (provscan's own).
include(CheckCSourceCompiles)
check_c_source_compiles("
        #include <linux/landlock.h>
        #include <sys/syscall.h>
        #include <sys/prctl.h>

        void sandbox(void)
        {
            struct landlock_ruleset_attr attr = { .handled_access_fs = 0 };
            (void)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
        }
# ruleid: cmake.sabotaged-feature-check
.
        int main(void) { return 0; }
        "
    HAVE_LINUX_LANDLOCK)
# ok: cmake.sabotaged-feature-check
check_c_source_compiles("
        #include <sys/random.h>
        int main(void) { char b[4]; return (int)getrandom(b, sizeof(b), 0); }
        "
    HAVE_GETRANDOM)
# ruleid: cmake.sabotaged-feature-check
CHECK_C_SOURCE_COMPILES([[
        #include <cpuid.h>
        int main(void) { unsigned a, b, c, d; __get_cpuid(1, &a, &b, &c, &d); return 0;
    ]] HAVE_CPUID)
# ok: cmake.sabotaged-feature-check
check_source_compiles(C [[
  #include <stdatomic.h>
  int main(void) { atomic_int x = 0; return (int)atomic_load(&x); }
]] HAVE_STDATOMIC)
