// No execution, no escape: a repository whose configuration and attributes name a program at
// every place git would run one, whose config includes files outside it, whose core.worktree
// points elsewhere. provscan reads none of it: no canary fires, no outside file is opened.
#include "tests/hostile/hostile.h"

#include <sys/stat.h>

using namespace provscan::test;
using namespace provscan::test::hostile;

namespace {

// Every git hook name: if anything ran a hook, the canary would say which.
const char* const kHooks[] = {"applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit",
                              "pre-merge-commit", "prepare-commit-msg", "commit-msg", "post-commit",
                              "pre-rebase", "post-checkout", "post-merge", "pre-push", "pre-receive",
                              "update", "proc-receive", "post-receive", "post-update", "reference-transaction",
                              "push-to-checkout", "pre-auto-gc", "post-rewrite", "sendemail-validate",
                              "fsmonitor-watchman", "p4-changelist", "p4-prepare-changelist",
                              "p4-post-changelist", "p4-pre-submit", "post-index-change"};

struct Canary {
  TempDir outside;
  std::string script, fired_dir, worktree;
  Canary() {
    fired_dir = outside.path() + "/fired";
    std::filesystem::create_directories(fired_dir);
    // The script every vector names. The test never runs it; it only checks nobody did.
    script = outside.file("canary.sh", "#!/bin/sh\ntouch \"" + fired_dir + "/${1:-unnamed}\"\n");
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    worktree = outside.path() + "/worktree";
    std::filesystem::create_directories(worktree);
  }
  std::string run(const std::string& what) const { return script + " " + what; }
  std::vector<std::string> fired() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(fired_dir)) out.push_back(e.path().filename());
    return out;
  }
};

// A FIFO: whoever opens it for reading blocks until the harness kills it.
void fifo(const std::string& path) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  REQUIRE(mkfifo(path.c_str(), 0600) == 0);
}

}  // namespace

TEST_CASE("hostile: every execution vector of .git/config, hooks and .gitattributes is planted; none fires") {
  Canary canary;
  FixtureRepo repo;
  const std::string c1 = repo.commit("one", {{".gitattributes", "* filter=evil diff=evil merge=evil\n"},
                                             {"a.sh", "#!/bin/sh\necho one\n"}});
  repo.commit("two", {{"a.sh", "#!/bin/sh\necho two\n" + kPipe}, {".mailmap", "Eve <e@x> <m@evil.example>\n"}});
  std::string config = "[core]\n\trepositoryformatversion = 0\n\tbare = false\n";
  config += "\tfsmonitor = " + canary.run("fsmonitor") + "\n";
  config += "\thooksPath = " + canary.outside.path() + "/hooks\n";
  config += "\tsshCommand = " + canary.run("sshCommand") + "\n";
  config += "\tpager = " + canary.run("pager") + "\n";
  config += "\teditor = " + canary.run("editor") + "\n";
  config += "\taskPass = " + canary.run("askPass") + "\n";
  config += "\tgitProxy = " + canary.run("gitProxy") + "\n";
  config += "\tworktree = " + canary.worktree + "\n";
  config += "[filter \"evil\"]\n\tclean = " + canary.run("clean") + "\n\tsmudge = " + canary.run("smudge") +
            "\n\tprocess = " + canary.run("process") + "\n\trequired = true\n";
  config += "[diff \"evil\"]\n\ttextconv = " + canary.run("textconv") + "\n\tcommand = " + canary.run("diff") + "\n";
  config += "[merge \"evil\"]\n\tdriver = " + canary.run("merge") + "\n";
  config += "[gpg]\n\tprogram = " + canary.run("gpg") + "\n";
  config += "[gpg \"ssh\"]\n\tprogram = " + canary.run("gpg-ssh") + "\n\tdefaultKeyCommand = " +
            canary.run("defaultKeyCommand") + "\n";
  config += "[gpg \"x509\"]\n\tprogram = " + canary.run("gpgsm") + "\n";
  config += "[credential]\n\thelper = !" + canary.run("credential") + "\n";
  config += "[uploadpack]\n\tpackObjectsHook = " + canary.run("packObjectsHook") + "\n";
  config += "[sequence]\n\teditor = " + canary.run("sequence") + "\n";
  config += "[alias]\n\tlog = !" + canary.run("alias") + "\n";
  config += "[pager]\n\tlog = " + canary.run("pager-log") + "\n";
  config += "[receive]\n\tprocReceiveRefs = refs\n";
  config += "[remote \"origin\"]\n\turl = ext::" + canary.run("ext") + "\n";
  config += "[protocol]\n\tallow = always\n";
  config += "[core]\n\tattributesFile = " + canary.outside.path() + "/attributes\n";
  repo.write_git_file("config", config);
  repo.write_git_file("info/attributes", "* filter=evil diff=evil merge=evil\n");
  for (const char* hook : kHooks) {
    for (const std::string& dir : {repo.git_dir() + "hooks", canary.outside.path() + "/hooks"}) {
      std::filesystem::create_directories(dir);
      const std::string h = dir + "/" + hook;
      std::ofstream(h) << "#!/bin/sh\n" << canary.run(hook) << "\n";
      std::filesystem::permissions(h, std::filesystem::perms::owner_all);
    }
  }
  // Files a work-tree reader would open (the work tree is empty: nothing is checked out).
  fifo(repo.path() + "/.gitattributes");
  fifo(repo.path() + "/.mailmap");
  fifo(repo.path() + "/a.sh");
  fifo(canary.worktree + "/.gitattributes");
  fifo(canary.outside.path() + "/attributes");

  const Run all = scan(repo.path(), {"--all"});
  CHECK(all.cli.exit_code == 1);
  CHECK(commits(all.doc) == 2);
  CHECK(findings_of(all.doc, "t.pipe-to-shell").size() == 1);
  CHECK(findings_of(all.doc, "provenance.mailmap-changed").size() == 1);
  const Run range = scan(repo.path(), {"--range", c1 + "..main"});
  CHECK(range.cli.exit_code == 1);
  const CliResult blame = run_provscan_limited({"blame", repo.path()}, kLimitSeconds);
  CHECK_FALSE(blame.timed_out);
  CHECK(blame.exit_code == 0);
  CHECK(canary.fired().empty());
}

