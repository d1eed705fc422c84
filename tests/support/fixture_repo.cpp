#include "tests/support/fixture_repo.h"

#include <fmt/format.h>
#include <git2.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "git/detail/libgit2.h"

namespace provscan::test {
namespace {

namespace fs = std::filesystem;
using git::detail::check;
using git::detail::oid_hex;
using git::detail::parse_oid;

using Buf = std::unique_ptr<git_buf, void (*)(git_buf*)>;

std::string make_temp_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/provscan-fixture-XXXXXX";
  if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed for " + templ);
  return templ;
}

git_object_t object_type(const std::string& type) {
  const git_object_t t = git_object_string2type(type.c_str());
  if (t == GIT_OBJECT_INVALID) throw std::runtime_error("unknown object type " + type);
  return t;
}

}  // namespace

struct FixtureRepo::Impl {
  std::string dir;
  std::string path;
  git::detail::GitRepository repo;
  std::int64_t commits_without_time = 0;

  git::detail::GitSignature signature(const Author& a) {
    const std::int64_t t = a.time ? *a.time : kBaseTime + kDay * commits_without_time;
    git_signature* s = nullptr;
    check(git_signature_new(&s, a.name.c_str(), a.email.c_str(), t, a.offset_minutes),
          "fixture: signature");
    return git::detail::GitSignature(s);
  }

  git::detail::GitCommit lookup_commit(const std::string& id) {
    const git_oid oid = parse_oid(id);
    git_commit* c = nullptr;
    check(git_commit_lookup(&c, repo.get(), &oid), "fixture: commit lookup " + id);
    return git::detail::GitCommit(c);
  }

  git::detail::GitTree lookup_tree(const std::string& id) {
    const git_oid oid = parse_oid(id);
    git_tree* t = nullptr;
    check(git_tree_lookup(&t, repo.get(), &oid), "fixture: tree lookup " + id);
    return git::detail::GitTree(t);
  }

  // `files` are relative to `prefix` (the directory this tree stands for).
  git_oid build_tree(const git_tree* base, const Files& files, const Modes& modes,
                     const std::string& prefix) {
    git_treebuilder* raw = nullptr;
    check(git_treebuilder_new(&raw, repo.get(), base), "fixture: treebuilder");
    git::detail::GitTreeBuilder builder(raw);
    // Order matters when a name changes between file and directory: deletions first, then
    // subdirectories (an emptied one disappears), then files.
    std::map<std::string, Files> subdirs;
    for (const auto& [path, content] : files) {
      const std::size_t slash = path.find('/');
      if (slash != std::string::npos) {
        subdirs[path.substr(0, slash)][path.substr(slash + 1)] = content;
      } else if (!content) {
        (void)git_treebuilder_remove(builder.get(), path.c_str());
      }
    }
    for (const auto& [name, sub_files] : subdirs) {
      git::detail::GitTree sub_base;
      if (const git_tree_entry* e = git_treebuilder_get(builder.get(), name.c_str());
          e && git_tree_entry_type(e) == GIT_OBJECT_TREE) {
        sub_base = lookup_tree(oid_hex(*git_tree_entry_id(e)));
      }
      const git_oid sub = build_tree(sub_base.get(), sub_files, modes, prefix + name + "/");
      git::detail::GitTree built = lookup_tree(oid_hex(sub));
      if (git_tree_entrycount(built.get()) == 0) {
        (void)git_treebuilder_remove(builder.get(), name.c_str());
      } else {
        check(git_treebuilder_insert(nullptr, builder.get(), name.c_str(), &sub, GIT_FILEMODE_TREE),
              "fixture: insert " + prefix + name);
      }
    }
    for (const auto& [path, content] : files) {
      if (path.find('/') != std::string::npos || !content) continue;
      const auto m = modes.find(prefix + path);
      const unsigned mode = m == modes.end() ? 0100644u : m->second;
      git_oid oid;
      if (mode == 0160000u) {
        oid = parse_oid(*content);
      } else {
        check(git_blob_create_from_buffer(&oid, repo.get(), content->data(), content->size()),
              "fixture: blob");
      }
      check(git_treebuilder_insert(nullptr, builder.get(), path.c_str(), &oid,
                                   static_cast<git_filemode_t>(mode)),
            "fixture: insert " + prefix + path);
    }
    git_oid out;
    check(git_treebuilder_write(&out, builder.get()), "fixture: write tree");
    return out;
  }
};

