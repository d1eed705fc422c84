// Fixture for c.backdoor.shell-after-dup2.
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

static void open_door(void) {
  struct sockaddr_in sa;
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(6211);
  sa.sin_addr.s_addr = INADDR_ANY;
  bind(s, (struct sockaddr *)&sa, sizeof sa);
  listen(s, 1);
  int c = accept(s, 0, 0);
  dup2(c, 0);
  dup2(c, 1);
  dup2(c, 2);
  // ruleid: c.backdoor.shell-after-dup2
  execl("/bin/sh", "sh", (char *)0);
}

static void reverse(int fd) {
  char *args[] = {"/bin/bash", "-i", 0};
  for (int i = 0; i < 3; i++)
    dup2(fd, i);
  // ruleid: c.backdoor.shell-after-dup2
  execve(args[0], args, 0);
}

static void compress_to(int fd) {
  dup2(fd, STDOUT_FILENO);
  // ok: c.backdoor.shell-after-dup2
  execlp("gzip", "gzip", "-c", (char *)0);
}

static void run_hook(int log_fd) {
  // ok: c.backdoor.shell-after-dup2
  system("sh /etc/hooks/rotate");
  dup2(log_fd, 2);
}
