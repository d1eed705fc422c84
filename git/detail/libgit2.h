#pragma once
// libgit2 plumbing shared by git/ and the test fixture builder. Only .cpp files include this:
// git2.h must not leak into public headers.
#include "common/c_handle.h"
#include <git2.h>

#include <memory>
#include <string>
#include <string_view>

namespace provscan::git::detail {


using GitRepository = Owned<git_repository, git_repository_free>;
using GitOdb = Owned<git_odb, git_odb_free>;
using GitOdbObject = Owned<git_odb_object, git_odb_object_free>;
using GitObject = Owned<git_object, git_object_free>;
using GitReference = Owned<git_reference, git_reference_free>;
using GitReferenceIterator = Owned<git_reference_iterator, git_reference_iterator_free>;
using GitTree = Owned<git_tree, git_tree_free>;
using GitTreeBuilder = Owned<git_treebuilder, git_treebuilder_free>;
using GitCommit = Owned<git_commit, git_commit_free>;
using GitSignature = Owned<git_signature, git_signature_free>;

// Initializes libgit2 once per process (thread-safe) and makes it blind to user and system
// configuration: the config search paths for the system, global, XDG and ProgramData levels
// are emptied, and owner validation is off (we only read).
void ensure_libgit2();

// Throws Error("DOING: <libgit2 message>") when rc < 0.
void check(int rc, std::string_view doing);

// The last libgit2 error message, or "unknown error".
std::string last_error_message();

// Strict: exactly 40 hex digits (either case). Throws Error otherwise.
git_oid parse_oid(std::string_view hex);
// false when `hex` is not exactly 40 hex digits.
bool try_parse_oid(std::string_view hex, git_oid& out) noexcept;
std::string oid_hex(const git_oid& oid);

}  // namespace provscan::git::detail