FixtureRepo::FixtureRepo() : FixtureRepo(FixtureOptions{}) {}

FixtureRepo::FixtureRepo(FixtureOptions options) : impl_(std::make_unique<Impl>()) {
  git::detail::ensure_libgit2();
  // Submodule entries name commits that are not in the repository.
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
  impl_->dir = make_temp_dir();
  impl_->path = options.bare ? impl_->dir + "/repo.git" : impl_->dir + "/repo";
  git_repository_init_options init = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  init.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_MKDIR |
               (options.bare ? static_cast<unsigned>(GIT_REPOSITORY_INIT_BARE) : 0u);
  init.initial_head = options.initial_branch.c_str();
  git_repository* repo = nullptr;
  check(git_repository_init_ext(&repo, impl_->path.c_str(), &init), "fixture: init");
  impl_->repo.reset(repo);
}

FixtureRepo::~FixtureRepo() {
  impl_->repo.reset();
  if (std::getenv("PROVSCAN_KEEP_FIXTURES")) {
    std::cerr << "fixture kept: " << impl_->path << "\n";
    return;
  }
  std::error_code ec;
  fs::remove_all(impl_->dir, ec);
}

const std::string& FixtureRepo::path() const { return impl_->path; }

std::string FixtureRepo::git_dir() const { return git_repository_path(impl_->repo.get()); }

std::string FixtureRepo::head() const {
  git_oid oid;
  if (git_reference_name_to_id(&oid, impl_->repo.get(), "HEAD") < 0) return "";
  return oid_hex(oid);
}

std::string FixtureRepo::tree_of(const std::string& commit) const {
  return oid_hex(*git_commit_tree_id(impl_->lookup_commit(commit).get()));
}

std::string FixtureRepo::make_tree(const std::string& base_tree, const Files& files,
                                   const Modes& modes) {
  git::detail::GitTree base;
  if (!base_tree.empty()) base = impl_->lookup_tree(base_tree);
  return oid_hex(impl_->build_tree(base.get(), files, modes, ""));
}

std::string FixtureRepo::commit(const std::string& message, const Files& files,
                                const Author& author, const std::optional<Author>& committer,
                                const std::optional<std::vector<std::string>>& parents,
                                const Modes& modes) {
  std::vector<std::string> parent_ids;
  if (parents) {
    parent_ids = *parents;
  } else if (std::string h = head(); !h.empty()) {
    parent_ids.push_back(h);
  }
  std::vector<git::detail::GitCommit> owned;
  std::vector<const git_commit*> ptrs;
  for (const std::string& p : parent_ids) {
    owned.push_back(impl_->lookup_commit(p));
    ptrs.push_back(owned.back().get());
  }
  const std::string tree_id = make_tree(parent_ids.empty() ? "" : tree_of(parent_ids[0]), files, modes);
  git::detail::GitTree tree = impl_->lookup_tree(tree_id);
  auto author_sig = impl_->signature(author);
  auto committer_sig = impl_->signature(committer ? *committer : author);
  if (!author.time || (committer && !committer->time)) ++impl_->commits_without_time;
  const std::string msg = message.ends_with('\n') ? message : message + "\n";
  git_oid oid;
  check(git_commit_create(&oid, impl_->repo.get(), nullptr, author_sig.get(), committer_sig.get(),
                          nullptr, msg.c_str(), tree.get(), ptrs.size(), ptrs.data()),
        "fixture: commit");
  const std::string id = oid_hex(oid);
  set_head_commit(id);
  return id;
}

std::string FixtureRepo::merge(const std::string& message, const std::vector<std::string>& others,
                               const Files& files, const Author& author) {
  std::vector<std::string> parents{head()};
  parents.insert(parents.end(), others.begin(), others.end());
  return commit(message, files, author, std::nullopt, parents);
}

