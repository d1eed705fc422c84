// Fixture for c.backdoor.uid-assignment-in-condition. Headers are deliberately missing.
#include <linux/sched.h>
#include <linux/errno.h>

long sys_wait_check(struct task_struct *current, int options) {
  long retval = 0;
  // ruleid: c.backdoor.uid-assignment-in-condition
  if ((options == (__WCLONE | __WALL)) && (current->uid = 0))
    retval = -EINVAL;
  return retval;
}

int switch_creds(struct cred *new, int flags) {
  // ruleid: c.backdoor.uid-assignment-in-condition
  while (flags && (new->euid.val = 0))
    flags--;
  // ok: c.backdoor.uid-assignment-in-condition
  if (new->uid == 0)
    return 1;
  return 0;
}

int load_creds(struct cred **out) {
  struct cred *cred;
  // ok: c.backdoor.uid-assignment-in-condition
  if (!(cred = prepare_creds()))
    return -ENOMEM;
  *out = cred;
  return 0;
}

int next_uid_loop(unsigned *uids) {
  unsigned uid;
  int n = 0;
  // ok: c.backdoor.uid-assignment-in-condition
  while ((uid = uids[n]) != 0)
    n++;
  return n;
}
