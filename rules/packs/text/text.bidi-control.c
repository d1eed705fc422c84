/* Fixture for text.bidi-control (provscan's own). */
#include <stdio.h>
int main(void) {
    int is_admin = 0;
    // ruleid: text.bidi-control
    /*‮ } ⁦if (is_admin)⁩ ⁦ begin admins only */
        puts("You are an admin.");
    // ok: text.bidi-control
    puts("plain text, no controls");
    // ok: text.bidi-control
    puts("arabic مرحبا without controls");
    return 0;
}
