#pragma once
// The object database of exactly one git directory. Only .cpp files include this.
//
// libgit2's own loose-object reader spins forever on a truncated zlib stream (libgit2 1.5.1,
// as Debian ships it) and follows objects/info/alternates into other repositories. Here the
// loose objects are read by provscan (bounded inflation: never more output than the header
// declares, never a read that cannot make progress, never a FIFO, device or symbolic link) and
// the packs by libgit2's pack backend, which reads only objects/pack/ of this directory. Nothing
// else is consulted: alternates are reported by the caller, never followed.
#include <string>

#include "git/detail/libgit2.h"

namespace provscan::git::detail {

// `objects_dir`: the repository's objects/ folder. Throws Error when it cannot be set up.
GitOdb open_object_store(const std::string& objects_dir);

}  // namespace provscan::git::detail