std::string FixtureRepo::commit_signed(const std::string& message, const Files& files,
                                       const std::string& header_value,
                                       const std::string& header_field, const Author& author) {
  std::vector<git::detail::GitCommit> owned;
  std::vector<const git_commit*> ptrs;
  const std::string parent = head();
  if (!parent.empty()) {
    owned.push_back(impl_->lookup_commit(parent));
    ptrs.push_back(owned.back().get());
  }
  git::detail::GitTree tree =
      impl_->lookup_tree(make_tree(parent.empty() ? "" : tree_of(parent), files));
  auto sig = impl_->signature(author);
  if (!author.time) ++impl_->commits_without_time;
  const std::string msg = message.ends_with('\n') ? message : message + "\n";
  Buf buf(new git_buf GIT_BUF_INIT, [](git_buf* b) {
    git_buf_dispose(b);
    delete b;
  });
  check(git_commit_create_buffer(buf.get(), impl_->repo.get(), sig.get(), sig.get(), nullptr,
                                 msg.c_str(), tree.get(), ptrs.size(), ptrs.data()),
        "fixture: commit buffer");
  git_oid oid;
  check(git_commit_create_with_signature(&oid, impl_->repo.get(), buf->ptr, header_value.c_str(),
                                         header_field.c_str()),
        "fixture: signed commit");
  const std::string id = oid_hex(oid);
  set_head_commit(id);
  return id;
}

void FixtureRepo::branch(const std::string& name, const std::optional<std::string>& from) {
  const git_oid oid = parse_oid(from ? *from : head());
  git_reference* ref = nullptr;
  check(git_reference_create(&ref, impl_->repo.get(), ("refs/heads/" + name).c_str(), &oid, 1,
                             "fixture: branch"),
        "fixture: branch " + name);
  git_reference_free(ref);
}

void FixtureRepo::checkout_branch(const std::string& name) {
  check(git_repository_set_head(impl_->repo.get(), ("refs/heads/" + name).c_str()),
        "fixture: checkout " + name);
}

void FixtureRepo::tag(const std::string& name, const std::string& commit,
                      const std::optional<std::string>& message) {
  const git_oid oid = parse_oid(commit);
  if (!message) {
    git_reference* ref = nullptr;
    check(git_reference_create(&ref, impl_->repo.get(), ("refs/tags/" + name).c_str(), &oid, 1,
                               "fixture: tag"),
          "fixture: tag " + name);
    git_reference_free(ref);
    return;
  }
  git_object* target = nullptr;
  check(git_object_lookup(&target, impl_->repo.get(), &oid, GIT_OBJECT_ANY), "fixture: tag target");
  git::detail::GitObject owned(target);
  auto tagger = impl_->signature(Author{.time = kBaseTime});
  const std::string msg = message->ends_with('\n') ? *message : *message + "\n";
  git_oid tag_oid;
  check(git_tag_create(&tag_oid, impl_->repo.get(), name.c_str(), target, tagger.get(),
                       msg.c_str(), 1),
        "fixture: annotated tag " + name);
}

std::string FixtureRepo::write_blob(const std::string& bytes) {
  return write_object("blob", bytes);
}

std::string FixtureRepo::write_object(const std::string& type, const std::string& bytes) {
  git_odb* raw = nullptr;
  check(git_repository_odb(&raw, impl_->repo.get()), "fixture: odb");
  git::detail::GitOdb odb(raw);
  git_oid oid;
  check(git_odb_write(&oid, odb.get(), bytes.data(), bytes.size(), object_type(type)),
        "fixture: write object");
  return oid_hex(oid);
}

std::string FixtureRepo::write_raw_tree(const std::vector<RawEntry>& entries) {
  std::string bytes;
  for (const RawEntry& e : entries) {
    const git_oid oid = parse_oid(e.id);
    bytes += e.mode + " " + e.name;
    bytes.push_back('\0');
    bytes.append(reinterpret_cast<const char*>(oid.id), GIT_OID_RAWSZ);
  }
  return write_object("tree", bytes);
}

void FixtureRepo::write_git_file(const std::string& relative, const std::string& content) {
  const fs::path p = fs::path(git_dir()) / relative;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("fixture: cannot write " + p.string());
}

void FixtureRepo::set_head_commit(const std::string& commit) {
  const git_oid oid = parse_oid(commit);
  git_reference* h = nullptr;
  check(git_reference_lookup(&h, impl_->repo.get(), "HEAD"), "fixture: HEAD");
  git::detail::GitReference head_ref(h);
  if (git_reference_type(head_ref.get()) == GIT_REFERENCE_SYMBOLIC) {
    git_reference* ref = nullptr;
    check(git_reference_create(&ref, impl_->repo.get(), git_reference_symbolic_target(head_ref.get()),
                               &oid, 1, "fixture: commit"),
          "fixture: move branch");
    git_reference_free(ref);
  } else {
    check(git_repository_set_head_detached(impl_->repo.get(), &oid), "fixture: detached HEAD");
  }
}

}  // namespace provscan::test