TEST_CASE("hostile: include.path, includeIf and core.worktree outside the repository are never opened") {
  Canary canary;
  FixtureRepo repo;
  repo.commit("one", {{"a.sh", kPipe}});
  // Opening a FIFO for reading blocks: a reader of any of these would be killed by the harness.
  fifo(canary.outside.path() + "/included.config");
  fifo(canary.outside.path() + "/conditional.config");
  // A regular included config whose effect would be visible: a repository format no reader
  // accepts would make opening the repository fail.
  const std::string visible = canary.outside.file("visible.config", "[core]\n\trepositoryformatversion = 99\n"
                                                                    "[extensions]\n\tobjectformat = sha256\n");
  repo.write_git_file("config", "[core]\n\trepositoryformatversion = 0\n\tworktree = " + canary.worktree +
                                    "\n[include]\n\tpath = " + canary.outside.path() + "/included.config\n\tpath = " +
                                    visible + "\n[includeIf \"gitdir:/\"]\n\tpath = " + canary.outside.path() +
                                    "/conditional.config\n[includeIf \"onbranch:main\"]\n\tpath = " + visible + "\n");
  fifo(canary.worktree + "/a.sh");
  fifo(canary.worktree + "/.mailmap");
  const Run run = scan(repo.path(), {"--all"});
  CHECK(run.cli.exit_code == 1);
  CHECK(commits(run.doc) == 1);
  CHECK(findings_of(run.doc, "t.pipe-to-shell").size() == 1);
  const CliResult blame = run_provscan_limited({"blame", repo.path()}, kLimitSeconds);
  CHECK_FALSE(blame.timed_out);
  CHECK(blame.exit_code == 0);
}

TEST_CASE("hostile: a .git file, a .git link, linked objects or commondir elsewhere: refused, exit 2, with the way out") {
  FixtureRepo real;
  real.commit("one", {{"a.sh", kPipe}});
  TempDir work;
  // A work tree whose .git is a "gitdir:" file (as submodules and linked work trees have).
  work.file("pointer/.git", "gitdir: " + real.git_dir() + "\n");
  const Run file = scan(work.path() + "/pointer");
  CHECK(file.cli.exit_code == 2);
  CHECK(file.cli.err.find("is a file pointing to another git directory (gitdir: " + real.git_dir()) != std::string::npos);
  CHECK(file.cli.err.find("pass that git directory itself") != std::string::npos);
  // The .git file itself as REPO.
  const Run direct = scan(work.path() + "/pointer/.git");
  CHECK(direct.cli.exit_code == 2);
  CHECK(direct.cli.err.find("pass that git directory itself") != std::string::npos);
  // Passing the real git directory works.
  CHECK(scan(real.git_dir()).cli.exit_code == 1);
  // .git as a symbolic link.
  std::filesystem::create_directories(work.path() + "/link");
  std::filesystem::create_directory_symlink(real.git_dir(), work.path() + "/link/.git");
  const Run link = scan(work.path() + "/link");
  CHECK(link.cli.exit_code == 2);
  CHECK(link.cli.err.find(".git' is a symbolic link") != std::string::npos);
  // A bare repository whose objects folder is a link to another repository's.
  FixtureRepo bare(FixtureOptions{.bare = true});
  bare.commit("one", {{"b.txt", "b\n"}});
  const std::string objects = bare.git_dir() + "objects";
  std::filesystem::rename(objects, bare.git_dir() + "objects.away");
  std::filesystem::create_directory_symlink(real.git_dir() + "objects", objects);
  const Run linked = scan(bare.path());
  CHECK(linked.cli.exit_code == 2);
  CHECK(linked.cli.err.find("'objects' is a symbolic link") != std::string::npos);
  // commondir pointing at another repository.
  std::filesystem::remove(objects);
  std::filesystem::rename(bare.git_dir() + "objects.away", objects);
  bare.write_git_file("commondir", real.git_dir() + "\n");
  const Run common = scan(bare.path());
  CHECK(common.cli.exit_code == 2);
  CHECK(common.cli.err.find("commondir points to") != std::string::npos);
}
