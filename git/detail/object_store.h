#pragma once
// The object database of exactly one git directory. Only .cpp files include this.
//
// libgit2's own loose-object reader spins forever on a truncated zlib stream (libgit2 1.5.1,
// as Debian ships it) and follows objects/info/alternates into other repositories. Here the
// loose objects are read by provscan (bounded inflation: never more output than the header
// declares, never a read that cannot make progress, never a FIFO, device or symbolic link) and
// the packs by libgit2's reader of one pack (one per objects/pack/NAME.idx, never a
// multi-pack-index), each behind provscan's check of the object's delta chain (pack_guard.h).
// Nothing else is consulted: alternates are reported by the caller, never followed.
#include <memory>
#include <string>

#include "git/detail/libgit2.h"

namespace provscan::git::detail {

class PackChains;

// `objects_dir`: the repository's objects/ folder. Throws Error when it cannot be set up. With
// `chains`, hands out the packs' delta-chain checker, so that a caller can bound the peak size of
// what reading an object builds (PackChains::Verdict::peak) by the limit it has for the object.
GitOdb open_object_store(const std::string& objects_dir, std::shared_ptr<PackChains>* chains = nullptr);

}  // namespace provscan::git::detail
