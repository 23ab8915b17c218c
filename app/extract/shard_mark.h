// The mark a finished run leaves in its output folder, so that `merge` joins only complete
// shards of one data set and names the ones that are missing.
#pragma once

#include "app/extract/options.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace featurescope::extract {

/// OUTDIR/.featurescope/shard, three lines:
///   shard I/N            the --shard this folder holds (0/1: the whole data set)
///   tracks T             how many tracks the inputs name in all shards together
///   inputs HASH          stableHash of their paths, sorted, one a line (16 hex digits)
/// written last, after the tables: a run cancelled, killed or failed before its end has none.
class ShardMark {
public:
    /// For runExtract: removes the mark a previous run left in options.output (this run may
    /// end half-way) and notes this run's shard and data set (every track options.inputs name).
    static ShardMark begin(const Options& options);

    /// For runMerge, before it writes anything: checks that options.inputs are every shard
    /// 0..N-1 of one data set, each complete, and removes options.output's old mark; returns the
    /// whole data set's mark (0/1). Throws UsageError naming each missing or unfinished shard
    /// and each folder that belongs to another data set or another shard count.
    static ShardMark beginMerge(const Options& options);

    /// Writes the mark (atomically): the folder is complete.
    void finish() const;

    int index() const { return index_; }
    int count() const { return count_; }

private:
    std::filesystem::path outdir_;
    int index_ = 0;
    int count_ = 1;
    std::size_t tracks_ = 0;
    std::uint64_t inputs_ = 0;
};

} // namespace featurescope::extract
